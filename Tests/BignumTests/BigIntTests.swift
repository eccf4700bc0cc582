import Bignum
import Testing

@Suite struct BigIntTests {
    @Test func arithmeticAgreesWithInt() {
        let values = [0, 1, -1, 7, -7, 12_345, -99_999, Int(Int32.max), -Int(Int32.max)]
        for a in values {
            for b in values {
                #expect((BigInt(a) + BigInt(b)).intValue == a + b)
                #expect((BigInt(a) - BigInt(b)).intValue == a - b)
                #expect((BigInt(a) * BigInt(b)).intValue == a * b)
                #expect((BigInt(a) < BigInt(b)) == (a < b))
                #expect((BigInt(a) == BigInt(b)) == (a == b))
                if b != 0 {
                    let (q, r) = BigInt(a).quotientAndRemainder(dividingBy: BigInt(b))
                    let expected = a.quotientAndRemainder(dividingBy: b)
                    #expect(q.intValue == expected.quotient && r.intValue == expected.remainder)
                }
            }
            #expect((-BigInt(a)).intValue == -a)
            #expect(BigInt(a).signum == a.signum())
        }
    }

    @Test func decimalText() {
        #expect(BigInt(0).description == "0")
        #expect(BigInt(-42).description == "-42")
        #expect(BigInt(Int.min).description == String(Int.min))
        let big = BigInt.power(10, 40) - 1
        #expect(big.description == String(repeating: "9", count: 40))
        #expect(BigInt("-1234567890123456789012345678901234567890")!.description == "-1234567890123456789012345678901234567890")
        #expect(BigInt("ff", radix: 16) == 255)
        #expect(BigInt(big.toString(radix: 36), radix: 36) == big)
        for bad in ["", "12a", "1 2", "--1", " 5"] { #expect(BigInt(bad) == nil) }
        #expect(BigInt.power(2, 64).description == "18446744073709551616")
        #expect(BigInt.power(7, 0) == 1 && BigInt.power(0, 0) == 1)
        #expect(BigInt.power(2, 100).bitCount == 101 && BigInt(0).bitCount == 0 && BigInt(-8).bitCount == 4)
        #expect(BigInt.power(2, 64).intValue == nil && BigInt(Int.min).intValue == Int.min)
    }

    /// The message format: a sign byte, then the magnitude, least significant byte first.
    @Test func bytesLayout() {
        #expect(BigInt(0).bytes() == [0])
        #expect(BigInt(1).bytes() == [0, 1])
        #expect(BigInt(-1).bytes() == [1, 1])
        #expect(BigInt(256).bytes() == [0, 0, 1])
        #expect(BigInt(-0x1_02_03).bytes() == [1, 3, 2, 1])
        #expect(BigInt(bytes: [1]) == 0)  // negative zero is zero
        #expect(BigInt(bytes: [0, 5, 0, 0]) == 5)  // leading zero bytes are harmless
    }

    @Test func bytesRoundTrip() throws {
        var values: [BigInt] = [0, 1, -1, 255, 256, -256, BigInt(Int.max), BigInt(Int.min)]
        let huge = BigInt.power(3, 100_000)  // 158,497 bits
        values += [huge, -huge, huge + 1, huge - huge, BigInt.power(2, 4096), -(BigInt.power(2, 4096) - 1)]
        // 50 more of 1 to 300 digits, leading zeros included, both signs: slices of e's published
        // decimals, the same every run (no generator, so nothing to seed).
        let decimals = Array(eFixture.dropFirst(2))
        try #require(decimals.count == 10_000)
        for index in 0..<50 {
            let length = 1 + index * 37 % 300, start = index * 173 % (decimals.count - 300)
            let digits = String(decimals[start..<start + length])
            values.append(try #require(BigInt((index % 3 == 0 ? "-" : "") + digits), "\(digits)"))
        }
        for value in values {
            let bytes = value.bytes()
            #expect(bytes.count == 1 + (value.bitCount + 7) / 8)
            let back = BigInt(bytes: bytes)
            #expect(back == value)
            #expect(back.description == value.description)
            #expect(back.hashValue == value.hashValue)
        }
    }

    @Test func gmpIsLinked() {
        #expect(gmpVersion.split(separator: ".").first.flatMap { Int($0) }.map { $0 >= 5 } == true)
    }
}
