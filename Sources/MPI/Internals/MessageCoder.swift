// A compact binary encoding of any Codable value, for the layer's object messages (no Foundation).
//
// A value is encoded to a tree of `Node`s, then written with one tag byte per node: integers as
// LEB128 varints (signed ones zigzagged), floating point as its bit pattern, strings as a length
// and UTF-8, keyed containers as (key, value) pairs in the order encoded. Decoding reads the bytes
// back into a tree with bounds checks everywhere (a truncated or foreign message is a
// `DecodingError`, never a crash) and decodes keys in any order.

/// One encoded value.
indirect enum Node {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case array([Node])
    case keyed([(String, Node)])

    var kind: String {
        switch self {
        case .null: "nil"
        case .bool: "a Bool"
        case .int, .uint: "an integer"
        case .float, .double: "a floating-point number"
        case .string: "a String"
        case .array: "an unkeyed container"
        case .keyed: "a keyed container"
        }
    }
}

// MARK: - Bytes

enum MessageCoder {
    /// The first byte of every object message, so a message of plain values is told apart.
    static let magic: UInt8 = 0xC5

    /// `value` as bytes: the magic byte, the Swift type's name (for error messages), the tree.
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let tree = try TreeEncoder.node(for: value, path: [])
        var writer = Writer()
        writer.bytes.append(magic)
        writer.string(String(reflecting: T.self))
        writer.node(tree)
        return writer.bytes
    }

    /// Decodes a `T` from bytes made by `encode`; a message that does not hold one throws `DecodingError`
    /// (with the sender's type name in its description when it can be read).
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        var reader = Reader(bytes: bytes)
        guard try reader.byte() == magic else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not an object message"))
        }
        let sent = try reader.string()
        do {
            let tree = try reader.node(depth: 0)
            guard reader.offset == bytes.count else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "bytes left after the value"))
            }
            return try TreeDecoder(node: tree, codingPath: []).decode(T.self)
        } catch let error as DecodingError {
            throw SentTypeError(sent: sent, error: error)
        }
    }

    /// A decoding failure with the type the sender encoded.
    struct SentTypeError: Error, CustomStringConvertible {
        let sent: String, error: DecodingError
        var description: String { "it holds a \(sent): \(describe(error))" }
    }

    /// One line for a decoding error: what went wrong and where.
    static func describe(_ error: any Error) -> String {
        if let error = error as? SentTypeError { return error.description }
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context)): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "no \(type) value\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "no key '\(key.stringValue)'\(path(context))"
        case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
        @unknown default: return "\(error)"
        }
    }
}

private enum Tag: UInt8 {
    case null = 0, `false`, `true`, int, uint, float, double, string, array, keyed
}

private struct Writer {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func string(_ text: String) {
        let utf8 = text.utf8
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func fixed(_ value: UInt64, _ count: Int) {
        for byte in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
    }

    mutating func node(_ node: Node) {
        switch node {
        case .null: bytes.append(Tag.null.rawValue)
        case .bool(let value): bytes.append((value ? Tag.true : Tag.false).rawValue)
        case .int(let value):
            bytes.append(Tag.int.rawValue)
            varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
        case .uint(let value):
            bytes.append(Tag.uint.rawValue)
            varint(value)
        case .float(let value):
            bytes.append(Tag.float.rawValue)
            fixed(UInt64(value.bitPattern), 4)
        case .double(let value):
            bytes.append(Tag.double.rawValue)
            fixed(value.bitPattern, 8)
        case .string(let value):
            bytes.append(Tag.string.rawValue)
            string(value)
        case .array(let items):
            bytes.append(Tag.array.rawValue)
            varint(UInt64(items.count))
            for item in items { self.node(item) }
        case .keyed(let pairs):
            bytes.append(Tag.keyed.rawValue)
            varint(UInt64(pairs.count))
            for (key, value) in pairs {
                string(key)
                self.node(value)
            }
        }
    }
}

private struct Reader {
    let bytes: [UInt8]
    var offset = 0
    /// Deeper trees are refused, so a hostile message cannot exhaust the stack.
    static let maximumDepth = 1000

