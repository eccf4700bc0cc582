import Foundation
import Synchronization
import Testing
@testable import SPMD

@Suite struct ThreadCountTests {
    @Test func optionWins() throws {
        let count = try ThreadCount.resolve(option: 3, environment: ["SLURM_CPUS_PER_TASK": "8"], boundCPUs: { 2 })
        #expect(count == ThreadCount(count: 3, source: "--threads"))
    }

    @Test func slurmBeforeBinding() throws {
        let count = try ThreadCount.resolve(option: nil, environment: ["SLURM_CPUS_PER_TASK": "4"], boundCPUs: { 2 })
        #expect(count == ThreadCount(count: 4, source: "SLURM_CPUS_PER_TASK"))
    }

    @Test func bindingLast() throws {
        #expect(try ThreadCount.resolve(option: nil, environment: [:], boundCPUs: { 2 }).count == 2)
        #expect(try ThreadCount.resolve(option: nil, environment: [:], boundCPUs: { nil }) == ThreadCount(count: 1, source: "default"))
    }

    @Test func bindingIsSharedAmongRanksOnTheSameCPUs() {
        let binding = ThreadCount(count: 8, source: "binding")
        #expect(binding.shared(by: 1) == binding)
        #expect(binding.shared(by: 2).count == 4)
        #expect(binding.shared(by: 3).count == 2)
        #expect(binding.shared(by: 16).count == 1)
        let slurm = ThreadCount(count: 8, source: "SLURM_CPUS_PER_TASK")
        #expect(slurm.shared(by: 4) == slurm, "an explicit count is the user's to keep")
    }

    @Test(arguments: ["0", "-1", "abc", "", "2.5"])
    func malformedSlurmIsUsageError(value: String) {
        #expect(throws: UsageError.self) {
            try ThreadCount.resolve(option: nil, environment: ["SLURM_CPUS_PER_TASK": value], boundCPUs: { 2 })
        }
    }

    /// The binding of this test process, read with hwloc, is a real non-empty CPU set.
    @Test func bindingIsReadable() {
        let cpus = Affinity.process()
        #expect(cpus != nil && cpus!.count >= 1)
    }
}

@Suite struct ThreadTeamTests {
    @Test(arguments: [1, 2, 3, 8])
    func resultsInThreadOrder(count: Int) throws {
        #expect(try ThreadTeam.run(count: count) { $0 * $0 } == (0..<count).map { $0 * $0 })
    }

    final class Rendezvous: Sendable { let arrived = Atomic<Int>(0) }

    /// All threads must be inside the body at once: a team that ran them one after another fails.
    @Test(arguments: [2, 4])
    func threadsRunAtTheSameTime(count: Int) throws {
        let rendezvous = Rendezvous()
        let met = try ThreadTeam.run(count: count) { _ in
            rendezvous.arrived.add(1, ordering: .relaxed)
            let deadline = ContinuousClock.now + .seconds(10)
            while rendezvous.arrived.load(ordering: .relaxed) < count {
                if ContinuousClock.now > deadline { return false }
            }
            return true
        }
        #expect(met == [Bool](repeating: true, count: count))
    }

    /// A piece counts and lists exactly the indices it strides over; a contiguous one is its range.
    @Test func piecesHoldTheirIndices() {
        for start in -3...5 {
            for end in -3...12 {
                for step in 1...4 {
                    let piece = Piece(start: start, end: end, step: step)
                    let expected = Array(stride(from: start, to: max(start, end), by: step))
                    #expect(Array(piece) == expected && piece.count == expected.count, "\(start) \(end) \(step)")
                }
                #expect(Piece(start: start, end: end).range == start..<max(start, end))
            }
        }
    }

    struct Failure: Error, Equatable { let thread: Int }

    @Test func lowestThreadErrorIsRethrown() {
        #expect(throws: Failure(thread: 1)) {
            try ThreadTeam.run(count: 4) { thread in if thread >= 1 { throw Failure(thread: thread) }; return thread }
        }
    }
}

@Suite struct JSONValueTests {
    @Test func doublesRoundTrip() {
        for value in [0.1, 1.0 / 3.0, -7.117752e-17, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 3.141592653589793] {
            #expect(Double(JSONValue.double(value).text) == value)
        }
        #expect(JSONValue.double(.nan).text == "null")
    }

