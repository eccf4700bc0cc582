/// Prime kernels: exact integer square root, the lesson's trial division, a simple sieve for base
/// primes, and a segmented wheel-30 sieve of Eratosthenes over any sub-range of [0, 2^62].
///
/// Range convention: half-open ranges of plain integers, `low..<high`. A number n is reported when
/// low ≤ n < high and n is prime. The lower bound may be anything (numbers below 2 are not prime);
/// the upper bound is at most `SegmentedSieve.maximumUpperBound` = 2^62.
///
/// The segmented sieve uses what Kim Walisch documents for primesieve
/// (<https://github.com/kimwalisch/primesieve/blob/master/doc/ALGORITHMS.md>), and is written so that
/// `bench/primes_sieve.c` is the same algorithm line for line:
/// - Wheel-30 bit packing: byte b holds the 8 numbers 30·b + {1, 7, 11, 13, 17, 19, 23, 29}, the ones
///   coprime to 30; multiples of 2, 3 and 5 take neither memory nor time.
/// - Pre-sieving: the multiples of the primes 7 … 97 are removed by ANDing 8 precomputed periodic
///   patterns (products of 2 or 3 of those primes, about 32 KiB each, as in primesieve).
/// - Segments of 256 KiB (7,864,320 numbers, the L2 scale); the pre-sieve and the small sieving primes
///   (p ≤ 8,192) work chunk by chunk in 32 KiB (the L1 data cache of one core).
/// - Small and medium sieving primes cross off one wheel turn at a time: the 8 multiples of p in 30·p
///   numbers lie at fixed offsets in p bytes. There is one specialized loop per residue class of p
///   mod 30, so the offsets are loop invariants and the masks immediates (primesieve's EratSmall and
///   EratMedium); every prime keeps its next multiple and its wheel position from chunk to chunk.
/// - Large sieving primes (p > segment bytes, fewer than 8 multiples a segment) go into buckets, one
///   per future segment (Oliveira e Silva's bucket sieve, primesieve's EratBig): a segment only sees
///   the primes that have a multiple in it.
/// - Counting by population count of 64-bit words; enumeration by trailing-zero count.
///
/// Measured on the project's 2-core AMD EPYC (Zen 4) VM, one core, release build: π(10^9) in 0.075 s and
/// π(10^10) in 0.91–0.93 s of CPU time (`primesieve 1e10 -t1`: 1.03 s; the C reference: 0.94 s).

// MARK: - Integer square root and trial division

/// ⌊√n⌋, exact for every n ≥ 0 (no floating-point error, no overflow up to Int.max).
@inlinable
public func integerSquareRoot(_ n: Int) -> Int {
    precondition(n >= 0, "the square root of a negative number")
    if n < 2 { return n }
    // The double estimate is within 1 of the answer; correct it with overflow-free comparisons.
    var r = Int(Double(n).squareRoot())
    while r > n / r { r -= 1 }             // r² > n
    while r + 1 <= n / (r + 1) { r += 1 }  // (r + 1)² ≤ n
    return r
}

/// The lesson's kernel: k is prime when no d in 2...⌊√k⌋ divides it (every d, not only primes).
/// False for k < 2. Exact for every Int (the bound comes from `integerSquareRoot`).
@inlinable
public func isPrimeByTrialDivision(_ k: Int) -> Bool {
    if k < 2 { return false }
    let root = integerSquareRoot(k)
    var d = 2
    while d <= root {
        if k % d == 0 { return false }
        d &+= 1
    }
    return true
}

// MARK: - Base primes

/// The primes p ≤ `limit` in ascending order (empty below 2): a plain sieve of Eratosthenes over the
/// odd numbers, one byte each. For the base primes of a segmented sieve, limit = ⌊√(high − 1)⌋ ≤ 2^31.
public func basePrimes(upTo limit: Int) -> [Int] {
    if limit < 2 { return [] }
    // composite[j] is for the odd number 2j + 1, j in 0..<count.
    let count = (limit - 1) / 2 + 1
    var composite = [Bool](repeating: false, count: count)
    var primes = [2]
    composite.withUnsafeMutableBufferPointer { composite in
        var j = 1
        while j < count {
            if !composite[j] {
                let p = 2 * j + 1
                primes.append(p)
                if p <= limit / p {
                    var m = p * p / 2  // index of p², then every 2p
                    while m < count {
                        composite[m] = true
                        m += p
                    }
                }
            }
            j += 1
        }
    }
    return primes
}

