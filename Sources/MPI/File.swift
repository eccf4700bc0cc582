internal import CMPI

/// A file opened by every rank of a communicator together, for collective reads and writes at
/// explicit byte offsets (MPI-IO). Errors come back as `MPIError` (MPI's default for files).
///
/// The corresponding MPI functions are `MPI_File_open`, `MPI_File_write_at_all`,
/// `MPI_File_read_at_all`, `MPI_File_set_size`, `MPI_File_get_size` and `MPI_File_close`.
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

    deinit {
        if handle != nil { try? Call.fileClose(&handle) }
    }

    /// Writes `values` at `offset` bytes from the start of the file (collective: every rank calls
    /// it, each with its own part, possibly empty). Parts larger than MPI's `int` count are written
    /// in several rounds; every rank takes part in each round, so none is left waiting.
    public func writeAll<T: MPIScalar>(_ values: UnsafeBufferPointer<T>, at offset: Int) throws(MPIError) {
        try inRounds(count: values.count, offset: offset, T.self) { start, count, byteOffset throws(MPIError) in
            try Call.fileWriteAtAll(try open(), Int64(byteOffset), UnsafeRawPointer(values.baseAddress.map { $0 + start }),
                                    count, T.datatype.handle)
        }
    }

    /// Reads `values.count` values from `offset` bytes into `values` (collective, as `writeAll`).
    public func readAll<T: MPIScalar>(into values: UnsafeMutableBufferPointer<T>, at offset: Int) throws(MPIError) {
        try inRounds(count: values.count, offset: offset, T.self) { start, count, byteOffset throws(MPIError) in
            try Call.fileReadAtAll(try open(), Int64(byteOffset),
                                   UnsafeMutableRawPointer(values.baseAddress.map { $0 + start }), count,
                                   T.datatype.handle)
        }
    }

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

    /// At most 2^30 elements per call; as many rounds on every rank as the largest part needs.
    private func inRounds<T>(count: Int, offset: Int, _: T.Type,
                             _ body: (_ start: Int, _ count: Int32, _ byteOffset: Int) throws(MPIError) -> Void)
        throws(MPIError) {
        let chunk = 1 << 30
        let rounds = try communicator.allReduce((count + chunk - 1) / chunk, operation: .max)
        for round in 0..<rounds {
            let start = Swift.min(round * chunk, count)
            let length = Swift.min(chunk, count - start)
            try body(start, Int32(length), offset + start * MemoryLayout<T>.stride)
        }
    }
}
