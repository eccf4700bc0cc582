internal import CMPI

// The MPI functions behind user-defined reductions, allToAllv and the nonblocking collectives,
// wrapped once like those of Calls.swift: the C call and the check of its code.

extension Call {
    // MARK: User-defined reductions
    static func opCreate(_ function: cmpi_user_function, _ commutes: Bool) throws(MPIError) -> MPI_Op {
        var op = cmpi_op_null()
        try check(cmpi_op_create(function, commutes ? 1 : 0, &op), "MPI_Op_create")
        return op
    }
    static func opFree(_ op: MPI_Op) throws(MPIError) {
        var handle = op
        try check(cmpi_op_free(&handle), "MPI_Op_free")
    }
    /// A committed datatype of `bytes` contiguous bytes.
    static func typeContiguousBytes(_ bytes: Int32) throws(MPIError) -> MPI_Datatype {
        var type = cmpi_datatype_null()
        try check(cmpi_type_contiguous(bytes, cmpi_byte(), &type), "MPI_Type_contiguous")
        try check(cmpi_type_commit(&type), "MPI_Type_commit")
        return type
    }
    static func typeFree(_ type: MPI_Datatype) throws(MPIError) {
        var handle = type
        try check(cmpi_type_free(&handle), "MPI_Type_free")
    }

    // MARK: All-to-all with counts
    static func alltoall(_ send: [Int32], _ receive: inout [Int32], _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_alltoall(send, 1, &receive, cmpi_int32(), comm), "MPI_Alltoall")
    }
    static func alltoallv(_ send: Buffer, _ sendCounts: [Int32], _ sendDisplacements: [Int32],
                          _ receive: MutableBuffer, _ receiveCounts: [Int32], _ receiveDisplacements: [Int32],
                          _ type: MPI_Datatype, _ comm: MPI_Comm) throws(MPIError) {
        try check(cmpi_alltoallv(send, sendCounts, sendDisplacements, receive, receiveCounts, receiveDisplacements,
                                 type, comm), "MPI_Alltoallv")
    }

    // MARK: Nonblocking collectives
    static func ibarrier(_ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request = cmpi_request_null()
        try check(cmpi_ibarrier(comm, &request), "MPI_Ibarrier")
        return request
    }
    static func ibcast(_ buffer: MutableBuffer, _ count: Int32, _ type: MPI_Datatype, _ root: Int32,
                       _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request = cmpi_request_null()
        try check(cmpi_ibcast(buffer, count, type, root, comm, &request), "MPI_Ibcast")
        return request
    }
    static func iallreduce(_ send: Buffer, _ receive: MutableBuffer, _ count: Int32, _ type: MPI_Datatype,
                           _ op: MPI_Op, _ comm: MPI_Comm) throws(MPIError) -> MPI_Request {
        var request = cmpi_request_null()
        try check(cmpi_iallreduce(send, receive, count, type, op, comm, &request), "MPI_Iallreduce")
        return request
    }
}