// MARK: - Segmented sieve

/// The primes of a half-open range `low..<high` by a segmented wheel-30 sieve of Eratosthenes.
///
/// - `count()` counts them; `forEachPrime(_:)` calls a closure with each, in ascending order;
///   `primes()` returns them in an array.
/// - Any range works: below 2, empty, shorter than a segment, starting or ending anywhere (on a prime
///   square, inside a wheel byte). Counts over any split of a range into consecutive blocks add up to
///   the count of the whole range, and the blocks' enumerations concatenate to the whole range's.
/// - Bounds: `range.upperBound ≤ maximumUpperBound` (2^62). Every intermediate value stays below
///   high + 2^32, far from overflow (tested in windows just below 2^62). The practical limit is the base
///   primes: every prime up to √high (78,498 primes for 10^12, 2,063,689 for 2^50).
/// - `basePrimes` must hold every prime ≤ ⌊√(high − 1)⌋, ascending (for example
///   `basePrimes(upTo: integerSquareRoot(high - 1))`, or one shared list for all the blocks of a larger
///   range); larger primes in it are ignored.
/// - A value only keeps the range and the sieving primes: each call of `count()` or `forEachPrime(_:)`
///   allocates its own buffers (one segment, at most `segmentBytes`, plus 16 bytes per sieving prime), so
///   one value per thread, or one shared value, may be used concurrently.
/// - Cost of a call beyond the sieving itself: one division per sieving prime to find its first multiple,
///   so blocks much shorter than √high spend most of their time there.
public struct SegmentedSieve: Sendable {
    /// The largest allowed upper bound: 2^62.
    public static let maximumUpperBound = 1 << 62
    /// Bytes of sieve array per segment by default: 256 KiB, 7,864,320 numbers.
    public static let defaultSegmentBytes = 256 * 1024

    /// The range as given.
    public let range: Range<Int>
    /// Bytes of sieve array per segment, 30 numbers a byte: a power of two from 32 KiB to 64 MiB.
    public let segmentBytes: Int
    /// The base primes from 101 (the smaller ones are pre-sieved) up to ⌊√(high − 1)⌋.
    let sievingPrimes: [Int]

    /// A sieve for `range`; `basePrimes` holds at least every prime ≤ ⌊√(high − 1)⌋, ascending.
    /// `segmentBytes` (at most 64 MiB) is rounded up to a power of two of at least 32 KiB (tests use small segments to
    /// exercise every code path on small ranges; the default is the fastest measured).
    public init(range: Range<Int>, basePrimes: [Int], segmentBytes: Int = SegmentedSieve.defaultSegmentBytes) {
        precondition(range.upperBound <= Self.maximumUpperBound, "the sieve's upper bound is at most 2^62")
        precondition(segmentBytes <= 1 << 26, "segments of at most 64 MiB")
        self.range = range
        var bytes = chunkBytes
        while bytes < segmentBytes { bytes *= 2 }
        self.segmentBytes = bytes
        let high = range.upperBound
        let root = high > 1 ? integerSquareRoot(high - 1) : 0
        var needed: [Int] = []
        var previous = 1
        for p in basePrimes {
            precondition(p > previous, "base primes must be ascending primes")
            previous = p
            if p > root { break }
            if p > preSieveLargestPrime { needed.append(p) }
        }
        sievingPrimes = needed
    }

    /// A sieve for `range` that finds its own base primes.
    public init(range: Range<Int>, segmentBytes: Int = SegmentedSieve.defaultSegmentBytes) {
        let high = range.upperBound
        precondition(high <= Self.maximumUpperBound, "the sieve's upper bound is at most 2^62")
        let needed = range.isEmpty || high <= Swift.max(range.lowerBound, 0) ? 0 : integerSquareRoot(Swift.max(high - 1, 0))
        self.init(range: range, basePrimes: Kernels.basePrimes(upTo: needed), segmentBytes: segmentBytes)
    }

