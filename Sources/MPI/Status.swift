internal import CMPI

/// What a receive or probe matched: the sender, the tag and the size of the message.
/// The corresponding MPI type is `MPI_Status`.
public struct Status: @unchecked Sendable {
    let raw: MPI_Status

    /// The rank that sent the message. The corresponding MPI field is `MPI_SOURCE`.
    public var source: Int { Int(raw.MPI_SOURCE) }

    /// The message's tag. The corresponding MPI field is `MPI_TAG`.
    public var tag: Int { Int(raw.MPI_TAG) }

    /// How many values of `type` the message holds; nil if its size is not a whole number of them.
    /// The corresponding MPI function is `MPI_Get_count`.
    public func count<T: MPIScalar>(of type: T.Type) throws(MPIError) -> Int? {
        let count = try Call.getCount(raw, T.datatype.handle)
        return count == cmpi_undefined() ? nil : Int(count)
    }
}
