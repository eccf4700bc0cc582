import SPMD

// Codable messages, custom reductions, allToAllv and the nonblocking collectives, every rooted one
// at every root, with the mistakes only one rank can see making every rank throw.

/// A value of every shape the encoder handles: nested structs, optionals, arrays, dictionaries, enums.
struct Particle: Codable, Equatable {
    enum Kind: String, Codable { case electron, proton }
    struct Position: Codable, Equatable { var x, y, z: Double }
    var id: Int
    var name: String
    var kind: Kind
    var position: Position
    var charge: Float
    var tags: [String]
    var neighbours: [Int: UInt8]
    var parent: Int?
    var flags: [Bool?]

    /// A particle that differs by rank and by `salt`, of a size that grows with both.
    static func make(_ rank: Int, _ salt: Int) -> Particle {
        Particle(id: rank * 1000 + salt - 500, name: "p\(rank)-\(salt) ✓", kind: rank % 2 == 0 ? .electron : .proton,
                 position: .init(x: Double(rank) * 0.5, y: -Double(salt), z: .infinity),
                 charge: Float(rank) - 0.25, tags: (0..<(rank + salt) % 4).map { "t\($0)" },
                 neighbours: Dictionary(uniqueKeysWithValues: (0..<rank).map { ($0, UInt8($0 * 3)) }),
                 parent: rank == 0 ? nil : rank - 1, flags: [true, nil, rank % 2 == 1])
    }
}

/// A type whose fields do not match `Particle`'s, to receive one as.
struct Unrelated: Codable { var weight: Double }

/// f(x) = a·x + b over wrapping integers: composition does not commute.
struct Affine: BitwiseCopyable, Equatable {
    var a: Int, b: Int
    /// `later ∘ earlier`.
    static func then(_ earlier: Affine, _ later: Affine) -> Affine {
        Affine(a: later.a &* earlier.a, b: later.a &* earlier.b &+ later.b)
    }
}

extension Checks {
    mutating func library() throws {
        try codableCollectives()
        try comm.barrier()
        try codablePointToPoint()
        try comm.barrier()
        try customReductions()
        try allToAllvs()
        try nonblockingCollectives()
        try comm.barrier()
        try libraryErrors()
    }

    // MARK: Codable messages

    mutating func codableCollectives() throws {
        let rank = self.rank, size = self.size
        for root in 0..<size {
            let value = Particle.make(root, 7)
            try expect(try comm.broadcast(encoding: rank == root ? value : nil, root: root), value,
                       "broadcast(encoding:) of a Particle from root \(root)")
            try expect(try comm.broadcast(encoding: rank == root ? [root, -root] : [9], root: root), [root, -root],
                       "broadcast(encoding:) of [Int] from root \(root)")
            let gathered = try comm.gather(encoding: Particle.make(rank, root), root: root)
            try expect(gathered, rank == root ? (0..<size).map { Particle.make($0, root) } : nil,
                       "gather(encoding:) of Particles at root \(root)")
            let pieces = rank == root ? (0..<size).map { "piece \($0) of root \(root)" + String(repeating: "·", count: $0) } : nil
            try expect(try comm.scatter(encoding: pieces, root: root),
                       "piece \(rank) of root \(root)" + String(repeating: "·", count: rank),
                       "scatter(encoding:) of Strings from root \(root)")
        }
        try expect(try comm.allGather(encoding: Particle.make(rank, 3)), (0..<size).map { Particle.make($0, 3) },
                   "allGather(encoding:) of Particles")
        let nested: [String: [Int?]] = ["rank": [rank, nil], "size": [size]]
        let all = try comm.allGather(encoding: nested)
        try expect(all.map { $0["rank"]?.first ?? nil }, (0..<size).map { Optional($0) },
                   "allGather(encoding:) of [String: [Int?]]")
    }

