import SPMD

// Collectives, every rooted one at every root. Values are small integers (halves for floating
// point) so every result is exact whatever order MPI combines them in.

extension Checks {
    mutating func collectives() throws {
        let start = Environment.time()
        try comm.barrier()
        try expect(Environment.time() >= start, "barrier() returns")
        try broadcasts()

        try arithmetic(Int32.self) { Int32($0) }
        try arithmetic(Int64.self) { Int64($0) }
        try arithmetic(Int.self) { $0 }
        try arithmetic(UInt64.self) { UInt64($0) }
        try arithmetic(UInt8.self) { UInt8($0) }
        try arithmetic(Float.self) { Float($0) * 0.5 }
        try arithmetic(Double.self) { Double($0) * 0.5 }
        let size = self.size
        try reduction(".logicalAnd", { _ in true }, .logicalAnd) { $0 && $1 }
        try reduction(".logicalAnd", { $0 % size != size - 1 }, .logicalAnd) { $0 && $1 }
        try reduction(".logicalOr", { _ in false }, .logicalOr) { $0 || $1 }
        try reduction(".logicalOr", { $0 % size == size - 1 }, .logicalOr) { $0 || $1 }
        try reduction(".logicalXor", { $0 % 2 == 0 }, .logicalXor) { $0 != $1 }
        try reduction(".logicalXor", { $0 % 3 == 1 }, .logicalXor) { $0 != $1 }
        try bitwise(UInt64.self)
        try bitwise(UInt8.self)

        try locations(Double.self) { Double($0) * 0.5 }
        try locations(Float.self) { Float($0) * 0.5 }
        try locations(Int.self) { $0 }
        try locations(Int32.self) { Int32($0) }

        try scans()
        try gathers()
        try scatters()
        try allToAlls()
    }

    // MARK: Broadcast

    mutating func broadcasts() throws {
        let rank = self.rank
        for root in 0..<size {
            let isRoot = rank == root
            let double = Double(root) * 1.5 + 0.25
            try expect(try comm.broadcast(isRoot ? double : -1, root: root), double, "broadcast of Double from root \(root)")
            let int32 = Int32(root * 7 - 3)
            try expect(try comm.broadcast(isRoot ? int32 : 99, root: root), int32, "broadcast of Int32 from root \(root)")
            try expect(try comm.broadcast(isRoot ? root % 2 == 0 : root % 2 != 0, root: root), root % 2 == 0,
                       "broadcast of Bool from root \(root)")

            // Non-roots start longer or shorter (or empty): they end with exactly the root's array.
            let rootArray = (0..<(root + 2)).map { root * 100 + $0 }
            var array = isRoot ? rootArray
                : Array(repeating: -1, count: rank % 2 == 0 ? root + 3 + rank : max(0, root + 1 - rank))
            try comm.broadcast(&array, root: root)
            try expect(array, rootArray, "broadcast of [Int] (length \(rootArray.count)) from root \(root)")
            var empty: [Float] = isRoot ? [] : [1, 2, 3]
            try comm.broadcast(&empty, root: root)
            try expect(empty, [], "broadcast of an empty [Float] from root \(root)")

            let text = "root \(root): héllo ✓"
            let got = try comm.broadcast(isRoot ? text : "rank \(rank) was here first, with a longer text", root: root)
            try expect(got, text, "broadcast of String from root \(root)")
            try expect(try comm.broadcast(isRoot ? "" : "not empty", root: root), "",
                       "broadcast of an empty String from root \(root)")
        }
    }

    // MARK: Reductions

    /// `reduce` at every root and `allReduce` (scalar, array and in place) of `value(rank)` under `operation`,
    /// against `combine` folded over the ranks here. Element j of the arrays is `value(rank + j)`.
    mutating func reduction<T: MPIScalar & Equatable>(_ name: String, _ value: (Int) -> T,
                                                      _ operation: ReductionOperation,
                                                      _ combine: (T, T) -> T) throws {
        let rank = self.rank, size = self.size
        func folded(_ shift: Int) -> T { (1..<size).reduce(value(shift)) { combine($0, value($1 + shift)) } }
        let want = folded(0), wantArray = (0..<3).map(folded)
        let mine = value(rank), mineArray = (0..<3).map { value(rank + $0) }
        let what = "(\(name)) of \(T.self)"
        for root in 0..<size {
            try expect(try comm.reduce(mine, operation: operation, root: root), rank == root ? want : nil,
                       "reduce\(what) at root \(root)")
            try expect(try comm.reduce(mineArray, operation: operation, root: root), rank == root ? wantArray : nil,
                       "reduce\(what), array, at root \(root)")
        }
        try expect(try comm.allReduce(mine, operation: operation), want, "allReduce\(what)")
        try expect(try comm.allReduce(mineArray, operation: operation), wantArray, "allReduce\(what), array")
        var inPlace = mineArray
        try comm.allReduce(inPlace: &inPlace, operation: operation)
        try expect(inPlace, wantArray, "allReduce(inPlace:, \(name)) of \(T.self)")
    }

