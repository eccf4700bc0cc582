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
        var part = part
        var step = 1
        while step < ranks {
            if rank % (2 * step) != 0 {
                try communicator.send(part.bytes(), to: rank - step, tag: Self.reduceInOrderTag)
                return nil
            }
            if rank + step < ranks {
                let bytes = try communicator.receive(arrayOf: UInt8.self, from: rank + step, tag: Self.reduceInOrderTag)
                part = try combine(part, try T(bytes: bytes.values))
            }
            step *= 2
        }
        return part
    }

    /// The tag of `reduceInOrder`'s messages.
    static let reduceInOrderTag = 7_101
}
