/// Memory that the threads of `Context.parallel` write at the same time, each thread only its own
/// elements: the one documented exception to the rule that thread bodies share nothing mutable.
///
/// It is `@unchecked Sendable`: the compiler does not check its use. Whoever makes one promises that
/// no two threads touch the same element, that nothing reads the memory until `parallel` returned,
/// and that the memory outlives the call.
public struct DisjointWrites<Element>: @unchecked Sendable {
    /// The whole buffer; each thread uses only its own part of it.
    public let buffer: UnsafeMutableBufferPointer<Element>

    /// Wraps `buffer` for the threads of one `parallel` call.
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    /// The elements of `range` (this thread's part), to write without a copy.
    public func part(_ range: Range<Int>) -> UnsafeMutableBufferPointer<Element> {
        UnsafeMutableBufferPointer(rebasing: buffer[range])
    }
}
