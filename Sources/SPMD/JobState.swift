import SPMDCore
#if canImport(Glibc)
import Glibc
#endif

/// A job's partial result over the indices done so far: mergeable exactly and in any order (so the
/// same set of indices gives the same bits however it was split), and saved as 64-bit words.
public protocol JobState: Sendable {
    /// The result of no work.
    init()
    /// Adds the result of other indices.
    mutating func merge(_ other: Self)
    /// The state as words, canonical: equal states give equal words.
    var words: [Int64] { get }
    /// The state from `words`; nil if they cannot be one.
    init?(words: [Int64])
}

/// A count.
extension Int: JobState {
    public mutating func merge(_ other: Int) { self += other }
    public var words: [Int64] { [Int64(self)] }
    public init?(words: [Int64]) {
        guard words.count == 1 else { return nil }
        self = Int(words[0])
    }
}

/// An exact sum: its limbs.
extension ExactSum: JobState {
    public mutating func merge(_ other: ExactSum) { add(other) }
    public var words: [Int64] { limbs }
    public init?(words: [Int64]) {
        guard words.count == ExactSum.storageCount else { return nil }
        self.init(limbs: words)
    }
}

/// A saved job: a checkpoint (`--checkpoint`, the indices `range.lowerBound..<cursor` done) or a
/// finished part (`--part I/N --save`, `cursor == range.upperBound`).
///
/// The file, little-endian: the magic `SPMDJOB\n`, a version (u32), the kind (u32: 0 checkpoint,
/// 1 part), the program's name, its problem options as (name, value) pairs, the part I and N, the
/// part's range and the cursor (i64), the state's words, and an FNV-1a 64-bit checksum of all
/// that. Strings and lists are preceded by their length (u32).
struct SavedJob: Equatable {
    enum Kind: UInt32 { case checkpoint = 0, part = 1 }
    static let magic = Array("SPMDJOB\n".utf8)
    static let version: UInt32 = 1

    var kind: Kind
    var program: String
    var options: [Option]
    var part: JobPart
    var range: Range<Int>
    var cursor: Int
    var words: [Int64]

    struct Option: Equatable {
        let name: String, value: String
    }

    var bytes: [UInt8] {
        var out = Self.magic
        func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func i64(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        func string(_ text: String) { u32(UInt32(text.utf8.count)); out += Array(text.utf8) }
        u32(Self.version)
        u32(kind.rawValue)
        string(program)
        u32(UInt32(options.count))
        for option in options { string(option.name); string(option.value) }
        i64(Int64(part.index)); i64(Int64(part.count))
        i64(Int64(range.lowerBound)); i64(Int64(range.upperBound)); i64(Int64(cursor))
        u32(UInt32(words.count))
        for word in words { i64(word) }
        let sum = Self.checksum(out)
        withUnsafeBytes(of: sum.littleEndian) { out += $0 }
        return out
    }

    /// Why `bytes` are not a saved job: not one at all, another version, or truncated or damaged.
    enum ReadError: Error {
        case notSaved, version(UInt32), damaged
    }

    init(kind: Kind, program: String, options: [Option], part: JobPart, range: Range<Int>, cursor: Int, words: [Int64]) {
        (self.kind, self.program, self.options, self.part) = (kind, program, options, part)
        (self.range, self.cursor, self.words) = (range, cursor, words)
    }

    init(bytes: [UInt8]) throws(ReadError) {
        guard bytes.count >= Self.magic.count, Array(bytes[..<Self.magic.count]) == Self.magic else {
            throw .notSaved
        }
        guard bytes.count >= Self.magic.count + 4 + 8 else { throw .damaged }
        let body = bytes[..<(bytes.count - 8)]
        var stored: UInt64 = 0
        for (shift, byte) in bytes[(bytes.count - 8)...].enumerated() { stored |= UInt64(byte) << (8 * shift) }
        var position = Self.magic.count
        func take(_ count: Int) throws(ReadError) -> ArraySlice<UInt8> {
            guard count >= 0, body.count - position >= count else { throw .damaged }
            defer { position += count }
            return body[position..<position + count]
        }
        func u32() throws(ReadError) -> UInt32 {
            try take(4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * $1.offset) }
        }
        func i64() throws(ReadError) -> Int64 {
            Int64(bitPattern: try take(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) })
        }
        func string() throws(ReadError) -> String { String(decoding: try take(Int(try u32())), as: UTF8.self) }
        let version = try u32()
        guard version == Self.version else { throw .version(version) }
        guard Self.checksum(body) == stored else { throw .damaged }
        guard let kind = Kind(rawValue: try u32()) else { throw .damaged }
        self.kind = kind
        program = try string()
        options = []
        for _ in 0..<(try u32()) { options.append(Option(name: try string(), value: try string())) }
        let (index, count) = (Int(try i64()), Int(try i64()))
        guard count >= 1, (0..<count).contains(index) else { throw .damaged }
        part = JobPart(index: index, count: count)
        let (lower, upper, cursor) = (Int(try i64()), Int(try i64()), Int(try i64()))
        guard lower <= upper, (lower...upper).contains(cursor) else { throw .damaged }
        (range, self.cursor) = (lower..<upper, cursor)
        words = []
        for _ in 0..<(try u32()) { words.append(try i64()) }
        guard position == body.count else { throw .damaged }
    }

    /// FNV-1a, 64 bits.
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    /// The first of `options` (the command line's) that differs from this file's, as
    /// `--darts 1000, not --darts 2000`; nil if they are the same.
    func difference(from options: [Option]) -> String? {
        for (mine, theirs) in zip(self.options, options) where mine != theirs {
            return "\(mine.name) \(mine.value), not \(theirs.name) \(theirs.value)"
        }
        if self.options.count != options.count { return "other options (\(self.options.count), not \(options.count))" }
        return nil
    }

    /// Reads a whole file; nil if it does not exist; throws a `UsageError` if it cannot be read.
    static func read(_ path: String, option: String) throws -> [UInt8]? {
        guard let file = fopen(path, "rb") else {
            if errno == ENOENT { return nil }
            throw UsageError("cannot read \(option) \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            bytes += buffer[..<count]
            if count < buffer.count {
                if ferror(file) != 0 { throw UsageError("cannot read \(option) \(path): \(String(cString: strerror(errno)))") }
                return bytes
            }
        }
    }
}
