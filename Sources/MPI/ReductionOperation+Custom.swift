internal import CMPI
import Synchronization

/// A reduction the program defines: a Swift closure combining two values of any bitwise-copyable type,
/// usable in `reduce`, `allReduce` and `scan`. The corresponding MPI function is `MPI_Op_create`.
///
/// `combine(earlier, later)` gets the value from the lower ranks first: ranks are combined in rank
/// order, so a closure that does not commute (`commutes: false`) still gives a defined result.
/// Every rank creates the same operation before using it. It is released when the last reference
/// goes (`MPI_Op_free` and `MPI_Type_free`, both local calls).
///
/// The values travel as a datatype of the type's bytes made for this operation alone
/// (`MPI_Type_contiguous` of `MPI_BYTE`); the C callback finds the closure from that datatype,
/// so it works on whichever thread MPI calls it.
public final class CustomReduction<T: BitwiseCopyable>: @unchecked Sendable {
    let op: MPI_Op
    let datatype: MPI_Datatype

    /// Creates the operation on this rank. The corresponding MPI functions are `MPI_Op_create`,
    /// `MPI_Type_contiguous` and `MPI_Type_commit`.
    public init(commutes: Bool, _ combine: @escaping @Sendable (_ earlier: T, _ later: T) -> T) throws(MPIError) {
        guard Environment.isInitialized && !Environment.isFinalized else {
            throw MPIError(invalid: "MPI_Op_create", "MPI is not running")
        }
        let stride = MemoryLayout<T>.stride
        guard MemoryLayout<T>.size > 0 else {
            throw MPIError(invalid: "MPI_Type_contiguous", "\(T.self) has no bytes to reduce")
        }
        datatype = try Call.typeContiguousBytes(try mpiCount(stride, "MPI_Type_contiguous"))
        do throws(MPIError) {
            op = try Call.opCreate(customReductionTrampoline, commutes)
        } catch {
            try? Call.typeFree(datatype)
            throw error
        }
        let apply: @Sendable (UnsafeRawPointer, UnsafeMutableRawPointer, Int) -> Void = { input, output, count in
            for index in 0..<count {
                let offset = index * stride
                let earlier = input.loadUnaligned(fromByteOffset: offset, as: T.self)
                let later = output.loadUnaligned(fromByteOffset: offset, as: T.self)
                output.storeBytes(of: combine(earlier, later), toByteOffset: offset, as: T.self)
            }
        }
        customReductions.withLock { $0[registryKey(datatype)] = CustomReductionBox(apply: apply) }
    }

    deinit {
        customReductions.withLock { _ = $0.removeValue(forKey: registryKey(datatype)) }
        if Environment.isInitialized && !Environment.isFinalized {
            try? Call.opFree(op)
            try? Call.typeFree(datatype)
        }
    }
}

/// The closure of one custom reduction, over raw bytes.
private final class CustomReductionBox: Sendable {
    let apply: @Sendable (UnsafeRawPointer, UnsafeMutableRawPointer, Int) -> Void
    init(apply: @escaping @Sendable (UnsafeRawPointer, UnsafeMutableRawPointer, Int) -> Void) { self.apply = apply }
}

/// Every live custom reduction, by the datatype made for it.
private let customReductions = Mutex<[Int: CustomReductionBox]>([:])

/// A datatype handle's bits as a key (a pointer in Open MPI, an int in MPICH).
private func registryKey(_ type: MPI_Datatype) -> Int {
    var key = 0
    withUnsafeBytes(of: type) { handle in
        withUnsafeMutableBytes(of: &key) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: handle.prefix(8))) }
    }
    return key
}

/// The C function MPI calls for every custom reduction: `inout[i] = combine(in[i], inout[i])`.
private func customReductionTrampoline(_ input: UnsafeMutableRawPointer?, _ inputOutput: UnsafeMutableRawPointer?,
                                       _ length: UnsafeMutablePointer<Int32>,
                                       _ datatype: UnsafeMutablePointer<MPI_Datatype>) {
    guard let input, let inputOutput else { return }
    let key = registryKey(datatype.pointee)
    let box = customReductions.withLock { $0[key] }
    guard let box else {
        Environment.printError("rank \(Communicator.world.rank): MPI called a custom reduction that no longer exists")
        Environment.abort(code: 1)
    }
    box.apply(UnsafeRawPointer(input), inputOutput, Int(length.pointee))
}

extension Communicator {
    /// The values of all ranks combined element-wise by `operation` at the root, in rank order; nil elsewhere.
    /// The corresponding MPI function is `MPI_Reduce` with an operation from `MPI_Op_create`.
    public func reduce<T>(_ values: [T], operation: CustomReduction<T>, root: Int) throws(MPIError) -> [T]? {
        let root32 = try peer(root, "MPI_Reduce")
        let count = try mpiCount(values.count, "MPI_Reduce")
        let result: [T] = try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(rank == root ? values.count : 0) { receive throws(MPIError) in
                try Call.reduce(send.baseAddress, receive, count, operation.datatype, operation.op, root32, handle)
            }
        }
        return rank == root ? result : nil
    }

    /// The values of all ranks combined by `operation` at the root; nil elsewhere.
    /// The corresponding MPI function is `MPI_Reduce` with an operation from `MPI_Op_create`.
    public func reduce<T>(_ value: T, operation: CustomReduction<T>, root: Int) throws(MPIError) -> T? {
        try reduce([value], operation: operation, root: root)?[0]
    }

    /// The values of all ranks combined element-wise by `operation`, on every rank.
    /// The corresponding MPI function is `MPI_Allreduce` with an operation from `MPI_Op_create`.
    public func allReduce<T>(_ values: [T], operation: CustomReduction<T>) throws(MPIError) -> [T] {
        let count = try mpiCount(values.count, "MPI_Allreduce")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count) { receive throws(MPIError) in
                try Call.allreduce(send.baseAddress, receive, count, operation.datatype, operation.op, handle)
            }
        }
    }

    /// The values of all ranks combined by `operation`, on every rank.
    /// The corresponding MPI function is `MPI_Allreduce` with an operation from `MPI_Op_create`.
    public func allReduce<T>(_ value: T, operation: CustomReduction<T>) throws(MPIError) -> T {
        try allReduce([value], operation: operation)[0]
    }

    /// The element-wise inclusive prefix reduction by `operation`: on rank r, ranks 0...r combined.
    /// The corresponding MPI function is `MPI_Scan` with an operation from `MPI_Op_create`.
    public func scan<T>(_ values: [T], operation: CustomReduction<T>) throws(MPIError) -> [T] {
        let count = try mpiCount(values.count, "MPI_Scan")
        return try values.withUnsafeBufferPointer { send throws(MPIError) in
            try filled(values.count) { receive throws(MPIError) in
                try Call.scan(send.baseAddress, receive, count, operation.datatype, operation.op, handle)
            }
        }
    }

    /// The inclusive prefix reduction by `operation`: on rank r, ranks 0...r combined.
    /// The corresponding MPI function is `MPI_Scan` with an operation from `MPI_Op_create`.
    public func scan<T>(_ value: T, operation: CustomReduction<T>) throws(MPIError) -> T {
        try scan([value], operation: operation)[0]
    }
}
