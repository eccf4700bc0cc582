internal import CMPI

/// An error reported by the MPI library (or found by this layer before calling it),
/// with the text of `MPI_Error_string`.
///
/// The layer sets `MPI_ERRORS_RETURN` on every communicator it uses, so a failing MPI call
/// returns here instead of ending the process, and every return code is checked.
public struct MPIError: Error, CustomStringConvertible, Sendable {
    /// The details live behind one reference, so a throwing call costs the hot path one register.
    private final class Details: Sendable {
        let code: Int, errorClass: Int, function: String, message: String
        init(code: Int, errorClass: Int, function: String, message: String) {
            (self.code, self.errorClass, self.function, self.message) = (code, errorClass, function, message)
        }
    }
    private let details: Details

    /// The MPI error code an MPI function returned.
    public var code: Int { details.code }
    /// The MPI error class of `code`. The corresponding MPI function is `MPI_Error_class`.
    public var errorClass: Int { details.errorClass }
    /// The MPI function that failed, for example `MPI_Allreduce`.
    public var function: String { details.function }
    /// The library's text for the code. The corresponding MPI function is `MPI_Error_string`.
    public var message: String { details.message }

    /// Whether this is a file transfer that moved fewer bytes than asked (a full disk, an end of
    /// file), or an error of MPI's classes for a full disk or quota (`MPI_ERR_IO`, `MPI_ERR_NO_SPACE`,
    /// `MPI_ERR_QUOTA`).
    public var isIncompleteTransfer: Bool {
        [cmpi_err_io(), cmpi_err_no_space(), cmpi_err_quota()].contains(Int32(truncatingIfNeeded: errorClass))
    }

    /// `MPI_Allreduce: MPI_ERR_COUNT: invalid count argument`.
    public var description: String { "\(function): \(message)" }

    /// An error the MPI library returned from `function`.
    @inline(never)
    init(code: Int32, function: String) {
        var errorClass: Int32 = 0
        if cmpi_error_class(code, &errorClass) != cmpi_success() { errorClass = code }
        var length: Int32 = 0
        var text = [CChar](repeating: 0, count: Int(cmpi_max_error_string()) + 1)
        let message: String
        if cmpi_error_string(code, &text, &length) == cmpi_success() {
            message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else {
            message = "MPI error code \(code)"
        }
        details = Details(code: Int(code), errorClass: Int(errorClass), function: function, message: message)
    }

    /// An error this layer finds before calling `function` (a count that does not fit, a size mismatch).
    @inline(never)
    init(invalid function: String, _ message: String, code: Int32 = cmpi_err_arg()) {
        details = Details(code: Int(code), errorClass: Int(code), function: function, message: message)
    }
}

/// Checks an MPI return code. Every MPI call of this module goes through here.
@inline(__always)
func check(_ code: Int32, _ function: StaticString) throws(MPIError) {
    if _slowPath(code != cmpi_success()) { throw MPIError(code: code, function: "\(function)") }
}

/// Converts a Swift count to MPI's `int`, or throws `MPI_ERR_COUNT`.
@inline(__always)
func mpiCount(_ count: Int, _ function: StaticString) throws(MPIError) -> Int32 {
    guard _fastPath(count >= Int(Int32.min) && count <= Int(Int32.max)) else {
        throw MPIError(invalid: "\(function)",
                       "count \(count) does not fit MPI's int (at most \(Int32.max) elements per call)",
                       code: cmpi_err_count())
    }
    return Int32(truncatingIfNeeded: count)
}
