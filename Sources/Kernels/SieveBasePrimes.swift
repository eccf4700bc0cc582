/// Prime kernels outside the segmented sieve: an exact integer square root, the lesson's trial
/// division, and a plain sieve for the base primes (the sieving primes up to √high).

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
