internal import CMPI

/// An MPI datatype handle, such as `MPI_DOUBLE`. Obtained from a type's `MPIScalar` conformance.
public struct Datatype: @unchecked Sendable {
    let handle: MPI_Datatype
}

/// A Swift scalar type that MPI can send and reduce, mapped to its predefined MPI datatype.
///
/// The corresponding MPI concept is the predefined datatype (`MPI_INT32_T`, `MPI_DOUBLE`, ...).
public protocol MPIScalar: BitwiseCopyable, Sendable {
    /// The MPI datatype of one value of this type.
    static var datatype: Datatype { get }
}

extension Int8: MPIScalar { /// `MPI_INT8_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_int8()) } }
extension Int16: MPIScalar { /// `MPI_INT16_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_int16()) } }
extension Int32: MPIScalar { /// `MPI_INT32_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_int32()) } }
extension Int64: MPIScalar { /// `MPI_INT64_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_int64()) } }
extension Int: MPIScalar { /// `MPI_INT64_T` (Swift's `Int` is 64 bits on every platform MPI runs on here).
    public static var datatype: Datatype { Datatype(handle: cmpi_int64()) } }
extension UInt8: MPIScalar { /// `MPI_UINT8_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_uint8()) } }
extension UInt16: MPIScalar { /// `MPI_UINT16_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_uint16()) } }
extension UInt32: MPIScalar { /// `MPI_UINT32_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_uint32()) } }
extension UInt64: MPIScalar { /// `MPI_UINT64_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_uint64()) } }
extension UInt: MPIScalar { /// `MPI_UINT64_T`.
    public static var datatype: Datatype { Datatype(handle: cmpi_uint64()) } }
extension Float: MPIScalar { /// `MPI_FLOAT`.
    public static var datatype: Datatype { Datatype(handle: cmpi_float()) } }
extension Double: MPIScalar { /// `MPI_DOUBLE`.
    public static var datatype: Datatype { Datatype(handle: cmpi_double()) } }
extension Bool: MPIScalar { /// `MPI_C_BOOL` (one byte, as Swift's `Bool`).
    public static var datatype: Datatype { Datatype(handle: cmpi_bool()) } }

/// A scalar that can be paired with a location for `MPI_MINLOC` and `MPI_MAXLOC`.
///
/// The corresponding MPI datatypes are `MPI_FLOAT_INT`, `MPI_DOUBLE_INT`, `MPI_LONG_INT` and `MPI_2INT`.
public protocol MPILocatable: MPIScalar, Comparable {
    /// The MPI datatype of a `ValueLocation<Self>`.
    static var pairDatatype: Datatype { get }
}

extension Float: MPILocatable { /// `MPI_FLOAT_INT`.
    public static var pairDatatype: Datatype { Datatype(handle: cmpi_float_int()) } }
extension Double: MPILocatable { /// `MPI_DOUBLE_INT`.
    public static var pairDatatype: Datatype { Datatype(handle: cmpi_double_int()) } }
extension Int: MPILocatable { /// `MPI_LONG_INT`.
    public static var pairDatatype: Datatype { Datatype(handle: cmpi_long_int()) } }
extension Int32: MPILocatable { /// `MPI_2INT`.
    public static var pairDatatype: Datatype { Datatype(handle: cmpi_2int()) } }

/// A value and where it came from (a rank or an index): the operand of `MPI_MINLOC` / `MPI_MAXLOC`.
///
/// Its memory layout is that of the C pair types (`struct { double value; int location; }`),
/// which `Communicator` checks against the MPI datatype's extent before first use.
public struct ValueLocation<Value: MPILocatable>: BitwiseCopyable, Equatable, Sendable {
    /// The value compared.
    public var value: Value
    /// Its location; on ties the smallest location wins.
    public var location: Int32
    /// A value at a location.
    public init(_ value: Value, location: Int32) {
        self.value = value
        self.location = location
    }
}

/// A predefined reduction operation, such as `MPI_SUM`.
public struct ReductionOperation: @unchecked Sendable {
    let handle: MPI_Op
    /// `MPI_SUM`.
    public static var sum: ReductionOperation { .init(handle: cmpi_op_sum()) }
    /// `MPI_PROD`.
    public static var product: ReductionOperation { .init(handle: cmpi_op_prod()) }
    /// `MPI_MIN`.
    public static var min: ReductionOperation { .init(handle: cmpi_op_min()) }
    /// `MPI_MAX`.
    public static var max: ReductionOperation { .init(handle: cmpi_op_max()) }
    /// `MPI_LAND`.
    public static var logicalAnd: ReductionOperation { .init(handle: cmpi_op_land()) }
    /// `MPI_LOR`.
    public static var logicalOr: ReductionOperation { .init(handle: cmpi_op_lor()) }
    /// `MPI_LXOR`.
    public static var logicalXor: ReductionOperation { .init(handle: cmpi_op_lxor()) }
    /// `MPI_BAND`.
    public static var bitwiseAnd: ReductionOperation { .init(handle: cmpi_op_band()) }
    /// `MPI_BOR`.
    public static var bitwiseOr: ReductionOperation { .init(handle: cmpi_op_bor()) }
    /// `MPI_BXOR`.
    public static var bitwiseXor: ReductionOperation { .init(handle: cmpi_op_bxor()) }
}

/// `MPI_MINLOC` or `MPI_MAXLOC`: the extreme value and the smallest location holding it.
public enum LocationOperation: Sendable {
    /// `MPI_MINLOC`.
    case minLoc
    /// `MPI_MAXLOC`.
    case maxLoc

    var handle: MPI_Op { self == .minLoc ? cmpi_op_minloc() : cmpi_op_maxloc() }
}
