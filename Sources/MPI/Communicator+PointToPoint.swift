internal import CMPI

// Point-to-point messages. Tags are non-negative; receives and probes match any sender and any
// tag unless told otherwise (`Communicator.anySource`, `Communicator.anyTag`), as mpi4py's `recv`.

extension Communicator {
    /// Sends `values` to `destination`. The corresponding MPI function is `MPI_Send`.
    public func send<T: MPIScalar>(_ values: [T], to destination: Int, tag: Int = 0) throws(MPIError) {
        try values.withUnsafeBufferPointer { buffer throws(MPIError) in try send(buffer, to: destination, tag: tag) }
    }

    /// Sends the values in `buffer` (for example part of a larger one) without copying.
    /// The corresponding MPI function is `MPI_Send`.
    public func send<T: MPIScalar>(_ buffer: UnsafeBufferPointer<T>, to destination: Int, tag: Int = 0) throws(MPIError) {
        let count = try mpiCount(buffer.count, "MPI_Send")
        let peer = try peer(destination, "MPI_Send"), tag = try mpiCount(tag, "MPI_Send")
        try Call.send(buffer.baseAddress, count, T.datatype.handle, peer, tag, handle)
    }

    /// Sends one value to `destination`. The corresponding MPI function is `MPI_Send`.
    public func send<T: MPIScalar>(_ value: T, to destination: Int, tag: Int = 0) throws(MPIError) {
        let peer = try peer(destination, "MPI_Send"), tag = try mpiCount(tag, "MPI_Send")
        try withUnsafePointer(to: value) { pointer throws(MPIError) in
            try Call.send(pointer, 1, T.datatype.handle, peer, tag, handle)
        }
    }

    /// Receives a message of at most `buffer.count` values into `buffer`; the status tells how many came.
    /// The corresponding MPI function is `MPI_Recv`.
    @discardableResult
    public func receive<T: MPIScalar>(into buffer: inout [T], from source: Int = anySource,
                                      tag: Int = anyTag) throws(MPIError) -> Status {
        try buffer.withUnsafeMutableBufferPointer { pointer throws(MPIError) in
            try receive(into: pointer, from: source, tag: tag)
        }
    }

    /// Receives a message of at most `buffer.count` values into memory the caller owns, without copying.
    /// The corresponding MPI function is `MPI_Recv`.
    @discardableResult
    public func receive<T: MPIScalar>(into buffer: UnsafeMutableBufferPointer<T>, from source: Int = anySource,
                                      tag: Int = anyTag) throws(MPIError) -> Status {
        let count = try mpiCount(buffer.count, "MPI_Recv")
        let peer = try peer(source, "MPI_Recv"), tag = try mpiCount(tag, "MPI_Recv")
        return Status(raw: try Call.recv(buffer.baseAddress, count, T.datatype.handle, peer, tag, handle))
    }

    /// Receives one value. The corresponding MPI function is `MPI_Recv`.
    public func receive<T: MPIScalar>(_ type: T.Type, from source: Int = anySource,
                                      tag: Int = anyTag) throws(MPIError) -> (value: T, status: Status) {
        var buffer: [T] = try filled(1) { _ throws(MPIError) in }
        let status = try receive(into: &buffer, from: source, tag: tag)
        guard try status.count(of: T.self) == 1 else {
            throw MPIError(invalid: "MPI_Recv", "expected one \(T.self) value, the message held none")
        }
        return (buffer[0], status)
    }

    /// Receives a message of any length: probes for its size, then receives exactly it.
    /// The corresponding MPI functions are `MPI_Probe`, `MPI_Get_count` and `MPI_Recv`.
    public func receive<T: MPIScalar>(arrayOf type: T.Type, from source: Int = anySource,
                                      tag: Int = anyTag) throws(MPIError) -> (values: [T], status: Status) {
        let probed = try probe(from: source, tag: tag)
        guard let count = try probed.count(of: T.self) else {
            throw MPIError(invalid: "MPI_Get_count", "the message is not a whole number of \(T.self) values")
        }
        var buffer: [T] = try filled(count) { _ throws(MPIError) in }
        let status = try receive(into: &buffer, from: probed.source, tag: probed.tag)
        return (buffer, status)
    }

    /// Sends `values` to `destination` and receives into `buffer` from `source` in one step, without deadlock.
    /// The corresponding MPI function is `MPI_Sendrecv`.
    @discardableResult
    public func sendReceive<T: MPIScalar>(_ values: [T], to destination: Int, sendTag: Int = 0,
                                          into buffer: inout [T], from source: Int = anySource,
                                          receiveTag: Int = anyTag) throws(MPIError) -> Status {
        let sendCount = try mpiCount(values.count, "MPI_Sendrecv")
        let receiveCount = try mpiCount(buffer.count, "MPI_Sendrecv")
        let destination = try peer(destination, "MPI_Sendrecv"), sendTag = try mpiCount(sendTag, "MPI_Sendrecv")
        let source = try peer(source, "MPI_Sendrecv"), receiveTag = try mpiCount(receiveTag, "MPI_Sendrecv")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try buffer.withUnsafeMutableBufferPointer { receive throws(MPIError) in
                Status(raw: try Call.sendrecv(send.baseAddress, sendCount, destination, sendTag,
                                              receive.baseAddress, receiveCount, source, receiveTag,
                                              T.datatype.handle, handle))
            }
        }
    }

    /// Starts sending a copy of `values`; complete the request with `wait`, `test` or `Request.waitAll`.
    /// The corresponding MPI function is `MPI_Isend`.
    public func isend<T: MPIScalar>(_ values: [T], to destination: Int, tag: Int = 0) throws(MPIError)
        -> SendRequest<T> {
        try SendRequest(values, destination: try peer(destination, "MPI_Isend"), tag: try mpiCount(tag, "MPI_Isend"),
                        communicator: handle)
    }

    /// Starts receiving at most `count` values; read `values` once the request completed.
    /// The corresponding MPI function is `MPI_Irecv`.
    public func ireceive<T: MPIScalar>(count: Int, of type: T.Type, from source: Int = anySource,
                                       tag: Int = anyTag) throws(MPIError) -> ReceiveRequest<T> {
        try ReceiveRequest(count: count, source: try peer(source, "MPI_Irecv"), tag: try mpiCount(tag, "MPI_Irecv"),
                           communicator: handle)
    }

    /// Waits for a matching message without receiving it. The corresponding MPI function is `MPI_Probe`.
    public func probe(from source: Int = anySource, tag: Int = anyTag) throws(MPIError) -> Status {
        Status(raw: try Call.probe(try peer(source, "MPI_Probe"), try mpiCount(tag, "MPI_Probe"), handle))
    }

    /// The status of a matching message if one has arrived, else nil. The corresponding MPI function is `MPI_Iprobe`.
    public func iprobe(from source: Int = anySource, tag: Int = anyTag) throws(MPIError) -> Status? {
        try Call.iprobe(try peer(source, "MPI_Iprobe"), try mpiCount(tag, "MPI_Iprobe"), handle).map(Status.init(raw:))
    }
}
