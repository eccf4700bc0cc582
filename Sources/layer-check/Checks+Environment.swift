import SPMD

// The environment, communicators made by duplicate and split, and typed errors.

extension Checks {
    /// Facts about the library and the timers, and the harness's threads.
    mutating func environment(_ context: Context) throws {
        try expect(Environment.isInitialized, true, "Environment.isInitialized")
        try expect(Environment.isFinalized, false, "Environment.isFinalized")
        try expect(!(try Environment.processorName()).isEmpty, "processorName() is not empty")
        try expect(!(try Environment.libraryVersion()).isEmpty, "libraryVersion() is not empty")
        let version = try Environment.standardVersion()
        try expect(version.major >= 3, "standardVersion() \(version.major).\(version.minor) is at least 3")
        try expect(Environment.tick > 0 && Environment.tick <= 1, "tick \(Environment.tick) in (0, 1]")
        let start = Environment.time()
        let later = try poll("time() increases") { () -> Double? in
            let now = Environment.time()
            return now > start ? now : nil
        }
        try expect(later > start, "time() increases")

        try expect(Communicator.anySource < 0, "anySource \(Communicator.anySource) is not a rank")
        try expect(Communicator.anyTag < 0, "anyTag \(Communicator.anyTag) is not a tag")
        try expect(comm.rank, context.rank, "world rank")
        try expect(comm.size, context.ranks, "world size")
        try expect(try context.parallel { $0 }, Array(0..<context.threads), "Context.parallel thread indices")

        // The harness's block and cyclic splits over ranks × threads cover a range exactly once; a
        // cyclic thread holds every workers-th index from its worker number on.
        for count in [0, 1, 7, 1_000, 1_003] {
            let range = 5..<5 + count
            let cyclic = try context.parallel(.cyclic, over: range, chunk: 1, into: [Int]()) { $0 += Array($1) }
            for (thread, piece) in cyclic.enumerated() {
                let worker = context.firstWorker + thread
                try expect(piece, Array(stride(from: 5 + worker, to: 5 + count, by: context.workers)),
                           "cyclic piece of worker \(worker) of \(context.workers) over \(range)")
            }
            for (name, pieces) in [("block", try context.parallel(over: range) { Array($0) }), ("cyclic", cyclic)] {
                let mine = pieces.flatMap { $0 }
                let counted = try comm.allReduce([mine.count, mine.reduce(0, +), mine.reduce(0) { $0 + $1 * $1 }],
                                                 operation: .sum)
                let indices = Array(range)
                try expect(counted, [count, indices.reduce(0, +), indices.reduce(0) { $0 + $1 * $1 }],
                           "\(name) split of \(range) over \(context.ranks) ranks × \(context.threads) threads: count, Σi, Σi²")
                if name == "block" {
                    try expect(mine, Array(context.block(of: range)), "thread blocks tile this rank's block in order")
                }
            }
        }

        // The harness's ordered tree reduction keeps rank order with a combine that does not commute.
        let text = try context.reduceInOrder(Text("<\(context.rank)>")) { Text($0.value + $1.value) }
        try expect(text?.value, context.rank == 0 ? (0..<context.ranks).map { "<\($0)>" }.joined() : nil,
                   "reduceInOrder of rank strings by concatenation")
        // Without its last step: rank 0 holds the ranks below the partner, the partner the rest.
        let halves = try context.reduceInOrderToHalves(Text("<\(context.rank)>")) { Text($0.value + $1.value) }
        let partner = context.halvesPartner ?? context.ranks
        let expected: Range<Int>? = context.rank == 0 ? 0..<partner : context.rank == partner ? partner..<context.ranks : nil
        try expect(halves?.value, expected.map { $0.map { "<\($0)>" }.joined() },
                   "reduceInOrderToHalves of rank strings (partner \(partner))")
        var largest = 1  // the largest power of two below the ranks, by doubling
        while 2 * largest < context.ranks { largest *= 2 }
        try expect(context.halvesPartner, context.ranks == 1 ? nil : largest, "halvesPartner is the largest power of two below the ranks")
    }

    /// A duplicate of `comm` and this rank's half of a split by rank parity in reverse rank order,
    /// after checking their ranks and sizes; the caller frees them.
    mutating func madeCommunicators() throws -> [(Communicator, String)] {
        let rank = self.rank, size = self.size
        let duplicate = try comm.duplicate()
        try expect(duplicate.rank, rank, "duplicate() rank")
        try expect(duplicate.size, size, "duplicate() size")

        let color = rank % 2
        guard let half = try comm.split(color: color, key: -rank) else {
            throw RunError("[\(label)] split(color: \(color), key: \(-rank)) returned nil")
        }
        // Key -rank reverses the order: the highest rank of this parity is rank 0 of the half.
        let members = (0..<size).filter { $0 % 2 == color }.reversed().map { $0 }
        try expect(half.size, members.count, "split(color: rank % 2) size")
        try expect(half.rank, members.firstIndex(of: rank), "split(color: rank % 2, key: -rank) rank")
        try expect(try half.allGather(rank), members, "world ranks in split half \(color), in half rank order")
        return [(duplicate, "duplicate"), (half, "split \(color)")]
    }

