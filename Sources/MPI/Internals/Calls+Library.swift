internal import CMPI

// The MPI functions behind user-defined reductions, allToAllv and the nonblocking collectives,
// wrapped once like those of Calls.swift: the C call and the check of its code.

extension Call {
    // MARK: User-defined reductions (MPI_Op_create is called where its C callback is defined)
    static func opFree(_ op: MPI_Op) throws(MPIError) {
        var handle: MPI_Op? = op
        try check(MPI_Op_free(&handle), "MPI_Op_free")
    }
    /// A committed datatype of `bytes` contiguous bytes.
    static func typeContiguousBytes(_ bytes: Int32) throws(MPIError) -> MPI_Datatype {
        var type: MPI_Datatype? = nil
        try check(MPI_Type_contiguous(bytes, cmpi_byte(), &type), "MPI_Type_contiguous")
        try check(MPI_Type_commit(&type), "MPI_Type_commit")
        return type!
    }
    static func typeFree(_ type: MPI_Datatype) throws(MPIError) {
        var handle: MPI_Datatype? = type
        try check(MPI_Type_free(&handle), "MPI_Type_free")
    }

    // MARK: All-to-all with counts
    static func alltoall(_ send: [Int32], _ receive: inout [Int32], _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Alltoall(send, 1, cmpi_int32(), &receive, 1, cmpi_int32(), comm), "MPI_Alltoall")
    }
    static func alltoallv(_ send: Buffer, _ sendCounts: [Int32], _ sendDisplacements: [Int32],
                          _ receive: MutableBuffer, _ receiveCounts: [Int32], _ receiveDisplacements: [Int32],
                          _ type: MPI_Datatype, _ comm: MPI_Comm) throws(MPIError) {
        try check(MPI_Alltoallv(send, sendCounts, sendDisplacements, type,
                                receive, receiveCounts, receiveDisplacements, type, comm), "MPI_Alltoallv")
    }

    // MARK: Nonblocking collectives
    static func ibarrier(_ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request: MPI_Request? = nil
        try check(MPI_Ibarrier(comm, &request), "MPI_Ibarrier")
        return request!
    }
    static func ibcast(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ root: Int32,
                       _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request: MPI_Request? = nil
        try check(MPI_Ibcast(buffer, count, type, root, comm, &request), "MPI_Ibcast")
        return request!
    }
    static func iallreduce(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                           _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request: MPI_Request? = nil
        try check(MPI_Iallreduce(send, receive, count, type, op, comm, &request), "MPI_Iallreduce")
        return request!
    }
}
