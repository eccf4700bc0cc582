import Bignum
import Glibc
import SPMD

extension SeriesPart: ByteMessage {}

/// The series: e = Σ 1/k! to D decimals. Each thread of every rank sums its block of the terms
/// (blocks of equal cost, `eSeriesCuts`; a rank combines its threads' in order), the parts are
/// combined in rank order up a tree, and the decimals of e − 2 = (P − Q)/Q are cut into one run per
/// rank down a tree, each run converted by its rank's threads and written in place.
///
/// The tree's last combine is shared (`sharedTop`): rank 0 and its partner s each compute one of
/// its two products, and rank 0 then divides only the top bits of P and Q for the first decimals,
/// while rank s divides in full for the rest (`DecimalFraction.split(at:deferred:)`). Below the top,
/// a group's first rank keeps the first part of its decimals by a shift and sends the rest on.
extension Euler {
    /// Where a rank starts cutting decimals: its group of ranks, where its decimals start in the
    /// output ("2." first), how many, and the fraction (nil off a group's first rank, or where a
    /// step was not settled).
    typealias Run = (group: Range<Int>, offset: Int, count: Int, fraction: DecimalFraction?)

    func series(_ context: Context) throws -> Outcome? {
        let world = context.communicator
        let terms = eSeriesTerms(digits: digits.value)
        // Blocks of about equal cost, one per thread of every rank (rank 0's cuts, so all agree).
        var cuts = eSeriesCuts(terms: terms, parts: context.workers)
        try world.broadcast(&cuts, root: 0)
        let (blocks, firstWorker) = (cuts, context.firstWorker)
        let parts = try context.parallel { eSeriesPart(blocks[firstWorker + $0]..<blocks[firstWorker + $0 + 1]) }
        let own = parts.dropFirst().reduce(parts[0], SeriesPart.combine)
        // Ranks past `cutRanks` convert no decimals; `whole` is the whole part where a rank holds it.
        // The last combine is shared only where rank 0's partner gets decimals too.
        let cutRanks = min(context.ranks, max(1, digits.value / 1_000))
        var whole: SeriesPart?, start: Run
        if let partner = context.halvesPartner, partner < cutRanks {
            let half = try context.reduceInOrderToHalves(own, combine: SeriesPart.combine)
            (start, whole) = try sharedTop(context, half: half, partner: partner, ranks: cutRanks)
        } else {
            whole = try context.reduceInOrder(own, combine: SeriesPart.combine)
            start = (0..<cutRanks, 2, digits.value, whole?.eFraction(digits: digits.value))
        }
        var (offset, mine) = context.rank < cutRanks ? try decimalRun(context, from: start) : (0, [])
        if context.rank == Self.testUnsettledRank { mine = nil }
        if try world.allReduce(mine == nil ? 0 : 1, operation: .min) == 0 {
            // Not settled (never seen): the rank that holds the whole (rank 0, or its partner after a
            // shared top) divides it out at once.
            mine = []
            if let whole {
                guard let text = eDigits(whole, digits: digits.value) else {
                    throw UsageError("the last digit is in doubt after \(terms) terms; try another --digits")
                }
                mine = Array(text.utf8.dropFirst(2))
            }
            offset = 2
        }
        let decimals = mine ?? []
        if let output {
            var line = (context.rank == 0 ? Array("2.".utf8) : []) + decimals
            if offset + decimals.count == 2 + digits.value && !decimals.isEmpty { line.append(UInt8(ascii: "\n")) }
            let at = context.rank == 0 ? 0 : offset
            try SharedOutput.write(output, bytes: digits.value + 3, communicator: world) { file in
                try line.withUnsafeBufferPointer { try file.writeAll($0, at: at) }
            }
        }
        let ends = try world.gather(encoding: [String(decoding: decimals.prefix(50), as: UTF8.self),
                                               String(decoding: decimals.suffix(50), as: UTF8.self)], root: 0)
        guard let ends else { return nil }
        let first = String(ends.map { $0[0] }.joined().prefix(50)), last = String(ends.map { $0[1] }.joined().suffix(50))
        var details: [(String, JSONValue)] = [("digits", .int(digits.value)), ("terms", .int(terms)),
                                              ("first_50", .string(first)), ("last_50", .string(last))]
        if let output { details.append(("output", .string(output))) }
        return Outcome(result: .string("2.\(first)" + (digits.value > 50 ? "…\(last)" : "")),
                       display: "2.\(first)" + (digits.value > 100 ? " … \(last)" : String(last.suffix(max(0, digits.value - 50)))),
                       details: details)
    }