    /// The number of primes in the range.
    public func count() -> Int {
        var total = 0
        for p in [2, 3, 5] where range.contains(p) { total += 1 }
        sieve { _, words, wordCount in
            var sum = 0
            for w in 0..<wordCount { sum &+= words[w].nonzeroBitCount }
            total &+= sum
        }
        return total
    }

    /// Calls `body` with every prime of the range, in ascending order.
    public func forEachPrime(_ body: (Int) throws -> Void) rethrows {
        for p in [2, 3, 5] where range.contains(p) { try body(p) }
        try sieve { firstByte, words, wordCount in
            for w in 0..<wordCount {
                var word = words[w]
                let base = (firstByte &+ w &* 8) &* 30
                while word != 0 {
                    let bit = word.trailingZeroBitCount
                    try body(base &+ (bit &>> 3) &* 30 &+ Int(wheelOffsets[bit & 7]))
                    word &= word &- 1
                }
            }
        }
    }

    /// The primes of the range, ascending.
    public func primes() -> [Int] {
        var result: [Int] = []
        forEachPrime { result.append($0) }
        return result
    }

    /// Sieves segment by segment and hands each finished segment to `body` as (global index of its
    /// first byte, its bytes as 64-bit words, the word count). Bit j of byte b stands for 30·b + wheelOffsets[j]
    /// (the words are read little-endian); bits outside the range and the padding are clear.
    /// 2, 3 and 5 are not represented.
    func sieve(_ body: (Int, UnsafePointer<UInt64>, Int) throws -> Void) rethrows {
        let low = Swift.max(range.lowerBound, 0), high = range.upperBound
        if low >= high || high <= 7 { return }
        let firstByte = low / 30            // the byte holding low
        let endByte = (high - 1) / 30 + 1   // one past the byte holding high − 1
        let totalBytes = endByte - firstByte
        let segmentShift = segmentBytes.trailingZeroBitCount

        // Each sieving prime starts at its first multiple p·m ≥ max(p², low) with m coprime to 30, as
        // a byte offset from firstByte; primes without a multiple in the range are left out.
        // Small and medium primes go into 16 lists, by size then by residue mod 30.
        var lists = [[SievingPrime]](repeating: [], count: 16)
        var large: [(position: Int, prime: LargeSievingPrime)] = []
        for p in sievingPrimes {
            let q = p / 30, ri = Int(wheelIndexOfResidue[p % 30])
            let m = Swift.max(p, low / p + (low % p == 0 ? 0 : 1))
            var k = m / 30, i = 0
            while i < 8 && Int(wheelOffsets[i]) < m % 30 { i += 1 }
            if i == 8 { i = 0; k += 1 }
            let position = p * k + q * Int(wheelOffsets[i]) + wheelCorrection[ri * 8 + i] - firstByte
            if position >= totalBytes { continue }
            if p > segmentBytes {
                large.append((position, LargeSievingPrime(position: 0, q: q, wheel: ri * 8 + i)))
            } else {
                // The turn starts at the byte of p·(30k + 1), p·k + q.
                lists[(p <= smallPrimeLimit ? 0 : 8) + ri].append(SievingPrime(turn: p * k + q - firstByte, q: UInt32(q), wheelIndex: UInt8(i)))
            }
        }
        let primeCount = lists.reduce(0) { $0 + $1.count }
        let primes = UnsafeMutableBufferPointer<SievingPrime>.allocate(capacity: Swift.max(primeCount, 1))
        defer { primes.deallocate() }
        var bounds = [0]
        for list in lists {
            _ = UnsafeMutableBufferPointer(rebasing: primes[bounds.last!...]).initialize(from: list)
            bounds.append(bounds.last! + list.count)
        }
        lists = []
        var buckets = Buckets(large, segmentShift: segmentShift, largestQ: (sievingPrimes.last ?? 0) / 30)
        large = []
        defer { buckets.deallocate() }

        // The sieve array of one segment, with untouched room on both sides for the largest small or medium
        // prime: its current turn may start up to p bytes before the array or end up to p bytes after it,
        // and pointers to it stay inside the allocation.
        let room = ((sievingPrimes.last(where: { $0 <= segmentBytes }) ?? 0) + 63) / 64 * 64
        let capacity = room + Swift.min(segmentBytes, totalBytes) + 64 + room
        let allocation = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            .bindMemory(to: UInt8.self, capacity: capacity)
        defer { allocation.deallocate() }
        let bytes = allocation + room
        let preSieve = PreSieve.shared

        var segment = 0
        var start = 0  // = segment · segmentBytes, the segment's first byte relative to firstByte
        while start < totalBytes {
            let length = Swift.min(segmentBytes, totalBytes - start)
            var chunk = 0
            while chunk < length {
                let chunkLength = Swift.min(chunkBytes, length - chunk)
                let s = bytes + chunk
                let absolute = firstByte + start + chunk
                preSieve.apply(s, chunkLength, firstByte: absolute)
                if absolute < preSieve.restoreBytes { preSieve.restore(s, chunkLength, firstByte: absolute) }
                for ri in 0..<8 where bounds[ri] < bounds[ri + 1] {
                    crossOff(residueIndex: ri, s, chunkLength, UnsafeMutableBufferPointer(rebasing: primes[bounds[ri]..<bounds[ri + 1]]))
                }
                chunk += chunkLength
            }
            for ri in 0..<8 where bounds[8 + ri] < bounds[9 + ri] {
                crossOff(residueIndex: ri, bytes, length, UnsafeMutableBufferPointer(rebasing: primes[bounds[8 + ri]..<bounds[9 + ri]]))
            }
            buckets.crossOff(segment: segment, bytes, length, remaining: totalBytes - start)

            // Clear the bits outside [low, high) and the padding up to the next whole word.
            if start == 0 {
                var b = 0
                while b < 8 && 30 * firstByte + Int(wheelOffsets[b]) < low { b += 1 }
                bytes[0] &= UInt8(truncatingIfNeeded: 0xFF << b)
            }
            if start + length == totalBytes {
                var b = 0
                while b < 8 && 30 * (endByte - 1) + Int(wheelOffsets[b]) < high { b += 1 }
                bytes[length - 1] &= UInt8(truncatingIfNeeded: (1 << b) - 1)
            }
            let wordCount = (length + 7) / 8
            for pad in length..<wordCount * 8 { bytes[pad] = 0 }
            try body(firstByte + start, UnsafeRawPointer(bytes).assumingMemoryBound(to: UInt64.self), wordCount)
            segment += 1
            start += length
        }
    }
}

