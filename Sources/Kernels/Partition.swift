/// A balanced block split of a range into `parts` contiguous pieces, in order.
///
/// Piece sizes differ by at most one; the first `count % parts` pieces have the extra element.
/// Arithmetic never overflows for any range whose count fits `Int` (up to `0..<Int.max`).
/// A split over ranks then threads is a block split of a block: `BlockPartition(block, parts: threads)`.
public struct BlockPartition: RandomAccessCollection, Sendable, Equatable {
    /// The range that is split.
    public let range: Range<Int>
    private let quotient: Int
    private let remainder: Int

    /// Splits `range` into `parts` pieces; `parts` must be at least 1.
    public init(_ range: Range<Int>, parts: Int) {
        precondition(parts >= 1, "a partition needs at least one part")
        self.range = range
        let (quotient, remainder) = range.count.quotientAndRemainder(dividingBy: parts)
        self.quotient = quotient
        self.remainder = remainder
        self.endIndex = parts
    }

    public var startIndex: Int { 0 }
    /// The number of parts.
    public let endIndex: Int

    /// Piece `part`: `count / parts` elements, one more for the first `count % parts` pieces.
    public subscript(part: Int) -> Range<Int> {
        precondition(part >= 0 && part < endIndex, "part \(part) is outside 0..<\(endIndex)")
        // part * quotient <= count and start <= count, so nothing here can overflow.
        let start = part * quotient + Swift.min(part, remainder)
        let length = quotient + (part < remainder ? 1 : 0)
        return range.lowerBound + start ..< range.lowerBound + start + length
    }

    /// The part that holds `index`, which must lie in `range`.
    public func part(holding index: Int) -> Int {
        precondition(range.contains(index), "\(index) is outside \(range)")
        let offset = index - range.lowerBound
        if remainder == 0 { return offset / quotient }  // quotient ≥ 1 here, as the range holds index
        // With a remainder there are at least 2 parts, so quotient + 1 cannot overflow, and
        // remainder · (quotient + 1) ≤ count − quotient.
        let longPieces = remainder * (quotient + 1)  // the first `remainder` pieces, one longer
        if offset < longPieces { return offset / (quotient + 1) }
        return remainder + (offset - longPieces) / quotient
    }
}

/// A round-robin split: part p holds range.lowerBound + p, + p + parts, + p + 2·parts, ...
///
/// Good for work whose cost grows along the range (trial division), when the chunk is one element.
public struct CyclicPartition: RandomAccessCollection, Sendable, Equatable {
    /// The range that is split.
    public let range: Range<Int>

    /// Splits `range` round-robin into `parts` strided pieces; `parts` must be at least 1.
    public init(_ range: Range<Int>, parts: Int) {
        precondition(parts >= 1, "a partition needs at least one part")
        self.range = range
        self.endIndex = parts
    }

    public var startIndex: Int { 0 }
    /// The number of parts.
    public let endIndex: Int

    /// Piece `part`, as the indices it holds.
    public subscript(part: Int) -> CyclicPiece {
        precondition(part >= 0 && part < endIndex, "part \(part) is outside 0..<\(endIndex)")
        return CyclicPiece(range: range, part: part, parts: endIndex)
    }
}

/// The indices of one part of a `CyclicPartition`, in increasing order.
public struct CyclicPiece: RandomAccessCollection, Sendable, Equatable {
    let range: Range<Int>
    let part: Int
    let parts: Int

    public var startIndex: Int { 0 }

    /// How many indices this part holds.
    public var endIndex: Int {
        let count = range.count
        return part < count ? (count - 1 - part) / parts + 1 : 0
    }

    /// The `k`-th index of this part; `k * parts` never exceeds the range's count, so it cannot overflow.
    public subscript(k: Int) -> Int {
        precondition(k >= 0 && k < endIndex, "element \(k) is outside 0..<\(endIndex)")
        return range.lowerBound + part + k * parts
    }
}