    /// Sum, product, min and max of `make(k)` for small k (so products stay within UInt8).
    mutating func arithmetic<T: MPIScalar & Numeric & Comparable>(_: T.Type, _ make: @escaping (Int) -> T) throws {
        try reduction(".sum", { make($0 % 8 + 1) }, .sum) { $0 + $1 }
        try reduction(".product", { make($0 < 4 ? $0 + 1 : 1) }, .product) { $0 * $1 }
        // A permutation of 1...11, so the extremes are not at the first or last rank.
        try reduction(".min", { make(($0 * 5 + 3) % 11 + 1) }, .min) { Swift.min($0, $1) }
        try reduction(".max", { make(($0 * 5 + 3) % 11 + 1) }, .max) { Swift.max($0, $1) }
    }

    mutating func bitwise<T: MPIScalar & FixedWidthInteger & UnsignedInteger>(_: T.Type) throws {
        let bit = { (k: Int) -> T in T(1) << (k % T.bitWidth) }
        try reduction(".bitwiseOr", bit, .bitwiseOr) { $0 | $1 }
        try reduction(".bitwiseAnd", { ~bit($0) }, .bitwiseAnd) { $0 & $1 }
        try reduction(".bitwiseAnd", { _ in T.max }, .bitwiseAnd) { $0 & $1 }
        try reduction(".bitwiseXor", { bit($0) | bit($0 + 3) }, .bitwiseXor) { $0 ^ $1 }
    }

    /// `.minLoc` and `.maxLoc` of value-location pairs, ties included: the smallest location must win,
    /// whatever rank holds it.
    mutating func locations<V: MPILocatable>(_: V.Type, _ make: @escaping (Int) -> V) throws {
        typealias Pair = ValueLocation<V>
        let rank = self.rank, size = self.size
        let cases: [(String, (Int) -> Pair)] = [
            // Pairs of ranks tie; the location is the rank.
            ("pairs of ranks tie", { Pair(make($0 / 2), location: Int32($0)) }),
            // The last two ranks tie for the minimum; locations fall as ranks rise.
            ("locations fall", { Pair(make((size - 1 - $0) / 2), location: Int32(size - $0)) }),
            // All values tie: the smallest location, 3, wins.
            ("all tie", { Pair(make(7), location: Int32(10 * $0 + 3)) }),
        ]
        for operation in [LocationOperation.minLoc, .maxLoc] {
            func better(_ a: Pair, _ b: Pair) -> Pair {
                if a.value == b.value { return a.location <= b.location ? a : b }
                return (a.value < b.value) == (operation == .minLoc) ? a : b
            }
            let name = operation == .minLoc ? ".minLoc" : ".maxLoc"
            var wants: [Pair] = [], mine: [Pair] = []
            for (caseName, pair) in cases {
                let pairs = (0..<size).map(pair)
                let want = pairs.dropFirst().reduce(pairs[0], better)
                wants.append(want)
                mine.append(pair(rank))
                let what = "(\(name)) of ValueLocation<\(V.self)>, \(caseName)"
                for root in 0..<size {
                    try expect(try comm.reduce(pair(rank), operation: operation, root: root),
                               rank == root ? want : nil, "reduce\(what), at root \(root)")
                }
                try expect(try comm.allReduce(pair(rank), operation: operation), want, "allReduce\(what)")
            }
            try expect(try comm.allReduce(mine, operation: operation), wants,
                       "allReduce(\(name)) of [ValueLocation<\(V.self)>]")
        }
    }

    // MARK: Prefix reductions

    mutating func scans() throws {
        try scan(".sum", .sum, { $0 + 1 }) { $0 + $1 }
        try scan(".sum", .sum, { Double($0 + 1) * 0.5 }) { $0 + $1 }
        try scan(".max", .max, { Int32(($0 * 5 + 3) % 11) }) { Swift.max($0, $1) }
        try scan(".min", .min, { UInt8(($0 * 5 + 3) % 11) }) { Swift.min($0, $1) }
        try scan(".product", .product, { Float($0 % 3 + 1) * 0.5 }) { $0 * $1 }
        try scan(".bitwiseXor", .bitwiseXor, { UInt64(1) << ($0 % 64) | 1 }) { $0 ^ $1 }
        try scan(".logicalOr", .logicalOr, { $0 == 1 }) { $0 || $1 }
    }

