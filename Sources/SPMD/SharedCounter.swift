import MPI
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// A job-wide counter without one-sided MPI.
//
// Rank 0 holds the value in its own memory, as an atomic: its threads fetch-and-add it directly,
// with no MPI call. Every other rank asks: it sends the amount to rank 0 and receives the value
// before. On rank 0 a server thread answers those requests on the counter's own duplicate of the
// communicator (so its messages never match anything else), until every other rank has said it is
// done. Two-sided messages work over every transport with every MPI implementation's defaults, and
// the server thread moves requests forward whatever rank 0's main thread is doing: it never waits
// for rank 0 to enter MPI, as passive-target one-sided operations over TCP do (Open MPI's osc
// pt2pt) when the library builds a window there at all (its default osc components do not).
//
// The server does not spin for long: it tests its one pending receive, answers every request that
// has come, keeps testing for `CounterServer.spin` (20 µs) after an answer, and then sleeps, longer
// and longer (10 µs to `CounterServer.longestPause`, 500 µs), so an idle server costs rank 0's compute
// threads almost nothing and a busy one answers without sleeping. The three times can be changed
// for an experiment with SPMD_COUNTER_SPIN_NS, SPMD_COUNTER_SHORTEST_PAUSE_NS and
// SPMD_COUNTER_LONGEST_PAUSE_NS.
//
// Threads: a rank's threads send requests one at a time (one process-wide lock), so a program needs
// `MPI_THREAD_SERIALIZED` when rank 0's main thread makes no MPI call while a server runs (the
// dynamic schedule: rank 0 waits for its server before anything else) and `MPI_THREAD_MULTIPLE`
// when it may (`SharedCounter`, held by the program across other MPI calls). With one rank there is
// no server and no MPI at all.
//
// Errors: a counter is released by `finish` on every rank. One dropped without `finish` (an error
// unwinding, or `Environment.fail` ending the job first) is abandoned: its server stops within one
// pause, withdraws its pending receive and ends, and nothing collective runs (the duplicate
// communicator is left to `MPI_Finalize` or `MPI_Abort`). The failing rank then ends the job
// through `MPI_Abort`, which also ends ranks still waiting for an answer. Set `SPMD_COUNTER_STATS=1`
// to have rank 0 print, per counter, the requests served, their rate and the server's CPU time.

/// The counter's messages, on its own communicator: a request carries the amount to add and is
/// answered with the value before; `done` says a rank will send no more requests.
private enum Tag {
    static let request = 1, done = 2, reply = 3
}

/// Every rank's requests to every counter go out one at a time: with the receive for the answer
/// posted before the request, under this lock, answers (sent by rank 0 in the order the requests
/// arrived) match this rank's pending receives in order, whichever thread waits on which.
private let requestLock = Mutex<Void>(())

/// The value on rank 0 and the thread that serves the other ranks (rank 0 only).
final class CounterServer: @unchecked Sendable {
    /// Longest sleep of an idle server between two looks at its receive, in nanoseconds: the most a
    /// request waits before the server notices it (a prefetching client hides it behind a chunk).
    /// 500 µs: collatz's dynamic schedule over 2 ranks measured 3-4% of a core for the server, against
    /// 10% with 1-100 µs pauses, with the same run time (chunks of 1-8 ms hide the wait).
    static let longestPause = environmentInteger("SPMD_COUNTER_LONGEST_PAUSE_NS") ?? 500_000
    /// Shortest sleep, after an answer (Linux adds its timer slack, 50 µs by default, to every sleep).
    static let shortestPause = environmentInteger("SPMD_COUNTER_SHORTEST_PAUSE_NS") ?? 10_000
    /// How long the server keeps testing without sleeping after an answer, in nanoseconds. A rank
    /// that asks again at once (a `SharedCounter` in a loop) then gets its answer in one message
    /// round trip (4 µs measured over shared memory) instead of after a sleep (Linux adds its timer
    /// slack, 50 µs by default, and a loaded core its wake-up delay: 300 µs measured). It costs rank
    /// 0 at most this much CPU per burst of requests: 1% of a core for a rank asking 500 times a second.
    static let spin = environmentInteger("SPMD_COUNTER_SPIN_NS") ?? 20_000