// MARK: - Wheel and tiers

/// The numbers coprime to 30 in 0..<30: bit j of a sieve byte b is the number 30·b + wheelOffsets[j].
let wheelOffsets: [UInt8] = [1, 7, 11, 13, 17, 19, 23, 29]

/// residue mod 30 → its bit (0xFF for residues not coprime to 30).
let wheelIndexOfResidue: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 30)
    for (i, w) in wheelOffsets.enumerated() { table[Int(w)] = UInt8(i) }
    return table
}()

/// For p = 30q + r, r = wheelOffsets[ri], the multiple p·(30k + w_i) lies at byte p·k + q·w_i + ⌊r·w_i / 30⌋,
/// bit of (r·w_i) mod 30. At [ri·8 + i]: ⌊r·w_i / 30⌋.
let wheelCorrection: [Int] = wheelOffsets.flatMap { r in wheelOffsets.map { w in Int(r) * Int(w) / 30 } }

/// The pre-sieve and the small sieving primes work on chunks of this many bytes (L1: 32 KiB).
let chunkBytes = 32 * 1024
/// Sieving primes up to this are small: crossed off chunk by chunk (at least 4 wheel turns a chunk).
let smallPrimeLimit = chunkBytes / 4
/// The pre-sieve removes the multiples of the primes up to this.
let preSieveLargestPrime = 97

// MARK: - Small and medium sieving primes

/// A small or medium sieving prime p = 30q + r (r is given by the list it is in): `turn` is the byte,
/// relative to the current chunk or segment, of its current wheel turn (of p·(30k + 1)), and its next
/// multiple to cross off is p·(30k + w_wheelIndex), at byte turn + o_wheelIndex (see `ResidueClass`).
/// `turn` may be negative: a turn can start before the chunk that holds its next multiple.
struct SievingPrime {
    var turn: Int
    var q: UInt32
    var wheelIndex: UInt8
}

