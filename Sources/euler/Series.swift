import Bignum
import SPMD

extension SeriesPart: ByteMessage {}

/// The series: e = Σ 1/k! to D decimals. Each rank sums its block of the terms (its threads their
/// sub-blocks, combined in order), the parts are combined in rank order up a tree to rank 0, and
/// the decimals of e − 2 = (P − Q)/Q are cut into one run per rank down a tree from rank 0
/// (`DecimalFraction.split(at:deferred:)`), each run converted by its rank's threads and written in place.
extension Euler {
    func series(_ context: Context) throws -> Outcome? {
        let world = context.communicator
        let terms = eSeriesTerms(digits: digits.value)
        let parts = try context.parallel(over: 0..<terms) { eSeriesPart($0) }
        let whole = try context.reduceInOrder(parts.dropFirst().reduce(parts[0], SeriesPart.combine),
                                              combine: SeriesPart.combine)
        // This rank's run of the decimals (ranks past `cutRanks` have none), or nil where a step was not settled.
        let cutRanks = min(context.ranks, max(1, digits.value / 1_000))
        var (offset, mine) = try decimalRun(context, whole: whole, ranks: cutRanks)
        if try world.allReduce(mine == nil ? 0 : 1, operation: .min) == 0 {
            // Not settled (never seen): rank 0 divides the whole out at once.
            mine = context.rank == 0 ? [] : nil
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

    /// This rank's run of the decimals and where it starts in the output ("2." first): rank 0 makes
    /// the fraction from `whole`, and each group of ranks' first rank keeps the first part of its
    /// decimals, a shift, and sends the rest to the second half's first rank, which works it out
    /// (a multiplication) and so gets fewer decimals to convert; its threads convert each run. An
    /// empty message passes on a step that was not settled.
    func decimalRun(_ context: Context, whole: SeriesPart?, ranks: Int) throws -> (offset: Int, digits: [UInt8]?) {
        guard context.rank < ranks else { return (0, []) }
        var fraction = whole?.eFraction(digits: digits.value)
        var (group, offset, count) = (0..<ranks, 2, digits.value)
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
