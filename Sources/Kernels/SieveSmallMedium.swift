/// Crossing off the small and medium sieving primes (primesieve's EratSmall and EratMedium): one
/// wheel turn at a time, one specialized loop per residue class of p mod 30.

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

/// Crosses off the multiples of the primes p ≡ wheelOffsets[ri] (mod 30) whose current wheel turn starts
/// in s[0..<length]: each prime finishes its current turn, then crosses off whole turns while the turn
/// starts before s + length, without a check before each multiple; the last turn's multiples may land up
/// to p bytes past the end. Afterwards every prime is at the start of a turn (wheel index 0), its `turn`
/// relative to s + length, so the next chunk or segment enters every loop the same way and leaves it
/// without a partial turn: one branch per 8 multiples, and few that the predictor misses.
@inline(__always)
func crossOffWholeTurns(residueIndex ri: Int, _ s: UnsafeMutablePointer<UInt8>, _ length: Int,
                        _ primes: UnsafeMutableBufferPointer<SievingPrime>) {
    switch ri {
    case 0: crossOffWholeTurns(Residue1.self, s, length, primes)
    case 1: crossOffWholeTurns(Residue7.self, s, length, primes)
    case 2: crossOffWholeTurns(Residue11.self, s, length, primes)
    case 3: crossOffWholeTurns(Residue13.self, s, length, primes)
    case 4: crossOffWholeTurns(Residue17.self, s, length, primes)
    case 5: crossOffWholeTurns(Residue19.self, s, length, primes)
    case 6: crossOffWholeTurns(Residue23.self, s, length, primes)
    default: crossOffWholeTurns(Residue29.self, s, length, primes)
    }
}

/// See `crossOffWholeTurns(residueIndex:_:_:_:)`. The caller guarantees that s[length ..< length + p] is
/// sieve memory, already pre-sieved, for every prime of the list (the next chunk, or the next segment).
/// Every multiple is addressed from its turn's first byte, so the offsets o_j are the only per-prime
/// values. Not inlined: the whole-turn loop needs 10 registers for itself.
@inline(never)
func crossOffWholeTurns<R: ResidueClass>(_: R.Type, _ s: UnsafeMutablePointer<UInt8>, _ length: Int,
                                         _ primes: UnsafeMutableBufferPointer<SievingPrime>) {
    let (c1, c2, c3, c4, c5, c6, c7) = R.c
    let (m0, m1, m2, m3, m4, m5, m6, m7) = R.m
    let chunkEnd = s + length
    for k in primes.indices {
        let turn = primes[k].turn
        if turn >= length {  // the turn starts past this chunk
            primes[k].turn = turn &- length
            continue
        }
        var t = s + turn
        let q = Int(primes[k].q)
        let o1 = q &* 6 &+ c1, o2 = q &* 10 &+ c2, o3 = q &* 12 &+ c3, o4 = q &* 16 &+ c4
        let o5 = q &* 18 &+ c5, o6 = q &* 22 &+ c6, o7 = q &* 28 &+ c7, p = q &* 30 &+ R.r
        switch Int(primes[k].wheelIndex) {  // finish the current turn: its multiples lie before t + p
        case 1:
            t[o1] &= m1
            fallthrough
        case 2:
            t[o2] &= m2
            fallthrough
        case 3:
            t[o3] &= m3
            fallthrough
        case 4:
            t[o4] &= m4
            fallthrough
        case 5:
            t[o5] &= m5
            fallthrough
        case 6:
            t[o6] &= m6
            fallthrough
        case 7:
            t[o7] &= m7
            t += p
        default:
            break
        }
        while t < chunkEnd {  // whole turns that start in the chunk: 8 multiples in p bytes
            t[0] &= m0; t[o1] &= m1; t[o2] &= m2; t[o3] &= m3
            t[o4] &= m4; t[o5] &= m5; t[o6] &= m6; t[o7] &= m7
            t += p
        }
        primes[k].turn = t - chunkEnd
        primes[k].wheelIndex = 0
    }
}

/// The 8 multiples p·(30k + w_j), j = 0..<8, of a wheel turn lie at bytes t + o_j, where t is the byte
/// of p·(30k + 1), o_0 = 0 and o_j = q·(w_j − 1) + c_j with c_j = ⌊r·w_j / 30⌋; the next turn starts
/// p bytes later. Mask m_j clears the bit of (r·w_j) mod 30. The constants depend only on r, so each
/// residue class gets its own specialization of the loop above (written out by hand in the C reference).
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
