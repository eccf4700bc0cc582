import Bignum
import Foundation
import TestFixtures
import Testing

/// The first 10,000 decimals of e from a published source (see Tests/Fixtures/README.md).
let eFixture = Published.e

/// `eSeriesPart` of the block split of `range` into `parts`, combined left to right.
func blockSplitPart(_ range: Range<Int>, parts: Int) -> SeriesPart {
    let (quotient, remainder) = range.count.quotientAndRemainder(dividingBy: parts)
    var start = range.lowerBound
    var result = eSeriesPart(start..<start)
    for part in 0..<parts {
        let end = start + quotient + (part < remainder ? 1 : 0)
        result = SeriesPart.combine(result, eSeriesPart(start..<end))
        start = end
    }
    return result
}

@Suite struct EulerSeriesTests {
    @Test func fixtureIsTenThousandDecimals() {
        #expect(eFixture.count == 10_002)
        #expect(eFixture.hasPrefix("2.71828182845904523536028747135266249775724709369995"))
        #expect(eFixture.dropFirst(2).allSatisfy { $0.isASCII && $0.isNumber })
    }

    /// Parts worked out by hand: P/Q = Σ_{k=a+1}^{b} 1/((a+1)⋯k), Q = (a+1)⋯b.
    @Test func smallParts() {
        #expect(eSeriesPart(0..<1) == SeriesPart(p: 1, q: 1))               // 1/1!
        #expect(eSeriesPart(0..<3) == SeriesPart(p: 10, q: 6))              // 1 + 1/2 + 1/6 = 10/6
        #expect(eSeriesPart(2..<4) == SeriesPart(p: 5, q: 12))              // 1/3 + 1/12 = 5/12
        #expect(eSeriesPart(5..<5) == SeriesPart(p: 0, q: 1))               // empty
        #expect(eSeriesPart(9..<10) == SeriesPart(p: 1, q: 10))
    }

    @Test func termsAreEnoughAndNearlyTheLeast() {
        for digits in [0, 1, 10, 50, 1000, 10_000] {
            let n = eSeriesTerms(digits: digits)
            let bound = BigInt.power(10, digits + eSeriesGuardDigits)
            let factorial = eSeriesPart(0..<n).q  // Q of 0..<n is n!
            #expect(factorial > bound)
            #expect(eSeriesPart(0..<(n - 1)).q < bound * 10)
        }
        #expect(eSeriesTerms(digits: 10, guardDigits: 0) == 14)  // 13! = 6.2e9 < 1e10 < 14! = 8.7e10
    }

    /// Any split of 0..<N, combined left first, gives exactly the whole part.
    @Test func splitsCombineToTheWhole() {
        let n = eSeriesTerms(digits: 2_000)
        let whole = eSeriesPart(0..<n)
        for parts in [1, 2, 3, 4, 7, 16, 64, n, n + 5] {
            #expect(blockSplitPart(0..<n, parts: parts) == whole)
        }
        // Uneven cuts, and a tree as ranks combine: (r, r + step) pairs, step doubling.
        let cuts = [0, 1, 2, 65, 66, 300, 301, n / 2, n - 1, n]
        var pieces = zip(cuts, cuts.dropFirst()).map { eSeriesPart($0..<$1) }
        var step = 1
        while step < pieces.count {
            for left in stride(from: 0, to: pieces.count, by: 2 * step) where left + step < pieces.count {
                pieces[left] = SeriesPart.combine(pieces[left], pieces[left + step])
            }
            step *= 2
        }
        #expect(pieces[0] == whole)
        // Associativity on a range that does not start at 0.
        let (a, b, c) = (eSeriesPart(100..<150), eSeriesPart(150..<333), eSeriesPart(333..<334))
        #expect(SeriesPart.combine(SeriesPart.combine(a, b), c) == SeriesPart.combine(a, SeriesPart.combine(b, c)))
        #expect(SeriesPart.combine(a, SeriesPart.combine(b, c)) == eSeriesPart(100..<334))
        // The empty part is the identity on both sides.
        #expect(SeriesPart.combine(eSeriesPart(7..<7), a) == a && SeriesPart.combine(a, eSeriesPart(0..<0)) == a)
    }

    /// A part sent as bytes (as the ranks do) comes back the same.
    @Test func partsTravelAsBytes() {
        let part = eSeriesPart(1000..<2000)
        let received = SeriesPart(p: BigInt(bytes: part.p.bytes()), q: BigInt(bytes: part.q.bytes()))
        #expect(received == part)
    }

    @Test func partsAndFractionsTravelAsOneMessage() throws {
        let part = eSeriesPart(1000..<2000)
        #expect(SeriesPart(bytes: part.bytes()) == part)
        let fraction = try #require(eSeriesPart(0..<eSeriesTerms(digits: 5_000)).eFraction(digits: 5_000))
        let received = DecimalFraction(bytes: fraction.bytes())
        #expect(received.count == 5_000)
        #expect(try #require(received.decimals()) == Array(eFixture.utf8.dropFirst(2).prefix(5_000)))
    }

