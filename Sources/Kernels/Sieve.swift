/// The segmented wheel-30 sieve of Eratosthenes over any sub-range of [0, 2^62]: its range, its sieving
/// primes and the segment-by-segment driver. The other concerns are in their own files:
/// SieveBasePrimes.swift (integer square root, trial division, base primes), SieveWheel.swift (the
/// wheel-30 layout and size tiers), SievePreSieve.swift, SieveSmallMedium.swift (small and medium
/// sieving primes), SieveBuckets.swift (large sieving primes) and SieveCounting.swift (counting and
/// enumerating a finished segment).
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
/// - Segments of 256 KiB (7,864,320 numbers, the L2 scale), each followed in memory by what comes next
///   (as many bytes as the largest small or medium prime), pre-sieved before the current one is sieved. The
///   small sieving primes (p ≤ 16,384) work chunk by chunk in 32 KiB (the L1 data cache of one core), the
///   medium ones (up to twice the segment size) over the whole segment.
/// - Small and medium sieving primes cross off one whole wheel turn at a time: the 8 multiples of p in
///   30·p numbers lie at fixed offsets in p bytes. There is one specialized loop per residue class of p
///   mod 30, so the offsets are loop invariants and the masks immediates (primesieve's EratSmall and
///   EratMedium). A prime crosses off whole turns while its turn starts in the chunk or segment, with no
///   check before each multiple: its last turn runs up to p bytes into the next chunk or segment, which
///   is pre-sieved already, so no prime ever stops inside a turn and every chunk and segment enters and
///   leaves the loop the same way (one branch per 8 multiples, and few mispredicted). After each segment
///   what follows it, with the crossings that ran into it, moves to the front of the array.
/// - Large sieving primes (p > twice the segment bytes, fewer than 4 multiples a segment) go into buckets, one
///   per future segment (Oliveira e Silva's bucket sieve, primesieve's EratBig): a segment only sees
///   the primes that have a multiple in it.
/// - Counting by population count of 64-bit words; enumeration by trailing-zero count.
///
/// Measured on the project's 2-core AMD EPYC (Zen 4) VM, one core, release build, compute time, runs
/// interleaved on the shared VM (load 1.3–5), with the bench's own `bench/compare.py peer` commands:
/// π(10^11) 0.795–0.812x `primesieve 1e11 -t1` (9.61 s against 12.10 s; 10.61 s against 13.08 s; medians
/// of 3; the code before this work, in the same hour: 0.936x and 0.992x) and π(10^10) 0.733–0.809x
/// (medians of 5; before: 0.829x on a quiet VM). Swift and the C reference run the same instructions
/// within 2 % (cachegrind). What took it there, near 10^11 (the window [98·10^9, 10^11), where the old
/// medium primes cost twice as much per crossing as the small ones, about 60 cycles per prime per segment
/// beyond the crossings themselves: two or three mispredicted branches entering and leaving partial turns):
/// - whole turns into the next segment, pre-sieved ahead (no partial turn, no checked loop): 0.857x;
/// - medium primes up to twice the segment, so none is left for the buckets at 10^11: 0.905x more;
/// - small primes up to half the chunk (16 KiB) instead of a quarter: 0.94–0.96x at 10^10 and near 10^11;
/// - only as much kept ahead of the segment as the largest prime, not a whole segment: 0.97x at 10^10 (C).
/// Tried and not kept, for no gain within the noise (±3–5 % on the loaded VM):
/// - 8-byte small and medium primes (32-bit turn, q and wheel index in one word; primes join their list
///   at the segment of their first turn): cachegrind's 1 MiB L2 model saw 89 % fewer L2 misses near 10^11,
///   the clock saw nothing (1.01x);
/// - the next wheel index computed instead of loaded in the bucket loop; pre-sieving up to 137 with 12
///   patterns (as many instructions, more L2 misses); 128 KiB and 512 KiB segments (1.13x and 1.06x near
///   10^11); small primes up to 4, 24 or 32 KiB.
/// Earlier, with partial turns: medium primes sorted by wheel index after each segment (primesieve's
/// EratMedium), 512 KiB and 1 MiB segments, buckets for primes above a quarter or an eighth of the
/// segment, and, in the C reference, pre-sieving up to 173 with 16 patterns.

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
///   allocates its own buffers (a segment and up to two more after it, with room before it that is never
///   touched: at most 5 · `segmentBytes`, 3 of them used; plus 16 bytes per sieving prime), so one value
///   per thread, or one shared value, may be used concurrently.
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
            if p > 2 * segmentBytes {
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

        // The sieve array of one segment, followed by `ahead` bytes of what comes next, pre-sieved before the
        // current segment is sieved, and room before it: both as long as the largest small or medium prime
        // (rounded up to 64). Every small and medium prime crosses off whole turns while its turn starts in
        // the segment, so its last turn may run up to p bytes past it, and its first turn in the range may
        // start up to p bytes before the array.
        let room = ((sievingPrimes.last(where: { $0 <= 2 * segmentBytes }) ?? 0) + 63) / 64 * 64
        let middle = (Swift.min(segmentBytes, totalBytes) + 63) / 64 * 64
        let ahead = room
        let capacity = room + middle + ahead + 64
        let allocation = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
            .bindMemory(to: UInt8.self, capacity: capacity)
        defer { allocation.deallocate() }
        let bytes = allocation + room
        let preSieve = PreSieve.shared
        /// Pre-sieves s[0..<count], the global bytes from `first`, chunk by chunk.
        func preSieveRegion(_ s: UnsafeMutablePointer<UInt8>, _ count: Int, _ first: Int) {
            var chunk = 0
            while chunk < count {
                let chunkLength = Swift.min(chunkBytes, count - chunk)
                preSieve.apply(s + chunk, chunkLength, firstByte: first + chunk)
                if first + chunk < preSieve.restoreBytes { preSieve.restore(s + chunk, chunkLength, firstByte: first + chunk) }
                chunk += chunkLength
            }
        }

        var ready = 0  // bytes from the segment's start pre-sieved already
        var segment = 0
        var start = 0  // = segment · segmentBytes, the segment's first byte relative to firstByte
        while start < totalBytes {
            let length = Swift.min(segmentBytes, totalBytes - start)
            // What follows is pre-sieved before any prime crosses off into it.
            let wanted = Swift.min(segmentBytes + ahead, totalBytes - start)
            if wanted > ready { preSieveRegion(bytes + ready, wanted - ready, firstByte + start + ready) }
            // The small primes chunk by chunk (L1), then the medium primes over the whole segment (L2).
            var chunk = 0
            while chunk < length {
                let chunkLength = Swift.min(chunkBytes, length - chunk)
                for ri in 0..<8 where bounds[ri] < bounds[ri + 1] {
                    crossOffWholeTurns(residueIndex: ri, bytes + chunk, chunkLength,
                                       UnsafeMutableBufferPointer(rebasing: primes[bounds[ri]..<bounds[ri + 1]]))
                }
                chunk += chunkLength
            }
            for ri in 0..<8 where bounds[8 + ri] < bounds[9 + ri] {
                crossOffWholeTurns(residueIndex: ri, bytes, length,
                                   UnsafeMutableBufferPointer(rebasing: primes[bounds[8 + ri]..<bounds[9 + ri]]))
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
            // What follows, pre-sieved and with the crossings that ran into it, moves to the front (memmove).
            ready = wanted - length
            if ready > 0 { UnsafeMutableRawPointer(bytes).copyMemory(from: bytes + segmentBytes, byteCount: ready) }
            segment += 1
            start += length
        }
    }
}