/// Crosses off the multiples of the primes p ≡ wheelOffsets[ri] (mod 30) in s[0..<length]; afterwards
/// each turn is relative to s + length, the next chunk or segment.
@inline(__always)
func crossOff(residueIndex ri: Int, _ s: UnsafeMutablePointer<UInt8>, _ length: Int,
              _ primes: UnsafeMutableBufferPointer<SievingPrime>) {
    switch ri {
    case 0: crossOff(Residue1.self, s, length, primes)
    case 1: crossOff(Residue7.self, s, length, primes)
    case 2: crossOff(Residue11.self, s, length, primes)
    case 3: crossOff(Residue13.self, s, length, primes)
    case 4: crossOff(Residue17.self, s, length, primes)
    case 5: crossOff(Residue19.self, s, length, primes)
    case 6: crossOff(Residue23.self, s, length, primes)
    default: crossOff(Residue29.self, s, length, primes)
    }
}

/// The 8 multiples p·(30k + w_j), j = 0..<8, of a wheel turn lie at bytes t + o_j, where t is the byte
/// of p·(30k + 1), o_0 = 0 and o_j = q·(w_j − 1) + c_j with c_j = ⌊r·w_j / 30⌋; the next turn starts
/// p bytes later. Mask m_j clears the bit of (r·w_j) mod 30. The constants depend only on r, so each
/// residue class gets its own specialization of the loop below (written out by hand in the C reference).
protocol ResidueClass {
    static var r: Int { get }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { get }  // c_1 … c_7 (c_0 = 0)
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { get }
}

enum Residue1: ResidueClass {
    static var r: Int { 1 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (0, 0, 0, 0, 0, 0, 0) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xFE, 0xFD, 0xFB, 0xF7, 0xEF, 0xDF, 0xBF, 0x7F) }
}
enum Residue7: ResidueClass {
    static var r: Int { 7 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (1, 2, 3, 3, 4, 5, 6) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xFD, 0xDF, 0xEF, 0xFE, 0x7F, 0xF7, 0xFB, 0xBF) }
}
enum Residue11: ResidueClass {
    static var r: Int { 11 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (2, 4, 4, 6, 6, 8, 10) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xFB, 0xEF, 0xFE, 0xBF, 0xFD, 0x7F, 0xF7, 0xDF) }
}
enum Residue13: ResidueClass {
    static var r: Int { 13 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (3, 4, 5, 7, 8, 9, 12) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xF7, 0xFE, 0xBF, 0xDF, 0xFB, 0xFD, 0x7F, 0xEF) }
}
enum Residue17: ResidueClass {
    static var r: Int { 17 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (3, 6, 7, 9, 10, 13, 16) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xEF, 0x7F, 0xFD, 0xFB, 0xDF, 0xBF, 0xFE, 0xF7) }
}
enum Residue19: ResidueClass {
    static var r: Int { 19 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (4, 6, 8, 10, 12, 14, 18) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xDF, 0xF7, 0x7F, 0xFD, 0xBF, 0xFE, 0xEF, 0xFB) }
}
enum Residue23: ResidueClass {
    static var r: Int { 23 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (5, 8, 9, 13, 14, 17, 22) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0xBF, 0xFB, 0xF7, 0x7F, 0xFE, 0xEF, 0xDF, 0xFD) }
}
enum Residue29: ResidueClass {
    static var r: Int { 29 }
    static var c: (Int, Int, Int, Int, Int, Int, Int) { (6, 10, 12, 16, 18, 22, 28) }
    static var m: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) { (0x7F, 0xBF, 0xDF, 0xEF, 0xF7, 0xFB, 0xFD, 0xFE) }
}

