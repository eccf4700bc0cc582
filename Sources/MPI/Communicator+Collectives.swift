internal import CMPI

// Collective operations. Every rank of the communicator calls each one with the same root,
// operation and (where it says so) count. Root-only results are nil on the other ranks,
// as `comm.gather` returns None there in mpi4py. An argument that only the root (or only one
// rank) can see is wrong makes every rank throw the same error, so none is left waiting.

extension Communicator {
    // MARK: Broadcast

    /// The root's value, on every rank. The corresponding MPI function is `MPI_Bcast`.
    public func broadcast<T: MPIScalar>(_ value: T, root: Int) throws(MPIError) -> T {
        var values = [value]
        try broadcast(&values, root: root)
        return values[0]
    }

    /// Replaces `values` on every rank with the root's array, whatever length the others had.
    /// The corresponding MPI function is `MPI_Bcast` (twice: the count, then the values).
    public func broadcast<T: MPIScalar>(_ values: inout [T], root: Int) throws(MPIError) {
        let root32 = try peer(root, "MPI_Bcast")
        var count = values.count
        try withUnsafeMutablePointer(to: &count) { p throws(MPIError) in
            try Call.bcast(p, 1, Int.datatype.handle, root32, handle)
        }
        let count32 = try mpiCount(count, "MPI_Bcast")
        if values.count != count { values = try filled(count) { _ throws(MPIError) in } }
        try values.withUnsafeMutableBufferPointer { buffer throws(MPIError) in
            try Call.bcast(buffer.baseAddress, count32, T.datatype.handle, root32, handle)
        }
    }