    mutating func codablePointToPoint() throws {
        let rank = self.rank, left = self.left, right = self.right, comm = self.comm
        // Alone, a rank would send to itself with a blocking send before its receive is posted:
        // unsafe by the standard, and MPICH waits there for ever. The collectives cover one rank.
        guard size > 1 else { return }
        // A message longer than any fixed buffer: the receive probes for its size.
        let lines = { (r: Int) in 3000 + r }
        let long = (0..<lines(rank)).map { "line \($0) from \(rank)" }
        var got: (value: [String], status: Status)?
        try exchange(send: { try comm.send(encoding: long, to: right, tag: 21) },
                     receive: { got = try comm.receive(decoding: [String].self, from: left, tag: 21) })
        try expect(got?.value, (0..<lines(left)).map { "line \($0) from \(left)" }, "receive(decoding: [String])")
        try expect(got?.status.source, left, "receive(decoding:) status.source")
        try expect(got?.status.tag, 21, "receive(decoding:) status.tag")

        var particle: Particle?
        try exchange(send: { try comm.send(encoding: Particle.make(rank, 1), to: right, tag: 22) },
                     receive: { particle = try comm.receive(decoding: Particle.self, from: left, tag: 22).value })
        try expect(particle, Particle.make(left, 1), "receive(decoding: Particle)")

        // The wrong type is an error that names both types, not a crash.
        var error: MPIError?
        try exchange(send: { try comm.send(encoding: Particle.make(rank, 2), to: right, tag: 23) },
                     receive: {
                         error = try expectError("MPI_Recv", "receive(decoding: Unrelated) of a Particle") {
                             try comm.receive(decoding: Unrelated.self, from: left, tag: 23)
                         }
                     })
        try expect(error?.message.contains("Particle") == true && error?.message.contains("weight") == true,
                   "message '\(error?.message ?? "")' names the sent type and the missing key")
        // Plain values are not an object message.
        try exchange(send: { try comm.send([1, 2, 3] as [Int], to: right, tag: 24) },
                     receive: {
                         try expectError("MPI_Recv", "receive(decoding: Int) of a plain [Int] message") {
                             try comm.receive(decoding: Int.self, from: left, tag: 24)
                         }
                     })
    }

    // MARK: Custom reductions

    mutating func customReductions() throws {
        let rank = self.rank, size = self.size
        let affine = { (r: Int, j: Int) in Affine(a: r + 2 + j, b: r * 3 - j) }
        func composed(_ ranks: ClosedRange<Int>, _ j: Int) -> Affine {
            ranks.dropFirst().reduce(affine(ranks.lowerBound, j)) { Affine.then($0, affine($1, j)) }
        }
        let compose = try CustomReduction<Affine>(commutes: false, Affine.then)
        for root in 0..<size {
            try expect(try comm.reduce(affine(rank, 0), operation: compose, root: root),
                       rank == root ? composed(0...(size - 1), 0) : nil,
                       "reduce of a non-commuting custom operation at root \(root)")
        }
        let values = (0..<5).map { affine(rank, $0) }
        try expect(try comm.allReduce(values, operation: compose), (0..<5).map { composed(0...(size - 1), $0) },
                   "allReduce of [Affine] by a non-commuting custom operation")
        try expect(try comm.scan(affine(rank, 1), operation: compose), composed(0...rank, 1),
                   "scan by a non-commuting custom operation")

        // A commuting one over a plain scalar: the largest absolute value, keeping its sign.
        let largest = try CustomReduction<Double>(commutes: true) { abs($0) >= abs($1) ? $0 : $1 }
        let signed = { (r: Int) in Double(r) * (r % 2 == 0 ? -1.5 : 1.5) }
        let want = (0..<size).map(signed).max { abs($0) < abs($1) }!
        try expect(try comm.allReduce(signed(rank), operation: largest), want, "allReduce by a commuting custom operation")
        try expect(try comm.scan([signed(rank), 1], operation: largest),
                   [(0...rank).map(signed).max { abs($0) < abs($1) }!, 1], "scan of [Double] by a commuting custom operation")
    }