    func corrupt(_ what: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: [], debugDescription: "\(what) at byte \(offset) of \(bytes.count)"))
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw corrupt("the message ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            let byte = try byte()
            value |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte < 0x80 { return value }
        }
        throw corrupt("an integer longer than 64 bits")
    }

    /// A count of items that each take at least one byte, so never more than the bytes left.
    mutating func count() throws -> Int {
        let count = try varint()
        guard count <= UInt64(bytes.count - offset) else { throw corrupt("a count of \(count) past the end") }
        return Int(count)
    }

    mutating func string() throws -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    mutating func fixed(_ count: Int) throws -> UInt64 {
        guard bytes.count - offset >= count else { throw corrupt("the message ends early") }
        var value: UInt64 = 0
        for byte in 0..<count { value |= UInt64(bytes[offset + byte]) << UInt64(8 * byte) }
        offset += count
        return value
    }

    mutating func node(depth: Int) throws -> Node {
        guard depth < Self.maximumDepth else { throw corrupt("values nested deeper than \(Self.maximumDepth)") }
        guard let tag = Tag(rawValue: try byte()) else { throw corrupt("an unknown tag \(bytes[offset - 1])") }
        switch tag {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .int:
            let zigzag = try varint()
            return .int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
        case .uint: return .uint(try varint())
        case .float: return .float(Float(bitPattern: UInt32(try fixed(4))))
        case .double: return .double(Double(bitPattern: try fixed(8)))
        case .string: return .string(try string())
        case .array:
            let count = try count()
            var items: [Node] = []
            items.reserveCapacity(count)
            for _ in 0..<count { items.append(try node(depth: depth + 1)) }
            return .array(items)
        case .keyed:
            let count = try count()
            var pairs: [(String, Node)] = []
            pairs.reserveCapacity(count)
            for _ in 0..<count { pairs.append((try string(), try node(depth: depth + 1))) }
            return .keyed(pairs)
        }
    }
}

// MARK: - Encoding to a tree

/// Where an encoder or container writes: filled in by the value's `encode(to:)`, read back as a `Node`.
private final class Slot {
    enum Content {
        case empty
        case value(Node)
        case keyed([String], [String: Slot])
        case unkeyed([Slot])
    }
    var content = Content.empty

    var node: Node {
        switch content {
        case .empty: return .keyed([])
        case .value(let node): return node
        case .keyed(let order, let slots): return .keyed(order.map { ($0, slots[$0]!.node) })
        case .unkeyed(let slots): return .array(slots.map(\.node))
        }
    }

    func child(_ key: String) -> Slot {
        guard case .keyed(var order, var slots) = content else {
            let slot = Slot()
            content = .keyed([key], [key: slot])
            return slot
        }
        if let slot = slots[key] { return slot }
        let slot = Slot()
        order.append(key)
        slots[key] = slot
        content = .keyed(order, slots)
        return slot
    }

    func append() -> Slot {
        var slots: [Slot] = []
        if case .unkeyed(let existing) = content { slots = existing }
        let slot = Slot()
        slots.append(slot)
        content = .unkeyed(slots)
        return slot
    }
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) { intValue = index; stringValue = "\(index)" }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = Int(stringValue) }
    init?(intValue: Int) { self.init(intValue) }
    static let superKey = IndexKey(stringValue: "super")!
}

private struct TreeEncoder: Encoder {
    let slot: Slot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The node of a primitive value, or nil for a value that encodes itself.
    static func primitive(_ value: Any) -> Node? {
        switch value {
        case let v as Bool: .bool(v)
        case let v as String: .string(v)
        case let v as Double: .double(v)
        case let v as Float: .float(v)
        case let v as Int: .int(Int64(v))
        case let v as Int8: .int(Int64(v))
        case let v as Int16: .int(Int64(v))
        case let v as Int32: .int(Int64(v))
        case let v as Int64: .int(v)
        case let v as UInt: .uint(UInt64(v))
        case let v as UInt8: .uint(UInt64(v))
        case let v as UInt16: .uint(UInt64(v))
        case let v as UInt32: .uint(UInt64(v))
        case let v as UInt64: .uint(v)
        default: nil
        }
    }

