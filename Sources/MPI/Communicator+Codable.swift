// Messages of any Codable value, like mpi4py's lowercase methods that pickle: the value is encoded
// to a compact binary form (this module's own encoder, no Foundation), sent as bytes, and decoded
// on arrival. Receives probe for the size first, so any length can be received. A message that does
// not decode as the expected type is an `MPIError`, never a crash.
//
// In the collectives, a value that does not encode on one rank, a missing root value, or a message
// that does not decode on one rank makes every rank throw the same error, so none is left waiting.

extension Communicator {
    // MARK: Point to point

    /// Sends any `Encodable` value to `destination`, encoded to bytes.
    /// The corresponding MPI function is `MPI_Send` (of `MPI_BYTE`).
    public func send<T: Encodable>(encoding value: T, to destination: Int, tag: Int = 0) throws(MPIError) {
        let bytes = try Self.encoded(value, "MPI_Send")
        try send(bytes, to: destination, tag: tag)
    }

    /// Receives a value sent with `send(encoding:)`, of any size; throws if it does not decode as `T`.
    /// The corresponding MPI functions are `MPI_Probe`, `MPI_Get_count` and `MPI_Recv`.
    public func receive<T: Decodable>(decoding type: T.Type, from source: Int = anySource,
                                      tag: Int = anyTag) throws(MPIError) -> (value: T, status: Status) {
        let (bytes, status) = try receive(arrayOf: UInt8.self, from: source, tag: tag)
        return (try Self.decoded(T.self, bytes, "MPI_Recv", from: status.source).get(), status)
    }

    // MARK: Collectives

    /// The root's value, on every rank; the other ranks pass nil (or anything: it is ignored).
    /// The corresponding MPI functions are `MPI_Bcast` (the size, then the bytes) and `MPI_Allreduce`
    /// (whether every rank decoded it).
    public func broadcast<T: Codable>(encoding value: T?, root: Int) throws(MPIError) -> T {
        _ = try peer(root, "MPI_Bcast")
        var bytes = rank == root ? payload(value, "MPI_Bcast", missing: "the root passed no value") : []
        try broadcast(&bytes, root: root)
        let result = rank == root && bytes.first == MessageCoder.magic
            ? .success(value!) : Self.decoded(T.self, bytes, "MPI_Bcast", from: root)
        return try agreeing(result, "MPI_Bcast")
    }

    /// Every rank's value, in rank order, at the root; nil elsewhere.
    /// The corresponding MPI functions are `MPI_Gather` (the sizes), `MPI_Gatherv` and `MPI_Bcast`
    /// (whether the root decoded every value).
    public func gather<T: Codable>(encoding value: T, root: Int) throws(MPIError) -> [T]? {
        guard let (bytes, counts) = try gathervWithCounts(payload(value, "MPI_Gatherv"), root: root) else {
            // Not the root: learn whether the root decoded every value.
            _ = try agreeing(Result<Void, MPIError>.success(()), "MPI_Gatherv", root: root)
            return nil
        }
        let values = Self.split(bytes, counts, "MPI_Gatherv", as: T.self)
        return try agreeing(values, "MPI_Gatherv", root: root)
    }

    /// Every rank's value, in rank order, on every rank.
    /// The corresponding MPI functions are `MPI_Allgather` (the sizes), `MPI_Allgatherv` and
    /// `MPI_Allreduce` (whether every rank decoded every value).
    public func allGather<T: Codable>(encoding value: T) throws(MPIError) -> [T] {
        let (bytes, counts) = try allGathervWithCounts(payload(value, "MPI_Allgatherv"))
        return try agreeing(Self.split(bytes, counts, "MPI_Allgatherv", as: T.self), "MPI_Allgatherv")
    }

    /// Rank r gets element r of the root's array, which has one value per rank (ignored elsewhere).
    /// The corresponding MPI functions are `MPI_Scatter` (the sizes), `MPI_Scatterv` and `MPI_Allreduce`
    /// (whether every rank decoded its value).
    public func scatter<T: Codable>(encoding values: [T]?, root: Int) throws(MPIError) -> T {
        _ = try peer(root, "MPI_Scatterv")
        var bytes: [UInt8] = [], counts: [Int] = []
        if rank == root {
            if let values, values.count == size {
                for value in values {
                    let piece = payload(value, "MPI_Scatterv")
                    bytes += piece
                    counts.append(piece.count)
                }
            } else {
                // Every rank gets the root's error instead of a value.
                let error = payload(T?.none, "MPI_Scatterv",
                                         missing: "the root has \(values?.count ?? 0) values for \(size) ranks")
                bytes = Array([[UInt8]](repeating: error, count: size).joined())
                counts = Array(repeating: error.count, count: size)
            }
        }
        let mine = try scatterv(rank == root ? bytes : nil, counts: rank == root ? counts : nil, root: root)
        return try agreeing(Self.decoded(T.self, mine, "MPI_Scatterv", from: root), "MPI_Scatterv")
    }
}