    // MARK: allToAllv

    mutating func allToAllvs() throws {
        let rank = self.rank, size = self.size
        // Rank r sends (r + r') % 3 values to rank r', each naming sender, receiver and index.
        let counts = (0..<size).map { (rank + $0) % 3 }
        let values = (0..<size).flatMap { to in (0..<counts[to]).map { rank * 10_000 + to * 100 + $0 } }
        let (got, gotCounts) = try comm.allToAllv(values, counts: counts)
        let wantCounts = (0..<size).map { ($0 + rank) % 3 }
        try expect(gotCounts, wantCounts, "allToAllv counts received")
        try expect(got, (0..<size).flatMap { from in (0..<wantCounts[from]).map { from * 10_000 + rank * 100 + $0 } },
                   "allToAllv values received")
        let empty = try comm.allToAllv([Float](), counts: Array(repeating: 0, count: size))
        try expect(empty.values, [], "allToAllv of nothing")
    }

    // MARK: Nonblocking collectives

    mutating func nonblockingCollectives() throws {
        let rank = self.rank, size = self.size
        let barrier = try comm.ibarrier()
        _ = try poll("ibarrier completes") { try barrier.test() }
        for root in 0..<size {
            let request = try comm.ibroadcast(rank == root ? [Int32(root), 7, -1] : [0, 0, 0], root: root)
            try expect(try request.waitForValues(), [Int32(root), 7, -1], "ibroadcast from root \(root)")
        }
        // Several in flight at once, completed together.
        let sum = try comm.iallReduce([Double(rank) * 0.5, 1], operation: .sum)
        let max = try comm.iallReduce([rank], operation: .max)
        let last = try comm.ibarrier()
        try Request.waitAll([last, max, sum])
        try expect(sum.values, [Double((0..<size).reduce(0, +)) * 0.5, Double(size)], "iallReduce(.sum) of [Double]")
        try expect(max.values, [size - 1], "iallReduce(.max) of [Int]")
        try expect(sum.isComplete && max.isComplete && last.isComplete, "waitAll completes nonblocking collectives")
    }

    // MARK: Mistakes only one rank can see

    mutating func libraryErrors() throws {
        let rank = self.rank, size = self.size, comm = self.comm
        for root in 0..<size {
            try expectError("MPI_Bcast", "broadcast(encoding:) where the root passes nil, root \(root)") {
                try comm.broadcast(encoding: rank == root ? nil : 5, root: root)
            }
            try expectError("MPI_Scatterv", "scatter(encoding:) with too few values at root \(root)") {
                try comm.scatter(encoding: rank == root ? Array(repeating: "x", count: size + 1) : nil, root: root)
            }
        }
        if size > 1 {
            for root in 0..<size {
                // Only the root receives as the wrong type.
                try expectError("MPI_Gatherv", "gather(encoding:) of Ints where root \(root) expects Strings") {
                    if rank == root {
                        _ = try comm.gather(encoding: "root", root: root)
                    } else {
                        _ = try comm.gather(encoding: rank, root: root)
                    }
                }
            }
            // Only the last rank decodes as another type.
            try expectError("MPI_Allgatherv", "allGather(encoding:) where only the last rank expects Strings") {
                if rank == size - 1 {
                    _ = try comm.allGather(encoding: "\(rank)")
                } else {
                    _ = try comm.allGather(encoding: rank)
                }
            }
            try expectError("MPI_Alltoallv", "allToAllv where only the last rank's counts are wrong") {
                try comm.allToAllv([1, 2, 3], counts: rank == size - 1 ? [3] : [3] + Array(repeating: 0, count: size - 1))
            }
        }
        try expectError("MPI_Ibcast", "ibroadcast from root \(size) of \(size)") { try comm.ibroadcast([1], root: size) }
        try expectError("MPI_Type_contiguous", "a custom reduction of a type with no bytes") {
            try CustomReduction<Void>(commutes: true) { _, _ in }
        }
    }
}