/// Each prime finishes its current wheel turn (entering at its wheel index, checking the end before
/// each multiple), crosses off whole turns without checks, then the last partial turn. Every multiple
/// is addressed from the turn's first byte, so the offsets o_j are the only per-prime values.
/// Not inlined: the whole-turn loop needs 10 registers for itself.
@inline(never)
func crossOff<R: ResidueClass>(_: R.Type, _ s: UnsafeMutablePointer<UInt8>, _ length: Int,
                               _ primes: UnsafeMutableBufferPointer<SievingPrime>) {
    let (c1, c2, c3, c4, c5, c6, c7) = R.c
    let (m0, m1, m2, m3, m4, m5, m6, m7) = R.m
    let sieveEnd = s + length
    for k in primes.indices {
        let turn = primes[k].turn
        if turn >= length {  // no multiple here (medium primes, short segments)
            primes[k].turn = turn &- length
            continue
        }
        var t = s + turn
        let q = Int(primes[k].q)
        let o1 = q &* 6 &+ c1, o2 = q &* 10 &+ c2, o3 = q &* 12 &+ c3, o4 = q &* 16 &+ c4
        let o5 = q &* 18 &+ c5, o6 = q &* 22 &+ c6, o7 = q &* 28 &+ c7, p = q &* 30 &+ R.r
        var i = Int(primes[k].wheelIndex)
        done: do {
            switch i {  // finish the current turn
            case 1:
                if t + o1 >= sieveEnd { break done }
                t[o1] &= m1
                fallthrough
            case 2:
                if t + o2 >= sieveEnd { i = 2; break done }
                t[o2] &= m2
                fallthrough
            case 3:
                if t + o3 >= sieveEnd { i = 3; break done }
                t[o3] &= m3
                fallthrough
            case 4:
                if t + o4 >= sieveEnd { i = 4; break done }
                t[o4] &= m4
                fallthrough
            case 5:
                if t + o5 >= sieveEnd { i = 5; break done }
                t[o5] &= m5
                fallthrough
            case 6:
                if t + o6 >= sieveEnd { i = 6; break done }
                t[o6] &= m6
                fallthrough
            case 7:
                if t + o7 >= sieveEnd { i = 7; break done }
                t[o7] &= m7
                t += p
            default:
                break
            }
            let end = sieveEnd - o7
            while t < end {  // whole turns: 8 multiples in p bytes
                t[0] &= m0; t[o1] &= m1; t[o2] &= m2; t[o3] &= m3
                t[o4] &= m4; t[o5] &= m5; t[o6] &= m6; t[o7] &= m7
                t += p
            }
            // The last partial turn: its multiple at t + o7 is past the end.
            if t >= sieveEnd { i = 0; break done }
            t[0] &= m0
            if t + o1 >= sieveEnd { i = 1; break done }
            t[o1] &= m1
            if t + o2 >= sieveEnd { i = 2; break done }
            t[o2] &= m2
            if t + o3 >= sieveEnd { i = 3; break done }
            t[o3] &= m3
            if t + o4 >= sieveEnd { i = 4; break done }
            t[o4] &= m4
            if t + o5 >= sieveEnd { i = 5; break done }
            t[o5] &= m5
            if t + o6 >= sieveEnd { i = 6; break done }
            t[o6] &= m6
            i = 7
        }
        primes[k].turn = t - sieveEnd
        primes[k].wheelIndex = UInt8(truncatingIfNeeded: i)
    }
}

// MARK: - Large sieving primes: buckets

/// A large sieving prime p = 30q + r (q < 2^26 · 1.07 for p < 2^31): its next multiple is at byte
/// `position` (< segmentBytes ≤ 2^26) of the segment whose bucket holds it, with wheel = ri·8 + i (residue
/// index of p, wheel index of the cofactor). 8 bytes: position and wheel share one word.
struct LargeSievingPrime {
    var q: UInt32
    var packed: UInt32  // position << 6 | wheel

    init(position: Int, q: Int, wheel: Int) {
        self.q = UInt32(truncatingIfNeeded: q)
        packed = UInt32(truncatingIfNeeded: position << 6 | wheel)
    }

    var position: Int { Int(packed &>> 6) }
    var wheel: Int { Int(packed & 63) }
}

/// One crossing step for wheel = ri·8 + i: the mask of the multiple and the byte step to the next one,
/// q·stepFactor + stepCorrection (primesieve's wheel table).
struct WheelStep {
    var mask: UInt8
    var stepFactor: UInt8
    var stepCorrection: UInt8
    var next: UInt8  // ri·8 + (i + 1) mod 8
}