// MARK: - Encoding, decoding and agreeing

extension Communicator {
    /// The first byte of a payload that carries an error (its UTF-8 text follows) instead of a value.
    private static let errorMark: UInt8 = 0

    /// The bytes of `value`, or an `MPIError`.
    static func encoded<T: Encodable>(_ value: T, _ function: StaticString) throws(MPIError) -> [UInt8] {
        do {
            return try MessageCoder.encode(value)
        } catch {
            throw MPIError(invalid: "\(function)", "a \(T.self) value does not encode: \(error)")
        }
    }

    /// The bytes of `value`, or of the error that stopped it (a missing value, a failed encoding),
    /// for the ranks that receive it to throw.
    private func payload<T: Encodable>(_ value: T?, _ function: StaticString, missing: String = "") -> [UInt8] {
        guard let value else { return [Self.errorMark] + Array(missing.utf8) }
        do {
            return try MessageCoder.encode(value)
        } catch {
            return [Self.errorMark] + Array("rank \(rank): a \(T.self) value does not encode: \(error)".utf8)
        }
    }

    /// The value in bytes from `source`, or the error the payload carries, or why it does not decode.
    static func decoded<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], _ function: StaticString,
                                      from source: Int) -> Result<T, MPIError> {
        if bytes.first == errorMark {
            return .failure(MPIError(invalid: "\(function)", String(decoding: bytes.dropFirst(), as: UTF8.self)))
        }
        do {
            return .success(try MessageCoder.decode(T.self, from: bytes))
        } catch {
            return .failure(MPIError(invalid: "\(function)", "the message from rank \(source) does not decode as "
                                     + "\(T.self): \(MessageCoder.describe(error))"))
        }
    }

    /// The values of gathered payloads laid end to end, or the first (lowest rank's) failure.
    private static func split<T: Decodable>(_ bytes: [UInt8], _ counts: [Int], _ function: StaticString,
                                            as type: T.Type) -> Result<[T], MPIError> {
        var values: [T] = []
        values.reserveCapacity(counts.count)
        var start = 0
        for (source, count) in counts.enumerated() {
            switch decoded(T.self, Array(bytes[start..<start + count]), function, from: source) {
            case .success(let value): values.append(value)
            case .failure(let error): return .failure(error)
            }
            start += count
        }
        return .success(values)
    }

    /// The value if every rank succeeded; otherwise every rank throws the lowest failing rank's error.
    /// The corresponding MPI functions are `MPI_Allreduce` and, on a failure, `MPI_Bcast`.
    func agreeing<R>(_ result: Result<R, MPIError>, _ function: StaticString) throws(MPIError) -> R {
        let failed: Bool
        if case .failure = result { failed = true } else { failed = false }
        let first = try allReduce(failed ? rank : size, operation: .min)
        if case .success(let value) = result, first == size { return value }
        throw try shared(failedOn: first, result, function)
    }

    /// The value if the root succeeded; otherwise every rank throws the root's error.
    /// The corresponding MPI function is `MPI_Bcast`.
    func agreeing<R>(_ result: Result<R, MPIError>, _ function: StaticString, root: Int) throws(MPIError) -> R {
        let failed: Bool
        if case .failure = result, rank == root { failed = true } else { failed = false }
        let rootFailed = try broadcast(failed, root: root)
        if !rootFailed { return try result.get() }
        throw try shared(failedOn: root, result, function)
    }

    /// The error of rank `source`, sent to every rank.
    private func shared<R>(failedOn source: Int, _ result: Result<R, MPIError>,
                           _ function: StaticString) throws(MPIError) -> MPIError {
        var message = ""
        if case .failure(let error) = result, rank == source { message = error.message }
        message = try broadcast(message, root: source)
        return MPIError(invalid: "\(function)", message)
    }
}