    /// The root's text, on every rank. The corresponding MPI function is `MPI_Bcast`.
    public func broadcast(_ text: String, root: Int) throws(MPIError) -> String {
        var bytes = Array(text.utf8)
        try broadcast(&bytes, root: root)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Reductions

    /// The values of all ranks combined element-wise at the root; nil elsewhere.
    /// The corresponding MPI function is `MPI_Reduce`.
    public func reduce<T: MPIScalar>(_ values: [T], operation: ReductionOperation, root: Int) throws(MPIError) -> [T]? {
        try reduce(values, T.datatype.handle, operation.handle, root: root)
    }

    /// The values of all ranks combined at the root; nil elsewhere. The corresponding MPI function is `MPI_Reduce`.
    public func reduce<T: MPIScalar>(_ value: T, operation: ReductionOperation, root: Int) throws(MPIError) -> T? {
        try reduce([value], T.datatype.handle, operation.handle, root: root)?[0]
    }

    /// The values of all ranks combined element-wise, on every rank.
    /// The corresponding MPI function is `MPI_Allreduce`.
    public func allReduce<T: MPIScalar>(_ values: [T], operation: ReductionOperation) throws(MPIError) -> [T] {
        try allReduce(values, T.datatype.handle, operation.handle)
    }

    /// The values of all ranks combined, on every rank. The corresponding MPI function is `MPI_Allreduce`.
    public func allReduce<T: MPIScalar>(_ value: T, operation: ReductionOperation) throws(MPIError) -> T {
        try allReduce([value], T.datatype.handle, operation.handle)[0]
    }

    /// Combines `values` element-wise across ranks in place, without a second buffer.
    /// The corresponding MPI function is `MPI_Allreduce` with `MPI_IN_PLACE`.
    public func allReduce<T: MPIScalar>(inPlace values: inout [T], operation: ReductionOperation) throws(MPIError) {
        let count = try mpiCount(values.count, "MPI_Allreduce")
        try values.withUnsafeMutableBufferPointer { buffer throws(MPIError) in
            try Call.allreduce(cmpi_in_place(), buffer.baseAddress, count, T.datatype.handle, operation.handle, handle)
        }
    }

    /// The smallest (`minLoc`) or largest (`maxLoc`) value of all ranks with its location, at the root;
    /// nil elsewhere. On ties the smallest location wins. The corresponding MPI function is `MPI_Reduce`
    /// with `MPI_MINLOC` or `MPI_MAXLOC`.
    public func reduce<V>(_ pair: ValueLocation<V>, operation: LocationOperation, root: Int) throws(MPIError)
        -> ValueLocation<V>? {
        try reduce([pair], pairDatatype(V.self), operation.handle, root: root)?[0]
    }

    /// The smallest (`minLoc`) or largest (`maxLoc`) value of all ranks with its location, on every rank.
    /// The corresponding MPI function is `MPI_Allreduce` with `MPI_MINLOC` or `MPI_MAXLOC`.
    public func allReduce<V>(_ pair: ValueLocation<V>, operation: LocationOperation) throws(MPIError)
        -> ValueLocation<V> {
        try allReduce([pair], pairDatatype(V.self), operation.handle)[0]
    }

    /// Element-wise `minLoc`/`maxLoc` of arrays of pairs, on every rank.
    /// The corresponding MPI function is `MPI_Allreduce` with `MPI_MINLOC` or `MPI_MAXLOC`.
    public func allReduce<V>(_ pairs: [ValueLocation<V>], operation: LocationOperation) throws(MPIError)
        -> [ValueLocation<V>] {
        try allReduce(pairs, pairDatatype(V.self), operation.handle)
    }

    /// The inclusive prefix reduction: on rank r, ranks 0...r combined.
    /// The corresponding MPI function is `MPI_Scan`.
    public func scan<T: MPIScalar>(_ value: T, operation: ReductionOperation) throws(MPIError) -> T {
        try scan([value], operation: operation)[0]
    }

    /// The element-wise inclusive prefix reduction. The corresponding MPI function is `MPI_Scan`.
    public func scan<T: MPIScalar>(_ values: [T], operation: ReductionOperation) throws(MPIError) -> [T] {
        let count = try mpiCount(values.count, "MPI_Scan")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count) { receive throws(MPIError) in
                try Call.scan(send.baseAddress, receive, count, T.datatype.handle, operation.handle, handle)
            }
        }
    }

    /// The exclusive prefix reduction: on rank r > 0, ranks 0..<r combined; nil on rank 0.
    /// The corresponding MPI function is `MPI_Exscan`.
    public func exscan<T: MPIScalar>(_ value: T, operation: ReductionOperation) throws(MPIError) -> T? {
        try exscan([value], operation: operation)?[0]
    }

    /// The element-wise exclusive prefix reduction; nil on rank 0. The corresponding MPI function is `MPI_Exscan`.
    public func exscan<T: MPIScalar>(_ values: [T], operation: ReductionOperation) throws(MPIError) -> [T]? {
        let count = try mpiCount(values.count, "MPI_Exscan")
        let result: [T] = try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count) { receive throws(MPIError) in
                try Call.exscan(send.baseAddress, receive, count, T.datatype.handle, operation.handle, handle)
            }
        }
        return rank == 0 ? nil : result
    }

    // MARK: Gather

    /// Every rank's value, in rank order, at the root; nil elsewhere. The corresponding MPI function is `MPI_Gather`.
    public func gather<T: MPIScalar>(_ value: T, root: Int) throws(MPIError) -> [T]? {
        try gather([value], root: root)
    }

    /// Every rank's array (all of the same length), concatenated in rank order at the root; nil elsewhere.
    /// The corresponding MPI function is `MPI_Gather`.
    public func gather<T: MPIScalar>(_ values: [T], root: Int) throws(MPIError) -> [T]? {
        let root32 = try peer(root, "MPI_Gather")
        let count = try mpiCount(values.count, "MPI_Gather")
        let total = rank == root ? values.count * size : 0
        let result: [T] = try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(total) { receive throws(MPIError) in
                try Call.gather(send.baseAddress, count, receive, T.datatype.handle, root32, handle)
            }
        }
        return rank == root ? result : nil
    }

    /// Every rank's array, of any length, concatenated in rank order at the root; nil elsewhere.
    /// The corresponding MPI functions are `MPI_Gather` (the counts) and `MPI_Gatherv`.
    public func gatherv<T: MPIScalar>(_ values: [T], root: Int) throws(MPIError) -> [T]? {
        try gathervWithCounts(values, root: root)?.values
    }

    /// Gathers blocks of known lengths into the root's buffer without a copy of the root's own block:
    /// rank r's block is `counts[r]` elements long. On the root, `buffer` is the whole result, the
    /// blocks laid end to end in rank order, with the root's own block already in its place; on the
    /// other ranks it is their block. Every rank passes the same `counts`. A wrong length on any rank
    /// makes every rank throw, before any data moves.
    /// The corresponding MPI function is `MPI_Gatherv` with `MPI_IN_PLACE` at the root.
    public func gatherv<T: MPIScalar>(inPlace buffer: UnsafeMutableBufferPointer<T>, counts: [Int], root: Int)
        throws(MPIError) {
        let root32 = try peer(root, "MPI_Gatherv")
        var problem: MPIError?
        var layout = (counts: [Int32](), displacements: [Int32]())
        do throws(MPIError) {
            guard counts.count == size else {
                throw MPIError(invalid: "MPI_Gatherv", "\(counts.count) counts for \(size) ranks")
            }
            layout = try Self.layout(counts, "MPI_Gatherv")
            let expected = rank == root ? counts.reduce(0, +) : counts[rank]
            guard buffer.count == expected else {
                throw MPIError(invalid: "MPI_Gatherv", "rank \(rank)'s buffer holds \(buffer.count) elements, not \(expected)")
            }
        } catch {
            problem = error
        }
        guard try allReduce(problem == nil, operation: .logicalAnd) else {
            throw problem ?? MPIError(invalid: "MPI_Gatherv", "another rank's buffer or counts are wrong")
        }
        if rank == root {
            try Call.gatherv(cmpi_in_place(), 0, UnsafeMutableRawPointer(buffer.baseAddress), layout.counts,
                             layout.displacements, T.datatype.handle, root32, handle)
        } else {
            try Call.gatherv(UnsafeRawPointer(buffer.baseAddress), layout.counts[rank], nil, layout.counts,
                             layout.displacements, T.datatype.handle, root32, handle)
        }
    }

    /// Every rank's text, in rank order, at the root; nil elsewhere.
    /// The corresponding MPI functions are `MPI_Gather` and `MPI_Gatherv`.
    public func gather(_ text: String, root: Int) throws(MPIError) -> [String]? {
        try gathervWithCounts(Array(text.utf8), root: root).map(Self.strings)
    }

    /// Every rank's value, in rank order, on every rank. The corresponding MPI function is `MPI_Allgather`.
    public func allGather<T: MPIScalar>(_ value: T) throws(MPIError) -> [T] {
        try allGather([value])
    }

    /// Every rank's array (all of the same length), concatenated in rank order on every rank.
    /// The corresponding MPI function is `MPI_Allgather`.
    public func allGather<T: MPIScalar>(_ values: [T]) throws(MPIError) -> [T] {
        let count = try mpiCount(values.count, "MPI_Allgather")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count * size) { receive throws(MPIError) in
                try Call.allgather(send.baseAddress, count, receive, T.datatype.handle, handle)
            }
        }
    }

    /// Every rank's array, of any length, concatenated in rank order on every rank.
    /// The corresponding MPI functions are `MPI_Allgather` (the counts) and `MPI_Allgatherv`.
    public func allGatherv<T: MPIScalar>(_ values: [T]) throws(MPIError) -> [T] {
        try allGathervWithCounts(values).values
    }

    /// Every rank's text, in rank order, on every rank.
    /// The corresponding MPI functions are `MPI_Allgather` and `MPI_Allgatherv`.
    public func allGather(_ text: String) throws(MPIError) -> [String] {
        Self.strings(try allGathervWithCounts(Array(text.utf8)))
    }

    // MARK: Scatter and all-to-all

    /// Rank r gets element r of the root's array, which has one element per rank (ignored elsewhere).
    /// The corresponding MPI function is `MPI_Scatter`.
    public func scatter<T: MPIScalar>(_ values: [T]?, root: Int) throws(MPIError) -> T {
        let root32 = try peer(root, "MPI_Scatter")
        let send = rank == root ? values ?? [] : []
        guard try rootAgrees(rank != root || send.count == size, root32) else {
            throw MPIError(invalid: "MPI_Scatter", "the root has \(send.count) values for \(size) ranks")
        }
        return try send.withUnsafeBufferPointer { buffer throws(MPIError) in
            try filled(1) { receive throws(MPIError) in
                try Call.scatter(buffer.baseAddress, 1, receive, T.datatype.handle, root32, handle)
            }
        }[0]
    }

    /// Rank r gets the r-th slice of the root's array, `counts[r]` elements long (arguments ignored elsewhere).
    /// The corresponding MPI functions are `MPI_Scatter` (the counts) and `MPI_Scatterv`.
    public func scatterv<T: MPIScalar>(_ values: [T]?, counts: [Int]?, root: Int) throws(MPIError) -> [T] {
        let root32 = try peer(root, "MPI_Scatterv")
        let send = rank == root ? values ?? [] : []
        let sendCounts = rank == root ? counts ?? [] : []
        var layout = (counts: [Int32](), displacements: [Int32]())
        var problem: MPIError?
        if rank == root {
            do throws(MPIError) {
                guard sendCounts.count == size, sendCounts.reduce(0, +) == send.count else {
                    throw MPIError(invalid: "MPI_Scatterv",
                                   "the root has \(send.count) values and \(sendCounts.count) counts for \(size) ranks")
                }
                layout = try Self.layout(sendCounts, "MPI_Scatterv")
            } catch {
                problem = error
            }
        }
        guard try rootAgrees(problem == nil, root32) else {
            throw problem ?? MPIError(invalid: "MPI_Scatterv", "the root's counts do not fit its values and ranks")
        }
        let count = try scatter(rank == root ? layout.counts : nil, root: root)
        return try send.withUnsafeBufferPointer { buffer throws(MPIError) in
            try filled(Int(count)) { receive throws(MPIError) in
                try Call.scatterv(buffer.baseAddress, layout.counts, layout.displacements, receive, count,
                                  T.datatype.handle, root32, handle)
            }
        }
    }

    /// Rank r sends the r'-th of `size` equal blocks of `values` to rank r' and receives their r-th blocks,
    /// in rank order. The corresponding MPI function is `MPI_Alltoall`.
    public func allToAll<T: MPIScalar>(_ values: [T]) throws(MPIError) -> [T] {
        let fits = values.count % size == 0
        guard try allReduce(fits, operation: .logicalAnd) else {
            throw MPIError(invalid: "MPI_Alltoall", fits ? "another rank's values do not split into equal blocks"
                                                          : "\(values.count) values do not split into \(size) equal blocks")
        }
        let block = try mpiCount(values.count / size, "MPI_Alltoall")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count) { receive throws(MPIError) in
                try Call.alltoall(send.baseAddress, block, receive, T.datatype.handle, handle)
            }
        }
    }
}

