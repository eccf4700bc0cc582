#if canImport(Glibc)
import Glibc
#endif

/// The harness's own threads: runs one closure on `count` threads, index 0 on the calling thread,
/// and returns the results in thread order.
///
/// Not Dispatch's global pool, which sizes itself from every CPU of the node; here the count is
/// exactly what the allocation gives the rank. Threads do not call MPI (`MPI_THREAD_FUNNELED`).
public enum ThreadTeam {
    /// Runs `body(t)` for t in 0..<count at once and waits for all; rethrows the lowest thread's error.
    /// Throws `ThreadTeamError` if the system refuses a thread (after the threads already started end).
    ///
    /// `body` is `@Sendable`: the compiler checks that the threads share nothing mutable. The results
    /// need not be `Sendable`: each is made on its thread and read here only after every thread ended.
    public static func run<R>(count: Int, _ body: @Sendable (Int) throws -> R) throws -> [R] {
        precondition(count >= 1, "a team needs at least one thread")
        if count == 1 { return [try body(0)] }
        return try withoutActuallyEscaping(body) { body in
            let job = Job(count: count, body: body)
            var threads: [pthread_t] = []
            threads.reserveCapacity(count - 1)
            for index in 1..<count {
                let start = Unmanaged.passRetained(Start(job: job, index: index)).toOpaque()
                var thread = pthread_t()
                let status = pthread_create(&thread, nil, { argument in
                    let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
                    start.job.execute(start.index)
                    return nil
                }, start)
                guard status == 0 else {
                    Unmanaged<Start>.fromOpaque(start).release()
                    for thread in threads { pthread_join(thread, nil) }
                    throw ThreadTeamError(started: index, requested: count, code: status)
                }
                threads.append(thread)
            }
            job.execute(0)
            for thread in threads { pthread_join(thread, nil) }
            return try job.collect()
        }
    }

    /// The shared state of one `run`: each thread writes only its own slot, read after the joins.
    fileprivate final class Job<R>: Executable, @unchecked Sendable {
        let body: @Sendable (Int) throws -> R
        let slots: UnsafeMutableBufferPointer<Result<R, any Error>?>

        init(count: Int, body: @escaping @Sendable (Int) throws -> R) {
            self.body = body
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
        }

        func execute(_ index: Int) { slots[index] = Result { try body(index) } }

        func collect() throws -> [R] { try slots.map { try $0!.get() } }

        deinit {
            slots.deinitialize()
            slots.deallocate()
        }
    }

    fileprivate final class Start {
        let job: any Executable
        let index: Int
        init(job: any Executable, index: Int) { self.job = job; self.index = index }
    }
}

/// The system would not start another thread (`pthread_create` failed).
public struct ThreadTeamError: Error, CustomStringConvertible {
    /// Threads running when it failed (the calling one included), and how many were asked for.
    public let started: Int, requested: Int
    /// The `pthread_create` error code.
    public let code: Int32

    public var description: String {
        "the system refused thread \(started + 1) of \(requested): \(String(cString: strerror(code)))"
    }
}

private protocol Executable: AnyObject { func execute(_ index: Int) }
