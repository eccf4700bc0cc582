internal import CMPI

/// An error reported by the MPI library (or found by this layer before calling it),
/// with the text of `MPI_Error_string`.
///
/// The layer sets `MPI_ERRORS_RETURN` on every communicator it uses, so a failing MPI call
/// returns here instead of ending the process, and every return code is checked.
public struct MPIError: Error, CustomStringConvertible, Sendable {
    /// The MPI error code. The corresponding MPI constant is the code an MPI function returned.
    public let code: Int
    /// The MPI error class of `code`. The corresponding MPI function is `MPI_Error_class`.
    public let errorClass: Int
    /// The MPI function that failed, for example `MPI_Allreduce`.
    public let function: String
    /// The library's text for the code. The corresponding MPI function is `MPI_Error_string`.
    public let message: String

    /// `MPI_Allreduce: MPI_ERR_COUNT: invalid count argument`.
    public var description: String { "\(function): \(message)" }

    /// An error the MPI library returned from `function`.
    init(code: Int32, function: String) {
        var errorClass: Int32 = 0
        if MPI_Error_class(code, &errorClass) != cmpi_success() { errorClass = code }
        var length: Int32 = 0
        var text = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        let message: String
        if MPI_Error_string(code, &text, &length) == cmpi_success() {
            message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            message = "MPI error code \(code)"
        }
        self.code = Int(code)
        self.errorClass = Int(errorClass)
        self.function = function
        self.message = message
    }

    /// An error this layer finds before calling `function` (a count that does not fit, a size mismatch).
    init(invalid function: String, _ message: String, code: Int32 = cmpi_err_arg()) {
        self.code = Int(code)
        self.errorClass = Int(code)
        self.function = function
        self.message = message
    }
}

/// Checks an MPI return code. Every MPI call of this module goes through here.
@inline(__always)
func check(_ code: Int32, _ function: StaticString) throws(MPIError) {
    if code != MPI_SUCCESS { throw MPIError(code: code, function: "\(function)") }
}

/// Converts a Swift count to MPI's `int`, or throws `MPI_ERR_COUNT`.
@inline(__always)
func mpiCount(_ count: Int, _ function: StaticString) throws(MPIError) -> Int32 {
    guard let count32 = Int32(exactly: count) else {
        throw MPIError(invalid: "\(function)",
                       "count \(count) does not fit MPI's int (at most \(Int32.max) elements per call)",
                       code: cmpi_err_count())
    }
    return count32
}