    /// A split in which the last rank passes a nil color: it gets nil, the others one communicator.
    mutating func partialSplit() throws {
        let rank = self.rank, size = self.size
        let out = rank == size - 1
        let part = try comm.split(color: out ? nil : 7)
        try expect(part == nil, out, "split(color: nil) returns nil exactly on the rank that passed nil")
        guard let part else { return }
        try expect(part.rank, rank, "split(color: 7) rank (default key keeps the order)")
        try expect(part.size, size - 1, "split(color: 7) size")
        try part.barrier()
        try expect(try part.allReduce(rank, operation: .sum), (size - 1) * (size - 2) / 2,
                   "allReduce(.sum) of world ranks on split(color: 7)")
        try part.free()
    }

    /// Errors come back typed, with the failing function and the library's text, and the job goes on.
    mutating func errors() throws {
        let size = self.size, comm = self.comm
        try expectError("MPI_Send", "send to rank \(size) of \(size)") {
            try comm.send([1, 2, 3] as [Int32], to: size, tag: 0)
        }
        try expectError("MPI_Send", "send of one value to rank -5") { try comm.send(1.5, to: -5) }
        try expectError("MPI_Send", "send with a negative tag") { try comm.send([1] as [Int], to: 0, tag: -2) }
        let tooBig = try expectError("MPI_Send", "send with a tag beyond Int32") {
            try comm.send([1] as [Int], to: 0, tag: Int(Int32.max) + 1)
        }
        try expect(tooBig.message.contains("does not fit"), "message '\(tooBig.message)' says the tag does not fit")
        try expectError("MPI_Recv", "receive from rank \(size) of \(size)") {
            try comm.receive(Int.self, from: size, tag: 0)
        }
        try expectError("MPI_Isend", "isend to rank \(size) of \(size)") {
            try comm.isend([1] as [Int], to: size)
        }
        try expectError("MPI_Irecv", "ireceive from rank \(size) of \(size)") {
            try comm.ireceive(count: 1, of: Int.self, from: size)
        }
        try expectError("MPI_Probe", "probe from rank \(size) of \(size)") { try comm.probe(from: size) }
        try expectError("MPI_Iprobe", "iprobe from rank \(size) of \(size)") { try comm.iprobe(from: size) }
        // Every rank passes the same bad root, so every rank fails before any communication.
        try expectError("MPI_Bcast", "broadcast from root \(size) of \(size)") { try comm.broadcast(1, root: size) }
        try expectError("MPI_Reduce", "reduce at root -1") { try comm.reduce(1, operation: .sum, root: -1) }
        // A mistake only one rank can see makes every rank throw, so none waits in the collective.
        let rank = comm.rank
        if size > 1 {
            try expectError("MPI_Alltoall", "allToAll where only the last rank's values do not split") {
                try comm.allToAll(Array(0..<(size + (rank == size - 1 ? 1 : 0))))
            }
        }
        for root in 0..<size {
            try expectError("MPI_Scatter", "scatter with \(size + 1) values at root \(root)") {
                try comm.scatter(rank == root ? Array(0...size) : nil, root: root)
            }
            try expectError("MPI_Scatterv", "scatterv whose counts do not add up at root \(root)") {
                try comm.scatterv(rank == root ? [1, 2, 3] : nil, counts: rank == root ? [Int](repeating: 2, count: size) : nil,
                                  root: root)
            }
            try expectError("MPI_Scatterv", "scatterv with a negative count at root \(root)") {
                try comm.scatterv(rank == root ? [Int](repeating: 1, count: size) : nil,
                                  counts: rank == root ? [-1] + [Int](repeating: 1, count: size) : nil, root: root)
            }
        }
        try expectError("MPI_Send", "send to MPI_PROC_NULL (-2), which would be a silent no-op") {
            try comm.send([1] as [Int], to: -2)
        }
        // The communicator still works after all these errors.
        try comm.barrier()
        try expect(try comm.allReduce(1, operation: .sum), size, "allReduce(.sum) after the errors")
    }
}

/// Text as a `ByteMessage`, for the check of `Context.reduceInOrder`.
struct Text: ByteMessage {
    let value: String
    init(_ value: String) { self.value = value }
    func bytes() -> [UInt8] { Array(value.utf8) }
    init(bytes: [UInt8]) { value = String(decoding: bytes, as: UTF8.self) }
}