    /// The tree's last combine, shared by rank 0 (the left part, P_l and Q_l) and its partner s (the
    /// right, P_r and Q_r): rank 0 computes P = P_l·Q_r + P_r while rank s computes Q = Q_l·Q_r; then
    /// rank s sends the top bits of Q and rank 0 sends P. Rank 0 divides those top bits for the first
    /// decimals only, those of the ranks below s (`SeriesPart.eFractionHead`), while rank s divides P
    /// by Q in full and keeps the rest. Returns every rank's start, and the whole part on rank s.
    func sharedTop(_ context: Context, half: SeriesPart?, partner: Int, ranks: Int) throws -> (Run, SeriesPart?) {
        let world = context.communicator
        let share = Double(partner) / Double(ranks)
        let high = DecimalFraction.cut(digits.value, share: share + Self.headShare * (1 - share))
        // Rank 0's group gets the first `high` decimals, the partner's group the rest.
        let (group, offset, count) = context.rank < partner ? (0..<partner, 2, high)
                                                             : (partner..<ranks, 2 + high, digits.value - high)
        guard let half, context.rank == 0 || context.rank == partner else { return ((group, offset, count, nil), nil) }
        if context.rank == 0 {
            let sentQ = try world.isend(half.q.bytes(), to: partner, tag: 3)
            let right = SeriesPart(bytes: try world.receive(arrayOf: UInt8.self, from: partner, tag: 4).values)
            let p = half.p * right.q + right.p
            let sentP = try world.isend(p.bytes(), to: partner, tag: 5)
            let head = try world.receive(arrayOf: UInt8.self, from: partner, tag: 6).values
            let fraction = SeriesPart.eFractionHead(p: p, headOfQ: head, count: high)
            _ = try Request.waitAll([sentQ, sentP])
            return ((group, offset, count, fraction), nil)
        }
        let sentPart = try world.isend(half.bytes(), to: 0, tag: 4)
        let q = BigInt(bytes: try world.receive(arrayOf: UInt8.self, from: 0, tag: 3).values) * half.q
        let sentHead = try world.isend(SeriesPart.headOfQ(q, count: high), to: 0, tag: 6)
        let whole = SeriesPart(p: BigInt(bytes: try world.receive(arrayOf: UInt8.self, from: 0, tag: 5).values), q: q)
        let fraction = whole.eFraction(digits: digits.value)?.split(at: high, deferred: ())?.low
        _ = try Request.waitAll([sentPart, sentHead])
        return ((group, offset, count, fraction), whole)
    }

    /// The extra share of the decimals that rank 0's group takes at the shared top: rank s divides
    /// in full and multiplies out the rest, rank 0 divides numbers of its share's size. With the
    /// cut's own allowance for the multiplication (`DecimalFraction.cut`), rank 0 takes 66% of the
    /// decimals at 2 ranks. Tuned at 2 ranks and 10^7 digits on the project's AMD EPYC VM, where the
    /// two ranks then finish within a few percent of each other.
    static let headShare = 0.15

    /// Tests only: `EULER_TEST_UNSETTLED_RANK=R` makes rank R's run of the decimals count as not
    /// settled, so that the fallback below the cut (the whole divided out at once) runs.
    static var testUnsettledRank: Int? {
        getenv("EULER_TEST_UNSETTLED_RANK").flatMap { Int(String(cString: $0)) }
    }

    /// This rank's run of the decimals and where it starts in the output, from its start: each group
    /// of ranks' first rank keeps the first part of its decimals, a shift, and sends the rest to the
    /// second half's first rank, which works it out (a multiplication) and so gets fewer decimals to
    /// convert; its threads convert each run. An empty message passes on a step that was not settled.
    func decimalRun(_ context: Context, from start: Run) throws -> (offset: Int, digits: [UInt8]?) {
        var (group, offset, count, fraction) = start
        while group.count > 1 {
            let middle = group.lowerBound + group.count / 2
            let high = DecimalFraction.cut(count, share: Double(middle - group.lowerBound) / Double(group.count))
            if context.rank == group.lowerBound {
                let halves = fraction?.split(at: high, deferred: ())
                try context.communicator.send(halves?.low.bytes() ?? [], to: middle, tag: 1)
                fraction = halves?.high
            } else if context.rank == middle {
                let bytes = try context.communicator.receive(arrayOf: UInt8.self, from: group.lowerBound, tag: 1).values
                fraction = bytes.isEmpty ? nil : DecimalFraction(bytes: bytes)
            }
            if context.rank < middle {
                (group, count) = (group.lowerBound..<middle, high)
            } else {
                (group, offset, count) = (middle..<group.upperBound, offset + high, count - high)
            }
        }
        guard let pieces = fraction?.pieces(context.threads) else { return (offset, nil) }
        let texts = try context.parallel { $0 < pieces.count ? pieces[$0].decimals() : [] }
        return (offset, texts.contains { $0 == nil } ? nil : texts.flatMap { $0! })
    }
}