    let value = Atomic<Int>(0)
    /// A chunk counter's chunks: the value steps from one chunk's start to the next and never passes
    /// their end (nil: a plain counter, wrapping add of the amount asked for).
    let chunks: GuidedChunks?
    let communicator: Communicator
    let clients: Int
    /// Set by an abandoning owner: the server stops at its next look.
    let stopping = Atomic<Bool>(false)
    /// Set by the server when an MPI call failed; `error` is then final.
    let failed = Atomic<Bool>(false)
    private(set) var error: (any Error)?
    private var thread = pthread_t()
    private var joined = false

    init(chunks: GuidedChunks?, communicator: Communicator, clients: Int) {
        self.chunks = chunks
        self.communicator = communicator
        self.clients = clients
    }

    /// Adds `amount` and returns the value before; a chunk counter ignores `amount`, steps to its
    /// next chunk's start and returns this chunk's (the end of the range once it is used up).
    @inline(__always)
    func add(_ amount: Int) -> Int {
        guard let chunks else { return value.wrappingAdd(amount, ordering: .relaxed).oldValue }
        var old = value.load(ordering: .relaxed)
        while old < chunks.count {
            let (exchanged, found) = value.compareExchange(expected: old, desired: old + chunks.size(at: old),
                                                           ordering: .relaxed)
            if exchanged { break }
            old = found
        }
        return old
    }

    func start() {
        let argument = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&thread, nil, { argument in
            Unmanaged<CounterServer>.fromOpaque(argument!).takeRetainedValue().serve()
            return nil
        }, argument)
        precondition(status == 0, "pthread_create failed with \(status)")
    }

    /// Waits for the server thread to end (once every other rank is done, or once told to stop).
    func join() {
        guard !joined else { return }
        joined = true
        pthread_join(thread, nil)
    }

    /// Answers requests until every client is done or the owner stops it.
    private func serve() {
        let started = Environment.time()
        var answered = 0, looks = 0
        do {
            var done = 0
            var pending = try communicator.ireceive(count: 1, of: Int.self, from: Communicator.anySource,
                                                    tag: Communicator.anyTag)
            var pause = 0, lastAnswer = started
            while done < clients {
                if stopping.load(ordering: .acquiring) {
                    try pending.cancel()
                    break
                }
                looks += 1
                guard let status = try pending.test() else {
                    if Self.spin > 0, (Environment.time() - lastAnswer) * 1e9 < Double(Self.spin) { continue }
                    pause = pause == 0 ? Self.shortestPause : min(2 * pause, Self.longestPause)
                    var time = timespec(tv_sec: pause / 1_000_000_000, tv_nsec: pause % 1_000_000_000)
                    nanosleep(&time, nil)
                    continue
                }
                pause = 0
                let amount = pending.values.first ?? 0
                if status.tag == Tag.done {
                    done += 1
                } else {
                    try communicator.send(add(amount), to: status.source, tag: Tag.reply)
                    answered += 1
                    if Self.spin > 0 { lastAnswer = Environment.time() }
                }
                if done < clients {
                    pending = try communicator.ireceive(count: 1, of: Int.self, from: Communicator.anySource,
                                                        tag: Communicator.anyTag)
                }
            }
        } catch {
            self.error = error
            failed.store(true, ordering: .releasing)
        }
        if CounterServer.printsStatistics {
            var cpu = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
            let elapsed = Environment.time() - started
            Environment.printError("counter server: \(answered) requests from \(clients) ranks in \(elapsed) s "
                                   + "(\(Int(Double(answered) / elapsed)) per s), \(looks) looks, server CPU "
                                   + "\(Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9) s")
        }
    }

    static let printsStatistics = environmentInteger("SPMD_COUNTER_STATS").map { $0 != 0 } ?? false

    private static func environmentInteger(_ name: String) -> Int? {
        getenv(name).flatMap { Int(String(cString: $0)) }
    }
}