    /// `scan` and `exscan` of `value(rank)` (and of arrays, element j being `value(rank + j)`).
    mutating func scan<T: MPIScalar & Equatable>(_ name: String, _ operation: ReductionOperation,
                                                 _ value: (Int) -> T, _ combine: (T, T) -> T) throws {
        let rank = self.rank
        /// `value` combined over ranks 0..<end, shifted; nil for no ranks.
        func prefix(_ end: Int, _ shift: Int) -> T? {
            end == 0 ? nil : (1..<end).reduce(value(shift)) { combine($0, value($1 + shift)) }
        }
        let what = "(\(name)) of \(T.self)"
        try expect(try comm.scan(value(rank), operation: operation), prefix(rank + 1, 0)!, "scan\(what)")
        try expect(try comm.scan([value(rank), value(rank + 1)], operation: operation),
                   [prefix(rank + 1, 0)!, prefix(rank + 1, 1)!], "scan\(what), array")
        try expect(try comm.exscan(value(rank), operation: operation), prefix(rank, 0), "exscan\(what)")
        try expect(try comm.exscan([value(rank), value(rank + 1)], operation: operation),
                   rank == 0 ? nil : [prefix(rank, 0)!, prefix(rank, 1)!], "exscan\(what), array")
    }

    // MARK: Gather

    mutating func gathers() throws {
        let rank = self.rank, size = self.size
        let ranks = Array(0..<size)
        for root in 0..<size {
            let at = { (want: [Int32]) in rank == root ? want : nil }
            try expect(try comm.gather(Int32(rank * 10 + 1), root: root), at(ranks.map { Int32($0 * 10 + 1) }),
                       "gather of Int32 at root \(root)")
            let pair = { (r: Int) in [Double(r), -Double(r) - 0.5] }
            try expect(try comm.gather(pair(rank), root: root), rank == root ? ranks.flatMap(pair) : nil,
                       "gather of [Double] at root \(root)")

            // The rank after the root sends nothing; the others rank + 1 values.
            let empty = (root + 1) % size
            let values = { (r: Int) in r == empty ? [] : (0...r).map { Int64(r * 100 + $0) } }
            try expect(try comm.gatherv(values(rank), root: root), rank == root ? ranks.flatMap(values) : nil,
                       "gatherv of [Int64] (rank \(empty) sends none) at root \(root)")
            let text = { (r: Int) in r == empty ? "" : "rank \(r) → ✓" + String(repeating: "x", count: r) }
            try expect(try comm.gather(text(rank), root: root), rank == root ? ranks.map(text) : nil,
                       "gather of String (rank \(empty) sends \"\") at root \(root)")
        }

        try expect(try comm.allGather(Int64(rank) - 5), ranks.map { Int64($0) - 5 }, "allGather of Int64")
        let pair = { (r: Int) in [UInt16(r), UInt16(r * r + 1)] }
        try expect(try comm.allGather(pair(rank)), ranks.flatMap(pair), "allGather of [UInt16]")
        let values = { (r: Int) in (0..<(r % 3)).map { Float(r) + Float($0) * 0.25 } }
        try expect(try comm.allGatherv(values(rank)), ranks.flatMap(values), "allGatherv of [Float] (rank 0 sends none)")
        let text = { (r: Int) in r == 0 ? "" : "ränk \(r)" }
        try expect(try comm.allGather(text(rank)), ranks.map(text), "allGather of String (rank 0 sends \"\")")
    }

    // MARK: Scatter and all-to-all

    mutating func scatters() throws {
        let rank = self.rank, size = self.size
        for root in 0..<size {
            let isRoot = rank == root
            // Non-roots pass nil or a wrong-length array: it is ignored.
            let values: [Int]? = isRoot ? (0..<size).map { $0 * 7 + root } : rank % 2 == 0 ? nil : [999]
            try expect(try comm.scatter(values, root: root), rank * 7 + root, "scatter of Int from root \(root)")

            let counts = (0..<size).map { ($0 + root) % 3 }
            let slice = { (r: Int) in (0..<counts[r]).map { UInt32(r * 100 + $0) } }
            let all = (0..<size).flatMap(slice)
            let got = try comm.scatterv(isRoot ? all : rank % 2 == 0 ? nil : [7, 7],
                                        counts: isRoot ? counts : rank % 2 == 0 ? nil : [1, 1], root: root)
            try expect(got, slice(rank), "scatterv of [UInt32] (counts \(counts)) from root \(root)")
        }
    }

    mutating func allToAlls() throws {
        let rank = self.rank, size = self.size
        // The block for rank d from rank s is [s * 1000 + d * 10, s * 1000 + d * 10 + 1].
        let block = { (s: Int, d: Int) in [Int32(s * 1000 + d * 10), Int32(s * 1000 + d * 10 + 1)] }
        let sent = (0..<size).flatMap { block(rank, $0) }
        try expect(try comm.allToAll(sent), (0..<size).flatMap { block($0, rank) }, "allToAll of [Int32], blocks of 2")
        try expect(try comm.allToAll([Double]()), [], "allToAll of an empty [Double]")
    }
}