    @Test func objectsKeepOrderAndEscape() {
        let value: JSONValue = .object([("b", 1), ("a", ["x\"y\n", true, .null])])
        #expect(value.text == #"{"b":1,"a":["x\"y\n",true,null]}"#)
    }
}

/// The option types programs share.
@Suite struct OptionTests {
    @Test func countAcceptsExactNotation() {
        #expect(Count(argument: "1e9")?.value == 1_000_000_000)
        #expect(Count(argument: "1.5") == nil)
    }
}

@Suite struct GuidedChunksTests {
    /// The chunks from offset 0 on: each starts where the one before ended.
    static func chunks(_ guided: GuidedChunks) -> [Int] {
        var sizes: [Int] = [], offset = 0
        while offset < guided.count {
            let size = guided.size(at: offset)
            sizes.append(size)
            offset += size
        }
        return sizes
    }

    /// The chunks tile the range exactly, shrink as it runs out, hold at least the smallest chunk
    /// (but the last) and half an even share of what is left, and are few.
    @Test(arguments: [(10_000_000, 10_000, 2), (10_000_000, 10_000, 6), (1_000, 1, 1), (7, 3, 4), (1, 1, 8),
                      (99_999_989, 1, 3), (10_000, 100_000, 2)])
    func chunksTileTheRangeAndShrink(count: Int, smallest: Int, workers: Int) {
        let guided = GuidedChunks(count: count, smallest: smallest, workers: workers)
        let sizes = Self.chunks(guided)
        #expect(sizes.reduce(0, +) == count)
        #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 }, "\(sizes.prefix(20))")
        var left = count
        for (index, size) in sizes.enumerated() {
            let share = (left + 2 * workers - 1) / (2 * workers)
            #expect(size == min(left, max(smallest, share)), "chunk \(index) of \(sizes.count)")
            if index < sizes.count - 1 { #expect(size >= smallest) }
            left -= size
        }
        // Each chunk takes at least 1/(2W) of what is left until chunks reach the smallest size,
        // then the rest goes `smallest` at a time: 2W·ln(count) + 2W + 1 bounds the chunks.
        let bound = Double(2 * workers) * (log(Double(count)) + 1) + 1
        #expect(Double(sizes.count) <= bound, "\(sizes.count) chunks")
    }

    /// Collatz to 10^7 over 2 workers at the default smallest chunk: a few dozen requests, not a thousand.
    @Test func fewChunksWhereFixedChunksWereMany() {
        let sizes = Self.chunks(GuidedChunks(count: 10_000_000, smallest: 10_000, workers: 2))
        #expect(sizes.first == 2_500_000)
        #expect(sizes.count < 40, "\(sizes.count)")
        #expect(sizes.dropLast().last == 10_000 && sizes.last! <= 10_000, "\(sizes.suffix(3))")
    }
}

/// The saved-job file: it reads back what was written, and any cut or changed byte is refused.
@Suite struct SavedJobTests {
    static let job = SavedJob(kind: .checkpoint, program: "pi",
                              options: [.init(name: "--darts", value: "1000"), .init(name: "--seed", value: "7")],
                              part: JobPart(index: 1, count: 3), range: 333..<667, cursor: 500, words: [42, -1, .max])

    @Test func roundTrips() throws {
        #expect(try SavedJob(bytes: Self.job.bytes) == Self.job)
        #expect(Self.job.difference(from: Self.job.options) == nil)
        #expect(Self.job.difference(from: [.init(name: "--darts", value: "1000"), .init(name: "--seed", value: "8")])
                == "--seed 7, not --seed 8")
    }

    @Test func everyCutIsRefused() {
        let bytes = Self.job.bytes
        for length in 0..<bytes.count {
            #expect(throws: SavedJob.ReadError.self) { try SavedJob(bytes: Array(bytes[..<length])) }
        }
    }

    @Test func everyChangedByteIsRefused() {
        let bytes = Self.job.bytes
        for index in bytes.indices {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(throws: SavedJob.ReadError.self) { try SavedJob(bytes: changed) }
        }
    }

    @Test func partsParse() {
        #expect(JobPart(argument: "2/3") == JobPart(index: 2, count: 3))
        for bad in ["3/3", "-1/3", "1", "1/0", "a/b", "1/2/3", "/2", ""] { #expect(JobPart(argument: bad) == nil, "\(bad)") }
    }
}