/// One job-wide counter: rank 0's value and server, or another rank's way of asking for it.
final class CounterCore: @unchecked Sendable {
    /// The server and the value, on rank 0; nil elsewhere.
    let server: CounterServer?
    /// The local value when the job has one rank (no server, no MPI).
    private let alone: CounterServer?
    /// The counter's own duplicate of the communicator; nil with one rank.
    private let communicator: Communicator?
    private let state = Atomic<Int>(State.open)
    private var cleanup: Int?

    private enum State { static let open = 0, finished = 1, abandoned = 2 }

    /// Collective. `needs` is the thread level this use of the counter needs when there are other ranks.
    init(communicator world: Communicator, chunks: GuidedChunks?, needs: ThreadLevel, provided: ThreadLevel,
         user: String) throws {
        let ranks = world.size
        guard ranks > 1 else {
            (server, communicator) = (nil, nil)
            alone = CounterServer(chunks: chunks, communicator: world, clients: 0)
            return
        }
        guard provided >= needs else {
            throw RunError("\(user) over \(ranks) ranks needs MPI_THREAD_\(needs.description.uppercased()) (its "
                           + "server thread on rank 0 calls MPI), but MPI provides "
                           + "MPI_THREAD_\(provided.description.uppercased()): request it with the program's "
                           + "`static var threadLevel`")
        }
        let own = try world.duplicate()
        communicator = own
        alone = nil
        if world.rank == 0 {
            let server = CounterServer(chunks: chunks, communicator: own, clients: ranks - 1)
            self.server = server
            server.start()
        } else {
            server = nil
        }
        cleanup = Environment.onFailure { [weak self] in self?.abandon() }
    }

    deinit {
        abandon()
    }

    /// Rank 0's value, for its own threads (nil elsewhere): no MPI.
    var local: CounterServer? { server ?? alone }

    /// Whether rank 0's server is still answering (true elsewhere).
    var healthy: Bool { !(server?.failed.load(ordering: .acquiring) ?? false) }

    /// Sends a request for `amount` to rank 0 (another rank's thread); complete it with `wait`.
    func post(_ amount: Int) throws -> ReceiveRequest<Int> {
        let communicator = communicator!
        return try requestLock.withLock { _ throws(MPIError) in
            let reply = try communicator.ireceive(count: 1, of: Int.self, from: 0, tag: Tag.reply)
            do throws(MPIError) {
                try communicator.send(amount, to: 0, tag: Tag.request)
            } catch {
                _ = try? reply.cancel()
                throw error
            }
            return reply
        }
    }

    /// The value before a request's amount was added, once rank 0 has answered.
    func wait(_ reply: ReceiveRequest<Int>) throws -> Int {
        while try requestLock.withLock({ _ throws(MPIError) in try reply.test() }) == nil {
            sched_yield()
        }
        guard let value = reply.values.first else { throw RunError("rank 0 answered a request without a value") }
        return value
    }

    /// Withdraws a request whose answer is no longer wanted (an error path); never waits for rank 0.
    func withdraw(_ reply: ReceiveRequest<Int>) {
        requestLock.withLock { _ in _ = try? reply.cancel() }
    }

    /// Ends the counter on this rank once its threads are done with it: another rank tells rank 0
    /// it is done; rank 0 waits until every rank has, and rethrows its server's error if any.
    /// Every rank calls it; it frees the duplicate communicator.
    func finish() throws {
        guard state.compareExchange(expected: State.open, desired: State.finished, ordering: .acquiringAndReleasing)
            .exchanged else { throw RunError("the counter is already finished") }
        if let cleanup { Environment.cancelOnFailure(cleanup) }
        guard let communicator else { return }
        if let server {
            server.join()
            if let error = server.error { throw error }
        } else {
            try requestLock.withLock { _ throws(MPIError) in try communicator.send(0, to: 0, tag: Tag.done) }
        }
        try communicator.free()
    }

