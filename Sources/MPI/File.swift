internal import CMPI

/// A file opened by every rank of a communicator together, for collective reads and writes at
/// explicit byte offsets (MPI-IO). Errors come back as `MPIError` (MPI's default for files).
///
/// The corresponding MPI functions are `MPI_File_open`, `MPI_File_write_at_all`,
/// `MPI_File_read_at_all`, `MPI_File_sync`, `MPI_File_set_size`, `MPI_File_get_size` and `MPI_File_close`.
public final class File {
    /// How a file is opened.
    public enum Access: Sendable {
        /// Read only; the file must exist.
        case read
        /// Write only; created if missing.
        case write
        /// Write only; created, and an error if it exists (`MPI_MODE_EXCL`).
        case createNew

        var mode: Int32 {
            switch self {
            case .read: cmpi_mode_rdonly()
            case .write: cmpi_mode_wronly() | cmpi_mode_create()
            case .createNew: cmpi_mode_wronly() | cmpi_mode_create() | cmpi_mode_excl()
            }
        }
    }

    /// The ranks that opened the file.
    public let communicator: Communicator
    private var handle: MPI_File?

    /// Opens `path` on every rank of `communicator` (collective).
    public init(_ path: String, access: Access, communicator: Communicator) throws(MPIError) {
        self.communicator = communicator
        handle = try Call.fileOpen(communicator.handle, path, access.mode)
    }

    /// Not collective: a file still open here is left to `MPI_Finalize` or `MPI_Abort`. Closing is
    /// collective, and a `deinit` can run while one rank alone unwinds an error, where a collective
    /// call would wait forever for ranks that are not coming. Call `close()`.
    deinit {}

    /// Writes `values` at `offset` bytes from the start of the file (collective: every rank calls
    /// it, each with its own part, possibly empty). Parts larger than MPI's `int` count are written
    /// in several rounds; every rank takes part in each round, so none is left waiting.
    ///
    /// Every round's count is checked, not just the return code: some implementations report
    /// success for a write cut short by a full disk. A short write still takes part in the remaining
    /// rounds, then throws an error of class `MPI_ERR_IO` (`isIncompleteTransfer`) on the ranks that
    /// had one.
    public func writeAll<T: MPIScalar>(_ values: UnsafeBufferPointer<T>, at offset: Int) throws(MPIError) {
        try inRounds(count: values.count, offset: offset, T.self, "MPI_File_write_at_all", "wrote")
        { start, count, byteOffset throws(MPIError) in
            try Call.fileWriteAtAll(try open(), Int64(byteOffset), UnsafeRawPointer(values.baseAddress.map { $0 + start }),
                                    count, T.datatype.handle)
        }
    }

    /// Reads `values.count` values from `offset` bytes into `values` (collective, as `writeAll`).
    /// A count MPI reports short throws as a short write does; not every implementation reports one
    /// for a collective read past the end of the file (Open MPI's OMPIO does not).
    public func readAll<T: MPIScalar>(into values: UnsafeMutableBufferPointer<T>, at offset: Int) throws(MPIError) {
        try inRounds(count: values.count, offset: offset, T.self, "MPI_File_read_at_all", "read")
        { start, count, byteOffset throws(MPIError) in
            try Call.fileReadAtAll(try open(), Int64(byteOffset),
                                   UnsafeMutableRawPointer(values.baseAddress.map { $0 + start }), count,
                                   T.datatype.handle)
        }
    }

    /// Moves everything written so far to the storage device (collective); an error if it cannot,
    /// such as a full disk found only now. The corresponding MPI function is `MPI_File_sync`.
    public func sync() throws(MPIError) { try Call.fileSync(try open()) }

    /// The file's size in bytes.
    public func size() throws(MPIError) -> Int { Int(try Call.fileGetSize(try open())) }

    /// Sets the file's size in bytes, truncating or extending it (collective).
    public func setSize(_ bytes: Int) throws(MPIError) { try Call.fileSetSize(try open(), Int64(bytes)) }

    /// Closes the file (collective). Further use throws.
    public func close() throws(MPIError) {
        _ = try open()
        try Call.fileClose(&handle)
        handle = nil
    }

    /// Deletes the file at `path` (not collective).
    public static func delete(_ path: String) throws(MPIError) { try Call.fileDelete(path) }

    private func open() throws(MPIError) -> MPI_File {
        guard let handle else { throw MPIError(invalid: "MPI_File", "the file is closed") }
        return handle
    }

    /// At most 2^30 elements per call; as many rounds on every rank as the largest part needs. Each
    /// round returns the count MPI reports; the first short one is thrown after the last round.
    private func inRounds<T>(count: Int, offset: Int, _: T.Type, _ function: String, _ verb: String,
                             _ body: (_ start: Int, _ count: Int32, _ byteOffset: Int) throws(MPIError) -> Int32)
        throws(MPIError) {
        let chunk = 1 << 30
        let rounds = try communicator.allReduce((count + chunk - 1) / chunk, operation: .max)
        var shortfall: MPIError?
        for round in 0..<rounds {
            let start = Swift.min(round * chunk, count)
            let length = Swift.min(chunk, count - start)
            let done = Int(try body(start, Int32(length), offset + start * MemoryLayout<T>.stride))
            if done != length, shortfall == nil {
                let size = MemoryLayout<T>.stride
                shortfall = MPIError(invalid: function,
                                     "\(verb) \(Swift.max(done, 0) * size) of \(length * size) bytes at offset "
                                     + "\(offset + start * size)", code: cmpi_err_io())
            }
        }
        if let shortfall { throw shortfall }
    }
}
