import MPI

/// A value that travels between ranks as bytes it makes itself, for `Context.reduceInOrder`: for
/// parts too large for `Codable`'s value-by-value encoding, such as GMP integers of millions of digits.
public protocol ByteMessage {
    /// The value as bytes; `init(bytes:)` reads them back.
    func bytes() -> [UInt8]
    /// The value that `bytes()` gave.
    init(bytes: [UInt8]) throws
}

extension Context {
    /// Every rank's `part` combined in rank order, `combine(part 0, combine(part 1, …))` up to
    /// bracketing, on rank 0; nil on the other ranks. `combine` must be associative and need not
    /// commute: the left argument always holds the lower ranks.
    ///
    /// A binary tree of point-to-point messages: at step s = 1, 2, 4, …, rank r (a multiple of 2s)
    /// receives the parts of ranks r + s ..< r + 2s from rank r + s, which sends and is done. Rank 0
    /// combines ⌈log2 ranks⌉ times; the other combines run at the same time on other ranks.
    public func reduceInOrder<T: ByteMessage>(_ part: T, combine: (T, T) throws -> T) throws -> T? {
        guard let half = try reduceInOrderToHalves(part, combine: combine) else { return nil }
        guard let partner = halvesPartner else { return half }
        if rank == partner {
            try communicator.send(half.bytes(), to: 0, tag: Self.reduceInOrderTag)
            return nil
        }
        return try combine(half, try receivePart(from: partner))
    }

    /// The same tree without its last step, for a last combine that two ranks share (the e series
    /// splits its two products): rank 0 gets the parts of ranks 0 ..< s combined and rank s those of
    /// s ..< ranks, where s = `halvesPartner`, the largest power of two below `ranks`; the other
    /// ranks get nil. On one rank, rank 0 gets its part and there is no partner.
    public func reduceInOrderToHalves<T: ByteMessage>(_ part: T, combine: (T, T) throws -> T) throws -> T? {
        var part = part
        var step = 1
        while 2 * step < ranks {
            if rank % (2 * step) != 0 {
                try communicator.send(part.bytes(), to: rank - step, tag: Self.reduceInOrderTag)
                return nil
            }
            if rank + step < ranks { part = try combine(part, try receivePart(from: rank + step)) }
            step *= 2
        }
        return rank == 0 || rank == halvesPartner ? part : nil
    }

    /// The rank that holds the upper half after `reduceInOrderToHalves`: the largest power of two
    /// below `ranks`, nil on one rank.
    public var halvesPartner: Int? {
        ranks == 1 ? nil : 1 << (Int.bitWidth - 1 - (ranks - 1).leadingZeroBitCount)
    }

    private func receivePart<T: ByteMessage>(from source: Int) throws -> T {
        try T(bytes: try communicator.receive(arrayOf: UInt8.self, from: source, tag: Self.reduceInOrderTag).values)
    }

    /// The tag of `reduceInOrder`'s messages.
    static let reduceInOrderTag = 7_101
}
