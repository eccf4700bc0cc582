import Kernels
import SPMD

/// The lessons' Pool.map: result[i] = driver(i) = log(i + num + 1) / sqrt(i + den + 1) for i < size,
/// computed in a block split over ranks and threads, then gathered in index order to rank 0 or
/// written by every rank straight into one file (`--output`, MPI-IO, little-endian Float64).
struct ParallelMap: SPMDProgram {
    static let configuration = CommandConfiguration(
        commandName: "parallel-map",
        abstract: "Map log(i + num + 1) / sqrt(i + den + 1) over i < size; gather it to rank 0 or write one file.",
        discussion: VectorPath.help + " No --progress, --checkpoint or --part: its result is the whole mapped array (its state is the output itself), made in one pass that takes seconds for the largest size memory allows.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Elements, i = 0 ..< size.") var size: Count = 1_048_576
    @Option(parsing: .unconditional, help: "Added to the logarithm's argument (greater than −1).") var num = 0.0
    @Option(parsing: .unconditional, help: "Added to the square root's argument (greater than −1).") var den = 0.0
    @Option(help: ArgumentHelp("Write the result to this file (little-endian Float64, every rank its own part) "
                               + "instead of gathering it on rank 0.", valueName: "file")) var output: String?
    @Flag(help: "Check the gathered result (or the file) element by element against a serial loop on rank 0.")
    var verify = false

    /// MPI counts are `int`: a gather to one rank holds at most 2^31 − 1 elements.
    static let gatherLimit = Int(Int32.max)

    func validate() throws {
        let limit = output == nil ? Self.gatherLimit : Int.max / 8
        guard (1...limit).contains(size.value) else {
            throw ValidationError("--size must be between 1 and \(limit) (got \(size))"
                                  + (output == nil ? "; larger maps need --output" : ""))
        }
        for (name, value) in [("--num", num), ("--den", den)] where !(value.isFinite && value > -1) {
            throw ValidationError("\(name) must be a finite number greater than -1 (got \(value))")
        }
    }

    var parameters: [(String, JSONValue)] { declaredParameters }

    func prepare(_ context: Context) throws {
        _ = try VectorPath.resolve()   // SPMD_VECTOR, else the widest path this CPU has
        let gathering = output == nil && context.rank == 0
        let elements = gathering ? size.value : context.block(of: 0..<size.value).count
        try context.requireMemory(elements * 8, for: "--size \(size) \(gathering ? "gathered on" : "on") rank \(context.rank)")
        if let output { try SharedOutput.check(output, option: "--output", rank: context.rank) }
    }

    func compute(_ context: Context) throws -> Outcome? {
        let world = context.communicator
        let path = try VectorPath.resolve()
        let block = context.block(of: 0..<size.value)
        // Rank 0's block starts at 0, so with a gather it computes straight into the whole result.
        let capacity = output == nil && context.rank == 0 ? size.value : block.count
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        let mine = UnsafeMutableBufferPointer(rebasing: buffer[0..<block.count])

        let shared = DisjointWrites(mine)   // each thread writes only its own range of this rank's block
        let sums = try context.parallel(over: 0..<size.value) { range in
            let part = shared.part((range.lowerBound - block.lowerBound)..<(range.upperBound - block.lowerBound))
            var sum = ExactSum()
            // In pieces of 32 KiB, each added to the checksum while it is still in the cache.
            for offset in stride(from: 0, to: part.count, by: 4_096) {
                let piece = UnsafeMutableBufferPointer(rebasing: part[offset..<min(offset + 4_096, part.count)])
                mapDriver(into: piece, start: range.lowerBound + offset, num: num, den: den, path: path)
                sum.add(contentsOf: UnsafeBufferPointer(piece))
            }
            return sum
        }
        let checksum = try world.reduce(sums.reduce(into: ExactSum()) { $0.add($1) }, root: 0)

        var details: [(String, JSONValue)] = [("size", .int(size.value)), ("vector", .string(path.rawValue))]
        var wrong = 0
        if let output {
            SharedOutput.makeLittleEndian(mine)
            try SharedOutput.writeInRankOrder(output, part: UnsafeBufferPointer(mine), communicator: world)
            details += [("output", .string(output)), ("bytes", .int(size.value * 8))]
            if verify, context.rank == 0 {
                try SharedOutput.readBack(output, count: size.value) { wrong += mismatches($0, from: $1) }
            }
        } else {
            let counts = BlockPartition(0..<size.value, parts: context.ranks).map(\.count)
            try world.gatherv(inPlace: context.rank == 0 ? buffer : mine, counts: counts, root: 0)
            if context.rank == 0 { details += [("first", .double(buffer[0])), ("last", .double(buffer[size.value - 1]))] }
            if verify, context.rank == 0 { wrong = mismatches(UnsafeBufferPointer(buffer), from: 0) }
        }
        guard let checksum else { return nil }
        if verify {
            details.append(("mismatches", .int(wrong)))
            if wrong > 0 { throw RunError("\(wrong) of \(size) elements differ from the serial loop") }
        }
        return Outcome(result: .double(checksum), display: "checksum \(checksum) (the exact sum, rounded once)",
                       details: details)
    }

    /// How many of `values` (elements `start`...) differ in any bit from `driver` computed serially.
    func mismatches(_ values: UnsafeBufferPointer<Double>, from start: Int) -> Int {
        values.indices.count { values[$0].bitPattern != driver(start + $0, num: num, den: den).bitPattern }
    }
}

ParallelMap.main()