    static func node<T: Encodable>(for value: T, path: [any CodingKey]) throws -> Node {
        if let node = primitive(value) { return node }
        let slot = Slot()
        try value.encode(to: TreeEncoder(slot: slot, codingPath: path))
        return slot.node
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .keyed = slot.content {} else { slot.content = .keyed([], [:]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .unkeyed = slot.content {} else { slot.content = .unkeyed([]) }
        return UnkeyedContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(slot: slot, codingPath: codingPath)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let slot: Slot
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { slot.child(key.stringValue).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            slot.child(key.stringValue).content = .value(try TreeEncoder.node(for: value, path: codingPath + [key]))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey> {
            TreeEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            TreeEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            TreeEncoder(slot: slot.child(IndexKey.superKey.stringValue), codingPath: codingPath + [IndexKey.superKey])
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            TreeEncoder(slot: slot.child(key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        var count: Int {
            if case .unkeyed(let slots) = slot.content { return slots.count }
            return 0
        }

        mutating func encodeNil() throws { slot.append().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let path = codingPath + [IndexKey(count)]
            slot.append().content = .value(try TreeEncoder.node(for: value, path: path))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
            -> KeyedEncodingContainer<NestedKey> {
            let path = codingPath + [IndexKey(count)]
            return TreeEncoder(slot: slot.append(), codingPath: path).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let path = codingPath + [IndexKey(count)]
            return TreeEncoder(slot: slot.append(), codingPath: path).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            let path = codingPath + [IndexKey(count)]
            return TreeEncoder(slot: slot.append(), codingPath: path)
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let slot: Slot
        let codingPath: [any CodingKey]
        mutating func encodeNil() throws { slot.content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            slot.content = .value(try TreeEncoder.node(for: value, path: codingPath))
        }
    }
}

// MARK: - Decoding from a tree

private struct TreeDecoder: Decoder {
    let node: Node
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func mismatch<T>(_ type: T.Type, _ path: [any CodingKey]? = nil) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path ?? codingPath, debugDescription: "found \(node.kind)"))
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value: T?
        switch node {
        case .int(let v): value = T(exactly: v)
        case .uint(let v): value = T(exactly: v)
        default: throw mismatch(type)
        }
        guard let value else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "the number does not fit \(T.self)"))
        }
        return value
    }

    /// Decodes a primitive directly from the node, anything else through its `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // nil decodes only as an optional (whose `init(from:)` asks `decodeNil`).
        if case .null = node, !(type is any ExpressibleByNilLiteral.Type) {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "found nil"))
        }
        switch type {
        case is Bool.Type:
            guard case .bool(let v) = node else { throw mismatch(type) }
            return v as! T
        case is String.Type:
            guard case .string(let v) = node else { throw mismatch(type) }
            return v as! T
        case is Double.Type:
            switch node {
            case .double(let v): return v as! T
            case .float(let v): return Double(v) as! T
            default: throw mismatch(type)
            }
        case is Float.Type:
            switch node {
            case .float(let v): return v as! T
            default: throw mismatch(type)
            }
        case is Int.Type: return try integer(Int.self) as! T
        case is Int8.Type: return try integer(Int8.self) as! T
        case is Int16.Type: return try integer(Int16.self) as! T
        case is Int32.Type: return try integer(Int32.self) as! T
        case is Int64.Type: return try integer(Int64.self) as! T
        case is UInt.Type: return try integer(UInt.self) as! T
        case is UInt8.Type: return try integer(UInt8.self) as! T
        case is UInt16.Type: return try integer(UInt16.self) as! T
        case is UInt32.Type: return try integer(UInt32.self) as! T
        case is UInt64.Type: return try integer(UInt64.self) as! T
        default: return try T(from: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .keyed(let pairs) = node else { throw mismatch([String: Any].self) }
        var values: [String: Node] = [:]
        for (key, value) in pairs { values[key] = value }
        return KeyedDecodingContainer(KeyedContainer<Key>(order: pairs.map(\.0), values: values, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let items) = node else { throw mismatch([Any].self) }
        return UnkeyedContainer(items: items, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleContainer(decoder: self) }

    struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let order: [String]
        let values: [String: Node]
        let codingPath: [any CodingKey]
        var allKeys: [Key] { order.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

        func decoder(_ key: any CodingKey) throws -> TreeDecoder {
            guard let node = values[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no such key"))
            }
            return TreeDecoder(node: node, codingPath: codingPath + [key])
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try decoder(key).node { return true }
            return false
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try decoder(key).decode(type)
        }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey> { try decoder(key).container(keyedBy: type) }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try decoder(key).unkeyedContainer()
        }
        func superDecoder() throws -> any Decoder { try decoder(IndexKey.superKey) }
        func superDecoder(forKey key: Key) throws -> any Decoder { try decoder(key) }
    }

    struct UnkeyedContainer: UnkeyedDecodingContainer {
        let items: [Node]
        let codingPath: [any CodingKey]
        var currentIndex = 0
        var count: Int? { items.count }
        var isAtEnd: Bool { currentIndex >= items.count }

        init(items: [Node], codingPath: [any CodingKey]) {
            self.items = items
            self.codingPath = codingPath
        }

        mutating func next<T>(_ type: T.Type) throws -> TreeDecoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [IndexKey(currentIndex)],
                                                              debugDescription: "the unkeyed container has ended"))
            }
            defer { currentIndex += 1 }
            return TreeDecoder(node: items[currentIndex], codingPath: codingPath + [IndexKey(currentIndex)])
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, case .null = items[currentIndex] else { return false }
            currentIndex += 1
            return true
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try next(type).decode(type)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
            -> KeyedDecodingContainer<NestedKey> { try next([String: Any].self).container(keyedBy: type) }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try next([Any].self).unkeyedContainer()
        }
        mutating func superDecoder() throws -> any Decoder { try next(Any.self) }
    }

    struct SingleContainer: SingleValueDecodingContainer {
        let decoder: TreeDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        func decodeNil() -> Bool {
            if case .null = decoder.node { return true }
            return false
        }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try decoder.decode(type)
        }
    }
}
