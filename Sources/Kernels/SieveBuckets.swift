/// The large sieving primes (p > twice the segment bytes): Oliveira e Silva's bucket sieve (primesieve's EratBig).

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