let wheelSteps: [WheelStep] = {
    let w = wheelOffsets.map(Int.init) + [31]
    var steps: [WheelStep] = []
    for (ri, r) in w.prefix(8).enumerated() {
        for i in 0..<8 {
            steps.append(WheelStep(mask: ~(1 << wheelIndexOfResidue[r * w[i] % 30]),
                                   stepFactor: UInt8(w[i + 1] - w[i]),
                                   stepCorrection: UInt8(r * w[i + 1] / 30 - r * w[i] / 30),
                                   next: UInt8(ri * 8 + (i + 1) % 8)))
        }
    }
    return steps
}()

/// The large sieving primes, each in the bucket of the segment that holds its next multiple. The
/// buckets form a ring long enough for the largest step of the largest prime; primes whose first
/// multiple lies further ahead wait in a list sorted by segment.
struct Buckets {
    struct Bucket {
        var items: UnsafeMutablePointer<LargeSievingPrime>? = nil
        var count = 0
        var capacity = 0

        mutating func append(_ item: LargeSievingPrime) {
            if count == capacity {
                let grown = Swift.max(64, capacity * 2)
                let new = UnsafeMutablePointer<LargeSievingPrime>.allocate(capacity: grown)
                if let items {
                    new.moveInitialize(from: items, count: count)
                    items.deallocate()
                }
                items = new
                capacity = grown
            }
            items![count] = item
            count += 1
        }
    }

    let segmentShift: Int
    let ring: UnsafeMutableBufferPointer<Bucket>
    /// Primes whose first multiple is beyond the ring, by ascending segment.
    var waiting: [(segment: Int, prime: LargeSievingPrime)]
    var nextWaiting = 0

    /// `primes`: (byte offset of the first multiple from the range's first byte, prime with wheel set).
    init(_ primes: [(position: Int, prime: LargeSievingPrime)], segmentShift: Int, largestQ: Int) {
        self.segmentShift = segmentShift
        // A crossing step is at most 6q + 6 bytes, so from inside segment s the next multiple is at most
        // 1 + (6q + 6) >> shift segments ahead.
        var size = 1
        while size < 2 + (6 * largestQ + 6) >> segmentShift { size *= 2 }
        ring = .allocate(capacity: primes.isEmpty ? 1 : size)
        ring.initialize(repeating: Bucket())
        waiting = []
        for (position, first) in primes {
            let segment = position >> segmentShift
            let prime = LargeSievingPrime(position: position & ((1 << segmentShift) - 1), q: Int(first.q), wheel: first.wheel)
            if segment < ring.count {
                ring[segment].append(prime)
            } else {
                waiting.append((segment, prime))
            }
        }
        waiting.sort { $0.segment < $1.segment }
    }

    func deallocate() {
        for bucket in ring { bucket.items?.deallocate() }
        ring.deallocate()
    }

    /// Crosses off the multiples in segment `segment` (bytes s[0..<length]) and moves each prime to the
    /// bucket of its next multiple, if that is within `remaining` bytes from the segment's start.
    @inline(__always)
    mutating func crossOff(segment: Int, _ s: UnsafeMutablePointer<UInt8>, _ length: Int, remaining: Int) {
        let mask = ring.count - 1
        while nextWaiting < waiting.count && waiting[nextWaiting].segment <= segment + mask {
            ring[waiting[nextWaiting].segment & mask].append(waiting[nextWaiting].prime)
            nextWaiting += 1
        }
        let slot = segment & mask
        let count = ring[slot].count
        if count == 0 { return }
        let items = ring[slot].items!
        ring[slot].count = 0  // the primes below only go to later segments' buckets
        let shift = segmentShift, within = (1 << shift) - 1
        wheelSteps.withUnsafeBufferPointer { steps in
            for k in 0..<count {
                let item = items[k]
                var position = item.position
                let q = Int(item.q)
                var wheel = item.wheel
                repeat {
                    let step = steps[wheel]
                    s[position] &= step.mask
                    position &+= q &* Int(step.stepFactor) &+ Int(step.stepCorrection)
                    wheel = Int(step.next)
                } while position < length
                if position < remaining {
                    let target = (segment &+ (position &>> shift)) & mask
                    ring[target].append(LargeSievingPrime(position: position & within, q: q, wheel: wheel))
                }
            }
        }
    }
}

