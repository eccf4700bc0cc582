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

    /// Piece `part`: every `parts`-th index of the range from its `part`-th on (none when the range
    /// holds `part` indices or fewer).
    public subscript(part: Int) -> Piece {
        precondition(part >= 0 && part < endIndex, "part \(part) is outside 0..<\(endIndex)")
        // part < count, so lowerBound + part < upperBound cannot overflow.
        let start = part < range.count ? range.lowerBound + part : range.upperBound
        return Piece(start: start, end: range.upperBound, step: endIndex)
    }
}

/// One share of a range: every `step`-th index from `start` up to `end` (exclusive). A block piece
/// or a dynamic chunk is contiguous (step 1, and `range` gives it as a `Range`); a cyclic one strides
/// over the workers. The one share type of the harness: `CyclicPartition` deals them, and
/// `Context.parallel(_:over:chunk:into:)` hands them to the threads under every schedule.
public struct Piece: RandomAccessCollection, Sendable, Equatable {
    /// The first index and the end (exclusive), and the distance between indices.
    public let start: Int, end: Int, step: Int

    public init(start: Int, end: Int, step: Int = 1) {
        precondition(step >= 1, "a piece steps forward")
        (self.start, self.end, self.step) = (start, Swift.max(start, end), step)
    }

    /// A contiguous range as a piece.
    public init(_ range: Range<Int>) { self.init(start: range.lowerBound, end: range.upperBound) }

    /// A contiguous piece as a range (a cyclic piece of a schedule with more than one worker is not one).
    public var range: Range<Int> {
        precondition(step == 1, "a cyclic piece is not a contiguous range")
        return start..<end
    }

    /// Calls `body` with the piece's contiguous runs in order: the whole piece, or each index of a
    /// cyclic one as a run of one.
    public func forEachRun(_ body: (Range<Int>) throws -> Void) rethrows {
        if step == 1 { return try body(start..<end) }
        for index in self { try body(index..<index + 1) }
    }

    public var startIndex: Int { 0 }
    /// How many indices the piece holds.
    public var endIndex: Int { start < end ? (end - start - 1) / step + 1 : 0 }
    public var count: Int { endIndex }

    /// The `k`-th index of the piece; `k · step` stays below `end − start`, so it cannot overflow.
    public subscript(k: Int) -> Int {
        precondition(k >= 0 && k < endIndex, "element \(k) is outside 0..<\(endIndex)")
        return start + k * step
    }

    public func makeIterator() -> StrideTo<Int>.Iterator { stride(from: start, to: end, by: step).makeIterator() }
}