// MARK: - Internals shared by the collectives

extension Communicator {
    private func reduce<T>(_ values: [T], _ type: MPI_Datatype, _ op: MPI_Op, root: Int) throws(MPIError) -> [T]? {
        let root32 = try peer(root, "MPI_Reduce")
        let count = try mpiCount(values.count, "MPI_Reduce")
        let result: [T] = try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(rank == root ? values.count : 0) { receive throws(MPIError) in
                try Call.reduce(send.baseAddress, receive, count, type, op, root32, handle)
            }
        }
        return rank == root ? result : nil
    }

    private func allReduce<T>(_ values: [T], _ type: MPI_Datatype, _ op: MPI_Op) throws(MPIError) -> [T] {
        let count = try mpiCount(values.count, "MPI_Allreduce")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count) { receive throws(MPIError) in
                try Call.allreduce(send.baseAddress, receive, count, type, op, handle)
            }
        }
    }

    /// The datatype of `ValueLocation<V>`, after checking that Swift lays the pair out as MPI expects.
    private func pairDatatype<V: MPILocatable>(_: V.Type) throws(MPIError) -> MPI_Datatype {
        let type = V.pairDatatype.handle
        let extent = try Call.typeExtent(type)
        guard extent == MemoryLayout<ValueLocation<V>>.stride else {
            throw MPIError(invalid: "MPI_Type_get_extent",
                           "ValueLocation<\(V.self)> is \(MemoryLayout<ValueLocation<V>>.stride) bytes, MPI's pair \(extent)")
        }
        return type
    }

    func gathervWithCounts<T: MPIScalar>(_ values: [T], root: Int) throws(MPIError) -> (values: [T], counts: [Int])? {
        let root32 = try peer(root, "MPI_Gatherv")
        let count = try mpiCount(values.count, "MPI_Gatherv")
        let counts = try gather(count, root: root)
        var layout = (counts: [Int32](), displacements: [Int32]())
        var problem: MPIError?
        do throws(MPIError) { layout = try Self.layout(counts.map { $0.map(Int.init) } ?? [], "MPI_Gatherv") } catch { problem = error }
        guard try rootAgrees(problem == nil, root32) else {
            throw problem ?? MPIError(invalid: "MPI_Gatherv", "the gathered values do not fit MPI's int counts",
                                      code: cmpi_err_count())
        }
        let total = counts.map { $0.reduce(0) { $0 + Int($1) } } ?? 0
        let result: [T] = try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(total) { receive throws(MPIError) in
                try Call.gatherv(send.baseAddress, count, receive, layout.counts, layout.displacements,
                                 T.datatype.handle, root32, handle)
            }
        }
        return counts.map { (result, $0.map(Int.init)) }
    }

    func allGathervWithCounts<T: MPIScalar>(_ values: [T]) throws(MPIError) -> (values: [T], counts: [Int]) {
        let count = try mpiCount(values.count, "MPI_Allgatherv")
        let counts = try allGather(count).map(Int.init)
        let layout = try Self.layout(counts, "MPI_Allgatherv")
        let result: [T] = try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(counts.reduce(0, +)) { receive throws(MPIError) in
                try Call.allgatherv(send.baseAddress, count, receive, layout.counts, layout.displacements,
                                    T.datatype.handle, handle)
            }
        }
        return (result, counts)
    }

    /// Whether the root found its arguments good; every rank learns the root's answer (one `MPI_Bcast`).
    private func rootAgrees(_ good: Bool, _ root: Int32) throws(MPIError) -> Bool {
        var flag: UInt8 = good ? 1 : 0
        try withUnsafeMutablePointer(to: &flag) { pointer throws(MPIError) in
            try Call.bcast(pointer, 1, UInt8.datatype.handle, root, handle)
        }
        return flag == 1
    }

    /// MPI's int counts and displacements for blocks laid end to end, or `MPI_ERR_COUNT` when they overflow.
    static func layout(_ counts: [Int], _ function: StaticString) throws(MPIError) -> (counts: [Int32], displacements: [Int32]) {
        var displacements = [Int32]()
        displacements.reserveCapacity(counts.count)
        var offset = 0
        for count in counts {
            guard count >= 0 else { throw MPIError(invalid: "\(function)", "negative count \(count)") }
            displacements.append(try mpiCount(offset, function))
            offset += count
        }
        _ = try mpiCount(offset, function)
        return (try counts.map { c throws(MPIError) in try mpiCount(c, function) }, displacements)
    }

    static func strings(_ gathered: (values: [UInt8], counts: [Int])) -> [String] {
        var strings: [String] = []
        var start = 0
        for count in gathered.counts {
            strings.append(String(decoding: gathered.values[start..<start + count], as: UTF8.self))
            start += count
        }
        return strings
    }
}

/// An array of `count` elements written by `fill` through a raw pointer (MPI's receive buffer).
func filled<T>(_ count: Int, _ fill: (UnsafeMutableRawPointer?) throws(MPIError) -> Void) throws(MPIError) -> [T] {
    try [T](unsafeUninitializedCapacity: count) { buffer, initialized throws(MPIError) in
        try fill(UnsafeMutableRawPointer(buffer.baseAddress))
        initialized = count
    }
}