    /// Stops rank 0's server without waiting for the other ranks (at most one pause) and without a
    /// collective call: the error path.
    private func abandon() {
        guard state.compareExchange(expected: State.open, desired: State.abandoned, ordering: .acquiringAndReleasing)
            .exchanged else { return }
        guard let server else { return }
        server.stopping.store(true, ordering: .releasing)
        server.join()
    }
}

/// One `Int` on rank 0 that every thread of every rank adds to atomically, the counterpart of the
/// lessons' `multiprocessing.Value` with its `Lock`.
///
/// Rank 0's threads add to it in memory; the other ranks' threads send their amount to a server
/// thread on rank 0 and receive the value before (see the design notes at the top of this file).
/// With more than one rank it needs `MPI_THREAD_MULTIPLE` (`static var threadLevel` of the program),
/// since the server calls MPI while the program's main thread may; `init` throws otherwise.
public final class SharedCounter: @unchecked Sendable {
    private let core: CounterCore

    /// A counter at 0 (collective).
    public init(communicator: Communicator) throws {
        core = try CounterCore(communicator: communicator, chunks: nil, needs: .multiple,
                               provided: try Environment.threadLevel(), user: "SharedCounter")
    }

    /// Adds `amount` and returns the value before; safe from any thread. On rank 0 an atomic add in
    /// memory; elsewhere one round trip to rank 0.
    @discardableResult
    public func add(_ amount: Int) throws -> Int {
        if let local = core.local { return local.add(amount) }
        return try core.wait(try core.post(amount))
    }

    /// The final value on rank 0, nil elsewhere, once every rank has finished adding; releases the
    /// counter. Every rank calls it, after its last `add`: rank 0 waits until every other rank has.
    public func finish() throws -> Int? {
        try core.finish()
        return core.local?.value.load(ordering: .acquiring)
    }
}

/// The job-wide next-chunk counter of a dynamic schedule: offsets into the range, one chunk at a
/// time, in the sizes `GuidedChunks` gives.
final class ChunkCounter: @unchecked Sendable {
    private let core: CounterCore
    private let range: Range<Int>
    private let chunks: GuidedChunks
    /// Set when one of this rank's threads failed: the others take no more chunks.
    private let stopped = Atomic<Bool>(false)

    /// Collective. Needs `MPI_THREAD_SERIALIZED` with more than one rank: rank 0's main thread
    /// makes no MPI call between here and `finish`, so its server thread is the only one that does.
    init(range: Range<Int>, smallest chunk: Int, context: Context) throws {
        self.range = range
        chunks = GuidedChunks(count: range.count, smallest: chunk, workers: context.workers)
        core = try CounterCore(communicator: context.communicator, chunks: chunks, needs: .serialized,
                               provided: context.threadLevel, user: "the dynamic schedule")
    }

    /// The chunk that starts at `offset`, as indices of the range; nil once the range is used up.
    private func piece(at offset: Int) -> Range<Int>? {
        guard offset < range.count else { return nil }
        let start = range.lowerBound + offset
        return start..<start + chunks.size(at: offset)
    }

    /// Runs `body` on chunk after chunk until the range is used up (from one thread; every thread of
    /// every rank calls it). Rank 0's threads take chunks from memory. Another rank's thread keeps
    /// one request in flight while it works on a chunk, so the round trip to rank 0 hides behind
    /// the work. If `body` throws, this rank's threads stop taking chunks and the request in flight
    /// is withdrawn.
    func forEachChunk(_ body: (Range<Int>) throws -> Void) throws {
        do {
            if let local = core.local {
                while !stopped.load(ordering: .relaxed), core.healthy, let piece = piece(at: local.add(0)) {
                    try body(piece)
                }
                return
            }
            var next: ReceiveRequest<Int>? = try core.post(0)
            defer { if let next, !next.isComplete { core.withdraw(next) } }
            while let reply = next, let piece = piece(at: try core.wait(reply)) {
                next = nil
                if stopped.load(ordering: .relaxed) { break }
                next = try core.post(0)
                try body(piece)
            }
        } catch {
            stopped.store(true, ordering: .relaxed)
            throw error
        }
    }

    /// Releases the counter once this rank's threads are done (every rank calls it).
    func finish() throws { try core.finish() }
}
