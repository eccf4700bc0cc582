import SPMD

/// The checks of one communicator: each `expect` counts one check and throws a `RunError`
/// (`[world] allReduce(.sum) of Double: expected 3.0, got 2.5`) on the first wrong value.
struct Checks {
    /// The communicator under test.
    let comm: Communicator
    /// Its name in failure messages: `world`, `duplicate`, `split 1`, `selfOnly`.
    let label: String
    /// `comm.rank` and `comm.size`, read once.
    let rank: Int
    let size: Int
    /// How many checks passed so far.
    private(set) var count = 0

    init(_ comm: Communicator, _ label: String) {
        self.comm = comm
        self.label = label
        rank = comm.rank
        size = comm.size
    }

    /// The rank after this one and the one before it, around a ring of all ranks.
    var right: Int { (rank + 1) % size }
    var left: Int { (rank + size - 1) % size }

    // MARK: Expectations

    /// Checks that `got` equals `want`.
    mutating func expect<T: Equatable>(_ got: T, _ want: T, _ what: @autoclosure () -> String) throws {
        count += 1
        guard got == want else {
            throw RunError("[\(label)] \(what()): expected \(show(want)), got \(show(got))")
        }
    }

    /// Checks that a condition holds.
    mutating func expect(_ condition: Bool, _ what: @autoclosure () -> String) throws {
        count += 1
        guard condition else { throw RunError("[\(label)] \(what()): not so") }
    }

    /// Checks that `body` throws an `MPIError` from `function` that carries a message; returns it.
    @discardableResult
    mutating func expectError<R>(_ function: String, _ what: @autoclosure () -> String,
                                 _ body: () throws -> R) throws -> MPIError {
        count += 1
        let result: R
        do {
            result = try body()
        } catch let error as MPIError {
            guard error.function == function, !error.message.isEmpty, error.code != 0,
                  error.description == "\(error.function): \(error.message)" else {
                throw RunError("[\(label)] \(what()): expected an MPIError from \(function) with a message, "
                               + "got \(error.function) (code \(error.code)): '\(error.message)'")
            }
            return error
        }
        throw RunError("[\(label)] \(what()): expected an MPIError from \(function), got \(show(result))")
    }

    /// Waits for `done` to return a value, failing after `seconds` instead of hanging.
    mutating func poll<R>(_ what: @autoclosure () -> String, seconds: Double = 10,
                          _ done: () throws -> R?) throws -> R {
        let start = Environment.time()
        while true {
            if let value = try done() {
                count += 1
                return value
            }
            if Environment.time() - start > seconds {
                throw RunError("[\(label)] \(what()): nothing after \(seconds) s")
            }
        }
    }

    /// Sends with `send` and receives with `receive` in an order that cannot deadlock around a ring,
    /// even if sends wait for their receives: even ranks send first, odd ranks receive first.
    func exchange(send: () throws -> Void, receive: () throws -> Void) throws {
        if rank % 2 == 0 {
            try send()
            try receive()
        } else {
            try receive()
            try send()
        }
    }

    // MARK: Every operation, on one communicator

    /// Every collective, point-to-point operation and error of the layer, on `comm`; then the
    /// library's additions (Codable messages, custom reductions, allToAllv, nonblocking collectives).
    mutating func all() throws {
        try collectives()
        try comm.barrier()
        try pointToPoint()
        try comm.barrier()
        try errors()
        try comm.barrier()
        try library()
    }
}

extension Checks {
    /// Every check, on the world, a duplicate, both halves of a split and the self communicator;
    /// returns the number of checks this rank passed, and what the library here cannot do.
    static func all(_ context: Context) throws -> (passed: Int, skipped: [String]) {
        let world = context.communicator
        var total = 0
        var skipped: [String] = []

        var environment = Checks(world, "environment")
        try environment.environment(context)
        total += environment.count

        var oneSided = Checks(world, "one-sided, files, schedules")
        if try !oneSided.oneSided(context) { skipped.append("one-sided windows, which this MPI cannot build here") }
        total += oneSided.count

        var onWorld = Checks(world, "world")
        try onWorld.all()
        total += onWorld.count

        var communicators = Checks(world, "communicators")
        for (made, label) in try communicators.madeCommunicators() {
            var checks = Checks(made, label)
            try checks.all()
            total += checks.count
            try made.free()
        }
        try communicators.partialSplit()
        total += communicators.count

        var alone = Checks(.selfOnly, "selfOnly")
        try alone.expect(alone.rank, 0, "selfOnly rank")
        try alone.expect(alone.size, 1, "selfOnly size")
        try alone.all()
        total += alone.count

        // Every rank got here: the job agrees that all checks passed.
        var end = Checks(world, "end")
        try end.expect(try world.allReduce(1, operation: .sum), world.size, "ranks that passed every check")
        return (total + end.count, skipped)
    }
}

/// A value for a failure message: optionals without `Optional(...)`, strings quoted.
func show(_ value: Any) -> String {
    if let optional = value as? any OptionalValue { return optional.shown }
    if let text = value as? String { return text.debugDescription }
    return "\(value)"
}

private protocol OptionalValue { var shown: String { get } }

extension Optional: OptionalValue {
    fileprivate var shown: String { map { show($0) } ?? "nil" }
}