// MARK: - Pre-sieve

/// The pre-sieve: for each group of primes, the sieve bytes of one period (the product of the group's
/// primes: byte b and byte b + period hold the same bits) with the multiples of the group's primes
/// cleared. A chunk starting at global byte b is the AND of the 8 patterns, each read from b mod period.
final class PreSieve: @unchecked Sendable {  // immutable after init
    static let shared = PreSieve()
    /// 8 groups of about 32 KiB (and two of 7 KiB), covering the primes 7 … 97 (primesieve's grouping).
    static let groups: [[Int]] = [[7, 67, 71], [11, 41, 73], [13, 43, 59], [17, 37, 53],
                                  [19, 29, 61], [23, 31, 47], [79, 97], [83, 89]]
    let periods: [Int]
    let patterns: [UnsafeMutablePointer<UInt8>]
    /// Chunks that start below this byte hold pre-sieved primes to restore (and 1 to clear).
    let restoreBytes = preSieveLargestPrime / 30 + 1

    private init() {
        var periods: [Int] = [], patterns: [UnsafeMutablePointer<UInt8>] = []
        for group in Self.groups {
            let period = group.reduce(1, *)
            let pattern = UnsafeMutablePointer<UInt8>.allocate(capacity: period)
            pattern.initialize(repeating: 0xFF, count: period)
            for p in group {
                // 30·b + w ≡ 0 (mod p) ⇔ b ≡ −w · 30⁻¹ (mod p); then every p-th byte.
                let inverse = (1..<p).first { 30 * $0 % p == 1 }!
                for (j, w) in wheelOffsets.enumerated() {
                    var b = (p - Int(w) % p) * inverse % p
                    while b < period {
                        pattern[b] &= ~(1 << j)
                        b += p
                    }
                }
            }
            periods.append(period)
            patterns.append(pattern)
        }
        self.periods = periods
        self.patterns = patterns
    }

    /// Fills s[0..<count], the global bytes from firstByte, with the AND of the 8 patterns (two passes of 4).
    @inline(__always)
    func apply(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, firstByte: Int) {
        pass(s, count, firstByte, 0, assign: true)
        pass(s, count, firstByte, 4, assign: false)
    }

    @inline(__always)
    private func pass(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, _ firstByte: Int, _ g: Int, assign: Bool) {
        let p0 = patterns[g], p1 = patterns[g + 1], p2 = patterns[g + 2], p3 = patterns[g + 3]
        let n0 = periods[g], n1 = periods[g + 1], n2 = periods[g + 2], n3 = periods[g + 3]
        var o0 = firstByte % n0, o1 = firstByte % n1, o2 = firstByte % n2, o3 = firstByte % n3
        var done = 0
        while done < count {
            let run = Swift.min(count - done, n0 - o0, n1 - o1, n2 - o2, n3 - o3)
            let d = s + done, a = p0 + o0, b = p1 + o1, c = p2 + o2, e = p3 + o3
            if assign {
                for t in 0..<run { d[t] = a[t] & b[t] & c[t] & e[t] }
            } else {
                for t in 0..<run { d[t] &= a[t] & b[t] & c[t] & e[t] }
            }
            done += run
            o0 += run; if o0 == n0 { o0 = 0 }
            o1 += run; if o1 == n1 { o1 = 0 }
            o2 += run; if o2 == n2 { o2 = 0 }
            o3 += run; if o3 == n3 { o3 = 0 }
        }
    }

    /// Sets the bits of the pre-sieved primes themselves (the patterns cleared them as multiples of
    /// themselves) and clears 1, in a chunk that starts at global byte firstByte < restoreBytes.
    func restore(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, firstByte: Int) {
        for group in Self.groups {
            for p in group {
                let b = p / 30 - firstByte
                if b >= 0 && b < count { s[b] |= 1 << wheelIndexOfResidue[p % 30] }
            }
        }
        if firstByte == 0 { s[0] &= 0xFE }
    }
}
