@testable import MPI
import Testing

// The binary coder behind the Codable messages: values come back equal, and bytes that are not a
// whole message of the expected type give an error, never a crash.

struct Sample: Codable, Equatable {
    enum Shape: Codable, Equatable { case circle(radius: Double), square(Int), none }
    var name: String
    var values: [Double]
    var counts: [String: Int]
    var small: Int8
    var big: UInt64
    var float: Float
    var maybe: Int?
    var holes: [Int?]
    var shape: Shape
    var nested: [[Sample.Shape]]
}

let sample = Sample(name: "né ✓", values: [0, -0.0, .pi, .infinity, -1e300], counts: ["a": 1, "b": -2],
                    small: -128, big: .max, float: 1.5, maybe: nil, holes: [1, nil, 3],
                    shape: .circle(radius: 2), nested: [[.none, .square(-4)], []])

@Suite struct MessageCoderTests {
    @Test func valuesRoundTrip() throws {
        #expect(try MessageCoder.decode(Sample.self, from: MessageCoder.encode(sample)) == sample)
        #expect(try MessageCoder.decode(Int.self, from: MessageCoder.encode(Int.min)) == Int.min)
        #expect(try MessageCoder.decode(String.self, from: MessageCoder.encode("")) == "")
        #expect(try MessageCoder.decode([Int?].self, from: MessageCoder.encode([nil, 2] as [Int?])) == [nil, 2])
        #expect(try MessageCoder.decode(Int?.self, from: MessageCoder.encode(Int?.none)) == nil)
        let nan = try MessageCoder.decode(Double.self, from: MessageCoder.encode(Double.nan))
        #expect(nan.isNaN)
    }

    @Test func smallIntegersTakeFewBytes() throws {
        // magic, type name, tag and one varint byte
        #expect(try MessageCoder.encode(5).count == 1 + 1 + "Swift.Int".utf8.count + 2)
    }

    @Test func wrongTypesAreErrors() throws {
        let bytes = try MessageCoder.encode(sample)
        #expect(throws: (any Error).self) { try MessageCoder.decode(Int.self, from: bytes) }
        #expect(throws: (any Error).self) { try MessageCoder.decode([String].self, from: bytes) }
        #expect(throws: (any Error).self) { try MessageCoder.decode(Int8.self, from: MessageCoder.encode(300)) }
        #expect(throws: (any Error).self) { try MessageCoder.decode(UInt.self, from: MessageCoder.encode(-1)) }
        #expect(throws: (any Error).self) { try MessageCoder.decode(Int.self, from: MessageCoder.encode(Int?.none)) }
        do {
            _ = try MessageCoder.decode(Sample.Shape.self, from: MessageCoder.encode(["x": 1]))
            Issue.record("decoded a dictionary as an enum")
        } catch {
            #expect(MessageCoder.describe(error).contains("Swift.Dictionary<Swift.String, Swift.Int>"))
        }
    }

    @Test func damagedBytesAreErrorsNotCrashes() throws {
        let bytes = try MessageCoder.encode(sample)
        // Every truncation, and every single-byte change, either decodes or throws.
        for length in 0..<bytes.count {
            #expect(throws: (any Error).self) { try MessageCoder.decode(Sample.self, from: Array(bytes.prefix(length))) }
        }
        for index in bytes.indices {
            for value: UInt8 in [0, 1, 0x7F, 0x80, 0xFF, bytes[index] ^ 0x55] {
                var damaged = bytes
                damaged[index] = value
                _ = try? MessageCoder.decode(Sample.self, from: damaged)
            }
        }
        // Deep nesting and huge counts are refused before any allocation.
        let deep = [MessageCoder.magic, 0] + Array(repeating: UInt8(8), count: 100_000)
        #expect(throws: (any Error).self) { try MessageCoder.decode([Int].self, from: deep) }
        let huge = [MessageCoder.magic, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]
        #expect(throws: (any Error).self) { try MessageCoder.decode([Int].self, from: huge) }
    }
}