    /// The decimals of e − 2 by multiplication, whole and cut at any place into any number of runs
    /// (as ranks and threads cut them), are the fixture's.
    @Test func fractionDecimalsMatchTheFixtureForEveryCut() throws {
        let decimals = Array(eFixture.utf8.dropFirst(2))
        let fraction = try #require(eSeriesPart(0..<eSeriesTerms(digits: 10_000)).eFraction(digits: 10_000))
        #expect(try #require(fraction.decimals()) == decimals)
        for cut in [1, 49, 2_000, 5_000, 9_999] {
            let (high, low) = try #require(fraction.split(at: cut))
            #expect((high.count, low.count) == (cut, 10_000 - cut))
            #expect(try #require(high.decimals()) + (try #require(low.decimals())) == decimals)
            // The rest's multiplication left to the receiver, as between ranks: sent as bytes.
            let (first, rest) = try #require(fraction.split(at: cut, deferred: ()))
            let received = DecimalFraction(bytes: rest.bytes())
            #expect((first.count, received.count) == (cut, 10_000 - cut))
            #expect(try #require(first.decimals()) + (try #require(received.decimals())) == decimals)
            #expect(try #require(received.pieces(3)).flatMap { try #require($0.decimals()) } == Array(decimals.dropFirst(cut)))
        }
        for parts in 1...5 {
            let pieces = try #require(fraction.pieces(parts))
            #expect((1...parts).contains(pieces.count) && pieces.allSatisfy { $0.count >= 1 })
            if parts == 2 { #expect(pieces.map(\.count) == [6_000, 4_000]) }  // the rest a fifth shorter
            #expect(try pieces.flatMap { try #require($0.decimals()) } == decimals)
        }
        let long = try #require(eSeriesPart(0..<eSeriesTerms(digits: 9_000)).eFraction(digits: 9_000))
        // 9,000 cut at 5,400 (cut again at 3,240) and 3,600 (below 2·2,000: not cut).
        #expect(try #require(long.pieces(4)).map(\.count) == [3_240, 2_160, 3_600])
        #expect(try #require(long.pieces(4)).flatMap { try #require($0.decimals()) } == Array(decimals.prefix(9_000)))
    }

    /// The first decimals from P and Q's top bits alone (rank 0 at the shared top of the tree) are
    /// the fixture's, for every place of the cut, and after the message's way as bytes.
    @Test func headFromTheTopBitsMatchesTheFixture() throws {
        let decimals = Array(eFixture.utf8.dropFirst(2))
        let whole = eSeriesPart(0..<eSeriesTerms(digits: 10_000))
        for count in [1, 2, 49, 3_000, 6_700, 9_999, 10_000] {
            let head = SeriesPart.headOfQ(whole.q, count: count)
            if count <= 6_700 { #expect(head.count < whole.q.bytes().count * 7 / 10) }  // the top bits only
            let fraction = try #require(SeriesPart.eFractionHead(p: whole.p, headOfQ: head, count: count))
            #expect(try #require(fraction.decimals()) == Array(decimals.prefix(count)))
        }
        // Too few terms: Q' has fewer bits than the decimals need.
        let short = eSeriesPart(0..<20)
        #expect(SeriesPart.eFractionHead(p: short.p, headOfQ: SeriesPart.headOfQ(short.q, count: 40), count: 40) == nil)
    }

    /// A fraction known within an error either way: its decimals where the bounds settle them, nil
    /// where they straddle a boundary (0.2 within 3·10^-40 of 0.2 − 10^-40).
    @Test func fractionWithAnErrorEitherWay() throws {
        let tenTo40 = BigInt.power(10, 40)
        let settled = try #require(DecimalFraction(BigInt(2) * BigInt.power(10, 39) - BigInt.power(10, 28),
                                                   over: tenTo40, count: 10, error: 3))
        #expect(settled.decimals() == Array("1999999999".utf8))
        let above = try #require(DecimalFraction(BigInt(2) * BigInt.power(10, 39) + BigInt.power(10, 28),
                                                 over: tenTo40, count: 10, error: 3))
        #expect(above.decimals() == Array("2000000000".utf8))
        let doubtful = try #require(DecimalFraction(BigInt(2) * BigInt.power(10, 39) + 1, over: tenTo40, count: 10, error: 3))
        #expect(doubtful.decimals() == nil)
        #expect(DecimalFraction(2, over: tenTo40, count: 10, error: 3) == nil)  // the lower bound below 0
    }

    /// Blocks of equal bits of Q tile the terms in order, the upper ones with fewer terms, and any
    /// such blocks combine to the whole part.
    @Test func equalCostCutsTileTheTerms() {
        let n = eSeriesTerms(digits: 2_000)
        for parts in [1, 2, 3, 8, n, n + 3] {
            let cuts = eSeriesCuts(terms: n, parts: parts)
            #expect(cuts.count == parts + 1 && cuts.first == 0 && cuts.last == n)
            #expect(zip(cuts, cuts.dropFirst()).allSatisfy { $0 <= $1 })
        }
        let halves = eSeriesCuts(terms: n, parts: 2)
        #expect(halves[1] > n / 2)
        let logs = halves.map { (index: Int) -> Double in lgamma(Double(index) + 1) }
        #expect(abs((logs[1] - logs[0]) - (logs[2] - logs[1])) < log(Double(n)))  // within one term's bits
        let four = eSeriesCuts(terms: n, parts: 4)
        #expect(zip(four, four.dropFirst()).map { eSeriesPart($0..<$1) }.reduce(eSeriesPart(0..<0), SeriesPart.combine)
            == eSeriesPart(0..<n))
        #expect(eSeriesCuts(terms: 0, parts: 3) == [0, 0, 0, 0])
    }

    /// A fraction whose bounds straddle a decimal boundary gives nil, never a wrong digit; one whose
    /// bounds do not gives the digits.
    @Test func fractionInDoubtGivesNil() throws {
        // 0.2 − 10^-40, known to within 10^-40: the 10 decimals are 1999999999, but 0.2 is inside the
        // bounds; 0.2 − 10^-12 is not near a boundary.
        let tenTo40 = BigInt.power(10, 40)
        let doubtful = try #require(DecimalFraction(BigInt(2) * BigInt.power(10, 39) - 1, over: tenTo40, count: 10))
        #expect(doubtful.decimals() == nil)
        #expect(doubtful.split(at: 3) == nil || doubtful.split(at: 3).map { $0.high.decimals() == nil
            || $0.low.decimals() == nil } == true)
        let deferred = try #require(doubtful.split(at: 3, deferred: ()))
        #expect(deferred.high.decimals() == nil || deferred.low.decimals() == nil)
        #expect(DecimalFraction(bytes: deferred.low.bytes()).pieces(2) == nil || deferred.high.decimals() == nil)
        let settled = try #require(DecimalFraction(BigInt(2) * BigInt.power(10, 39) - BigInt.power(10, 28),
                                                   over: tenTo40, count: 10))
        #expect(settled.decimals() == Array("1999999999".utf8))
        // A divisor below 2^b cannot bound the fraction tightly enough.
        #expect(DecimalFraction(1, over: 3, count: 10) == nil)
        #expect(eSeriesPart(0..<10).eFraction(digits: 50) == nil)
    }

    @Test func tenThousandDigitsMatchTheFixture() throws {
        let whole = eSeriesPart(0..<eSeriesTerms(digits: 10_000))
        let digits = try #require(eDigits(whole, digits: 10_000))
        #expect(digits.count == 10_002)
        #expect(digits == eFixture)
        #expect(eDigits(digits: 10_000) == eFixture)
    }

    @Test(arguments: [1, 2, 3, 4, 10, 50, 99, 100, 1_000, 9_999])
    func shortPrefixes(digits: Int) throws {
        let expected = String(eFixture.prefix(2 + digits))
        let whole = eSeriesPart(0..<eSeriesTerms(digits: digits))
        #expect(try #require(eDigits(whole, digits: digits)) == expected)
        // Split over three "ranks", as the program does.
        let n = eSeriesTerms(digits: digits)
        #expect(eDigits(blockSplitPart(0..<n, parts: 3), digits: digits) == expected)
    }

    /// Truncated, not rounded: e = 2.71828…, so 2 decimals are 2.71, not 2.72.
    @Test func truncatesRatherThanRounds() {
        #expect(eDigits(digits: 1) == "2.7")
        #expect(eDigits(digits: 2) == "2.71")
        #expect(eDigits(digits: 4) == "2.7182")
        #expect(eDigits(digits: 13) == "2.7182818284590")
    }

    /// Too few terms for the digits asked: the check refuses rather than print a wrong digit.
    @Test func tooFewTermsGiveNil() {
        #expect(eDigits(eSeriesPart(0..<10), digits: 50) == nil)  // 10! ≈ 3.6e6
        #expect(eDigits(eSeriesPart(0..<10), digits: 3) == "2.718")
        // 3,255 terms: 3255! ≈ 7.6·10^10021 < 10^10022, so 10,022 decimals cannot be settled.
        #expect(eDigits(eSeriesPart(0..<3255), digits: 10_022) == nil)
        #expect(eDigits(eSeriesPart(0..<3255), digits: 10_001)?.hasPrefix(eFixture) == true)
        // With no guard digits the terms may or may not settle the digits. Where they do, the digits
        // are right; and some counts do settle, so this is not only the refusal checked again.
        var settled: [Int] = []
        for digits in [10, 100, 1_000, 2_000, 5_000] {
            let bare = eSeriesPart(0..<eSeriesTerms(digits: digits, guardDigits: 0))
            guard let text = eDigits(bare, digits: digits) else { continue }
            #expect(text == String(eFixture.prefix(2 + digits)), "\(digits) digits with no guard digits")
            settled.append(digits)
        }
        #expect(!settled.isEmpty, "no count of digits settled without guard digits")
    }
}
