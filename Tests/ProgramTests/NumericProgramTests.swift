import Foundation
import Kernels
import Testing

/// integrate2d, pi and parallel-map: the same bits for every split (ranks 1–4 × threads 1–2),
/// answers against independent values, and bad input refused with exit 2.
@Suite(.serialized) struct NumericProgramTests {
    /// Ranks 1-4 × threads 1 and 2. Under another MPI (the Makefile's reduced sets) fewer:
    /// TEST_SPLIT_RANKS=1,3 runs ranks 1 and 3 × threads 1 and 2 (MPI=mpich); TEST_SPLITS=1x1,3x2 runs
    /// exactly those ranks×threads (MPI=openmpi5, intelmpi, abi: the two ends, 2 threads included, so
    /// the threads' calls into that MPI still run, in half the launches).
    static let splits: [(np: Int, threads: Int)] = {
        let environment = ProcessInfo.processInfo.environment
        if let pairs = environment["TEST_SPLITS"] {
            let splits = pairs.split(separator: ",").compactMap { pair -> (np: Int, threads: Int)? in
                let parts = pair.split(separator: "x").compactMap { Int($0) }
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }
            precondition(splits.count >= 2, "TEST_SPLITS=\(pairs): give two or more RANKSxTHREADS, such as 1x1,3x2")
            return splits
        }
        return (environment["TEST_SPLIT_RANKS"].map { $0.split(separator: ",").compactMap { Int($0) } } ?? [1, 2, 3, 4])
            .flatMap { np in [1, 2].map { (np, $0) } }
    }()

    /// The raw text of the report's `result` and `details`, as printed: comparing text compares bits.
    struct Answer: Equatable, CustomStringConvertible {
        let result: String
        let details: String
        var value: Double { Double(result) ?? .nan }
        var description: String { "result \(result) details \(details)" }
    }

    static func answer(_ program: String, np: Int, threads: Int, _ arguments: [String],
                       environment: [String: String] = [:]) throws -> Answer {
        let run = try Launch.run(program, np: np, arguments + ["--threads", "\(threads)", "--json"], environment: environment)
        return try answer(of: run, "\(program) np \(np) threads \(threads)")
    }

    /// The answer a run with `--json` printed; `what` names the run in failures.
    static func answer(of run: Launch, _ what: String) throws -> Answer {
        #expect(run.status == 0, "\(what): \(run.stderr)")
        let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init) ?? ""
        let pattern = try NSRegularExpression(pattern: #""result":([^,]+),"details":(\{[^}]*\})"#)
        guard let match = pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
              let result = Range(match.range(at: 1), in: line), let details = Range(match.range(at: 2), in: line)
        else {
            Issue.record("\(what): no result in \(run.stdout)")
            return Answer(result: "", details: "")
        }
        return Answer(result: String(line[result]), details: String(line[details]))
    }

    /// Every split's answer, which must all be the same; returns it.
    static func sameForEverySplit(_ program: String, _ arguments: [String]) throws -> Answer {
        let answers = try splits.map { try answer(program, np: $0.np, threads: $0.threads, arguments) }
        for (split, answer) in zip(splits, answers) {
            let first = answers[0]
            #expect(answer == first,
                    "\(program) \(arguments) np \(split.np) threads \(split.threads): \(answer) vs np 1 threads 1: \(first)")
        }
        return answers[0]
    }

    // MARK: integrate2d

    /// Every split gives the bits of the row-by-row kernel (which KernelsTests checks against the
    /// closed form of the midpoint sum), on a rectangle where the sum is far from zero.
    @Test func integrate2dSameBitsForEverySplit() throws {
        let arguments = ["--bins", "301", "--xmin", "-1", "--xmax", "0.5", "--ymin", "2", "--ymax", "3"]
        let answer = try Self.sameForEverySplit("integrate2d", arguments)
        let grid = MidpointGrid(bins: 301, x: -1...0.5, y: 2...3, path: .scalar)
        #expect(answer.value.bitPattern == grid.integral(grid.rowSums(0..<301).value).bitPattern, "\(answer)")
    }

    /// The problem each schedule test runs, small.
    static let scheduleArguments = ["integrate2d": ["--bins", "301"], "pi": ["--darts", "200003"],
                                    "collatz": ["--limit", "30011"]]

    /// Every schedule gives the same bits (result and details) as the block split, at np 1 and 3
    /// with 2 threads.
    @Test(arguments: ["integrate2d", "pi", "collatz"])
    func sameBitsUnderEverySchedule(program: String) throws {
        let arguments = Self.scheduleArguments[program]!
        let block = try Self.answer(program, np: 1, threads: 1, arguments)
        for (schedule, chunk) in [("block", nil), ("cyclic", nil), ("dynamic", "7"), ("dynamic", nil)] as [(String, String?)] {
            for np in [1, 3] {
                let answer = try Self.answer(program, np: np, threads: 2,
                                             arguments + ["--schedule", schedule] + (chunk.map { ["--chunk", $0] } ?? []))
                #expect(answer == block, "\(program) --schedule \(schedule) np \(np): \(answer) vs \(block)")
            }
        }
    }

    /// Ranks that run different numbers of threads (SLURM_CPUS_PER_TASK 2, 1, 1 and 3 by rank): every
    /// schedule still takes each index once, so the bits are the single thread's.
    @Test(arguments: ["integrate2d", "pi", "collatz"])
    func sameBitsWhenRanksRunDifferentThreadCounts(program: String) throws {
        let arguments = Self.scheduleArguments[program]!
        let single = try Self.answer(program, np: 1, threads: 1, arguments)
        let groups: [(np: Int, environment: [String: String])] = [(1, ["SLURM_CPUS_PER_TASK": "2"]),
                                                                  (2, ["SLURM_CPUS_PER_TASK": "1"]),
                                                                  (1, ["SLURM_CPUS_PER_TASK": "3"])]
        for schedule in ["block", "cyclic", "dynamic"] {
            let options = ["--schedule", schedule] + (schedule == "dynamic" ? ["--chunk", "5"] : []) + ["--json"]
            let run = try Launch.run(program, groups: groups, arguments + options)
            let answer = try Self.answer(of: run, "\(program) --schedule \(schedule) threads 2,1,1,3")
            #expect(answer == single, "\(program) --schedule \(schedule): \(answer) vs \(single)")
            #expect(run.stdout.contains(#""rank_threads":[2,1,1,3]"#), "\(run.stdout)")
        }
    }

    /// Against the closed form of the midpoint sum, (Σ sin x_i)(Σ cos y_j) + (Σ cos x_i)(Σ sin y_j),
    /// each single sum in closed form, in 64-bit-mantissa precision.
    @Test(arguments: [1, 7, 64, 1000])
    func integrate2dMatchesTheClosedForm(bins: Int) throws {
        for (x, y) in [(0.0...1.0, 0.0...2.0), (0.25...4.0, -3.0...(-1.0))] {
            let answer = try Self.answer("integrate2d", np: 3, threads: 1, [
                "--bins", "\(bins)", "--xmin", "\(x.lowerBound)", "--xmax", "\(x.upperBound)",
                "--ymin", "\(y.lowerBound)", "--ymax", "\(y.upperBound)"])
            let (hx, hy) = ((Float80(x.upperBound) - Float80(x.lowerBound)) / Float80(bins),
                            (Float80(y.upperBound) - Float80(y.lowerBound)) / Float80(bins))
            func sums(_ a: Float80, _ h: Float80) -> (sin: Float80, cos: Float80) {
                let half = Float80(bins) * h / 2, factor = sinl(half) / sinl(h / 2)
                return (sinl(a + half) * factor, cosl(a + half) * factor)
            }
            let sx = sums(Float80(x.lowerBound), hx), sy = sums(Float80(y.lowerBound), hy)
            let expected = Double(hx * hy * (sx.sin * sy.cos + sx.cos * sy.sin))
            let area = (x.upperBound - x.lowerBound) * (y.upperBound - y.lowerBound)
            let scale = 2 + abs(x.lowerBound) + abs(x.upperBound) + abs(y.lowerBound) + abs(y.upperBound)
            let tolerance = area * Double(bins + 4) * Double.ulpOfOne * scale
            #expect(abs(answer.value - expected) <= tolerance, "bins \(bins) \(x) × \(y): \(answer.value) vs \(expected)")
        }
    }

    /// With no rectangle given, the lessons' square [0, π]²: the parameters say so, and the answer is
    /// the one known exactly. The integral of sin(x + y) there is 0 (∫₀^π cos = 0), and so is the midpoint
    /// sum in exact arithmetic: (Σ sin xᵢ)(Σ cos yⱼ) + (Σ cos xᵢ)(Σ sin yⱼ) with Σ cos = 0, the midpoints
    /// being symmetric about π/2. So the result must be 0 to rounding, the kernel's bits on that square,
    /// and the printed error |result − exact|.
    @Test func integrate2dDefaultIsTheLessonsSquare() throws {
        let run = try Launch.run("integrate2d", np: 2, ["--bins", "100"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("bins=100 xmin=0.0 xmax=3.141592653589793 ymin=0.0 ymax=3.141592653589793"),
                "\(run.stdout)")
        #expect(run.stdout.contains("error "), "\(run.stdout)")
        let json = try Launch.run("integrate2d", np: 2, ["--bins", "100", "--json"])
        let object = try #require(try json.jsonObjects().first, "\(json.stdout) \(json.stderr)")
        // The numbers as printed (Double's shortest round-trip text), so that comparing them compares bits.
        func printed(_ key: String) throws -> Double {
            let match = try #require(json.stdout.firstMatch(of: try Regex("\"\(key)\":([^,}]+)")), "\(key): \(json.stdout)")
            return try #require(Double(String(match.output[1].substring ?? "")), "\(key): \(json.stdout)")
        }
        let (result, exact, error) = (try printed("result"), try printed("exact"), try printed("error"))
        let grid = MidpointGrid(bins: 100, x: 0...Double.pi, y: 0...Double.pi, path: .scalar)
        #expect(result.bitPattern == grid.integral(grid.rowSums(0..<100).value).bitPattern, "\(object)")
        #expect(abs(result) < 1e-12, "the midpoint sum on [0, π]² is 0 to rounding: \(result)")
        #expect(abs(exact) < 1e-15, "the integral on [0, π]² is 0 to rounding: \(exact)")
        #expect(error == abs(result - exact), "\(object)")
        let parameters = object["parameters"] as? [String: Any] ?? [:]
        #expect(parameters["xmin"] as? Double == 0 && parameters["xmax"] as? Double == Double.pi
                && parameters["ymin"] as? Double == 0 && parameters["ymax"] as? Double == Double.pi, "\(parameters)")
    }

    // MARK: pi

    /// The same count of darts inside for every split, equal to the kernel's serial count, and an
    /// estimate within 5 binomial sigmas of π.
    @Test func piSameCountForEverySplit() throws {
        let darts = 2_000_000
        let answer = try Self.sameForEverySplit("pi", ["--darts", "2e6", "--seed", "2024"])
        let inside = dartsInside(0..<darts, seed: 2024)
        #expect(answer.details == "{\"inside\":\(inside),\"darts\":\(darts)}", "\(answer)")
        let sigma = 4 * (Double.pi / 4 * (1 - Double.pi / 4) / Double(darts)).squareRoot()
        #expect(abs(answer.value - Double.pi) < 5 * sigma, "\(answer)")
        #expect(answer.value == 4 * Double(inside) / Double(darts))
        let other = try Self.answer("pi", np: 2, threads: 1, ["--darts", "2e6", "--seed", "2025"])
        #expect(other.details != answer.details, "another seed, other darts")
    }

    // MARK: parallel-map

    /// The lessons' serial loop, one element at a time through the scalar path (KernelsTests checks
    /// it against the formula in 64-bit-mantissa precision, and every vector path against it).
    static func serialMap(size: Int, num: Double, den: Double) -> [Double] {
        (0..<size).map { driver($0, num: num, den: den) }
    }

    /// Every split writes the same file, equal element by element to the serial loop; the gathered
    /// array checks out against the same loop; no temporary file is left behind.
    @Test func parallelMapFileAndGatherMatchTheSerialLoop() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let size = 100_003, num = 0.5, den = 2.0
        let expected = Self.serialMap(size: size, num: num, den: den)
        let expectedBytes = Data(expected.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        var answers: [Answer] = []
        for split in Self.splits {
            let file = folder.appendingPathComponent("map-\(split.np)-\(split.threads).bin")
            let answer = try Self.answer("parallel-map", np: split.np, threads: split.threads, [
                "--size", "\(size)", "--num", "\(num)", "--den", "\(den)", "--output", file.path])
            #expect(try Data(contentsOf: file) == expectedBytes, "np \(split.np) threads \(split.threads)")
            let gathered = try Self.answer("parallel-map", np: split.np, threads: split.threads, [
                "--size", "\(size)", "--num", "\(num)", "--den", "\(den)", "--verify"])
            #expect(gathered.details.contains("\"mismatches\":0"), "\(gathered)")
            #expect(gathered.details.contains("\"last\":\(expected[size - 1])"), "\(gathered)")
            #expect(gathered.result == answer.result)
            answers.append(answer)
        }
        #expect(Set(answers.map(\.result)).count == 1, "\(answers)")
        let naive = expected.reduce(0, +)
        #expect(abs(answers[0].value - naive) <= 1e-12 * naive)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasSuffix(".bin") }
        #expect(left.isEmpty, "left behind: \(left)")
    }

    /// A bad run never touches an existing output file and leaves nothing beside it.
    @Test func parallelMapBadRunLeavesNoPartialFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("out.bin")
        try Data("old".utf8).write(to: file)
        let run = try Launch.run("parallel-map", np: 3, ["--size", "0", "--output", file.path], timeout: 30)
        #expect(run.status == 2)
        #expect(try Data(contentsOf: file) == Data("old".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
        let missing = folder.appendingPathComponent("none/out.bin")
        let second = try Launch.run("parallel-map", np: 2, ["--size", "10", "--output", missing.path], timeout: 30)
        #expect(second.status == 2)
        #expect(second.errorLines(containing: "no folder").count == 1, "\(second.stderr)")
    }

    // MARK: Vector paths

    /// integrate2d and parallel-map give the same bits under every vector path this CPU can take
    /// (SPMD_VECTOR), at 1 and 3 ranks, and name the path they took.
    @Test(arguments: ["integrate2d", "parallel-map"])
    func sameBitsUnderEveryVectorPath(program: String) throws {
        let arguments = program == "integrate2d"
            ? ["--bins", "301", "--xmin", "-1", "--xmax", "0.5", "--ymin", "2", "--ymax", "3"]
            : ["--size", "100003", "--num", "0.5", "--den", "2", "--verify"]
        let reference = try Self.answer(program, np: 1, threads: 1, arguments, environment: ["SPMD_VECTOR": "scalar"])
        #expect(reference.details.contains("\"vector\":\"scalar\""), "\(reference)")
        #expect(VectorPath.supported.count > 1, "this CPU has only the scalar path: nothing to compare")
        for path in VectorPath.supported {
            for np in [1, 3] {
                let answer = try Self.answer(program, np: np, threads: 2, arguments, environment: ["SPMD_VECTOR": path.rawValue])
                #expect(answer.result == reference.result, "\(program) SPMD_VECTOR=\(path) np \(np): \(answer) vs scalar \(reference)")
                #expect(answer.details.contains("\"vector\":\"\(path)\""), "\(answer)")
                if program == "parallel-map" { #expect(answer.details.contains("\"mismatches\":0"), "\(answer)") }
            }
        }
    }

    /// pi's darts and euler's uniforms (Philox in SIMD lanes, CPhilox) give the same counts under
    /// every vector path this CPU can take, at 1 and 3 ranks.
    @Test(arguments: ["pi", "euler"])
    func philoxSameBitsUnderEveryVectorPath(program: String) throws {
        let arguments = program == "pi" ? ["--darts", "300007", "--seed", "5"] : ["--trials", "200003", "--seed", "5"]
        let reference = try Self.answer(program, np: 1, threads: 1, arguments, environment: ["SPMD_VECTOR": "scalar"])
        #expect(VectorPath.supported.count > 1, "this CPU has only the scalar path: nothing to compare")
        for path in VectorPath.supported {
            for np in [1, 3] {
                let answer = try Self.answer(program, np: np, threads: 2, arguments, environment: ["SPMD_VECTOR": path.rawValue])
                #expect(answer == reference, "\(program) SPMD_VECTOR=\(path) np \(np): \(answer) vs scalar \(reference)")
            }
        }
    }

    /// A SPMD_VECTOR that names no path is bad usage: exit 2, one message, nothing on standard output.
    @Test func badVectorPathExitsTwo() throws {
        for program in ["integrate2d", "parallel-map", "pi", "euler"] {
            for value in ["avx1024", "AVX2"] {
                let run = try Launch.run(program, np: 2, ["--threads", "1"], environment: ["SPMD_VECTOR": value], timeout: 30)
                #expect(run.status == 2, "\(program) SPMD_VECTOR=\(value): status \(run.status) \(run.stderr)")
                #expect(run.errorLines(containing: "\(program): SPMD_VECTOR must be one of scalar, avx2, avx512 (got '\(value)')").count == 1,
                        "\(run.stderr)")
                #expect(run.stdout.isEmpty, "\(run.stdout)")
            }
        }
    }

    // MARK: Bad input

    static let badInput: [(String, [String])] = [
        ("integrate2d", ["--bins", "0"]), ("integrate2d", ["--bins", "-5"]), ("integrate2d", ["--bins", "many"]),
        ("integrate2d", ["--bins", "2^40"]), ("integrate2d", ["--bins", "1e400"]),
        ("integrate2d", ["--xmin", "nan"]), ("integrate2d", ["--ymax", "inf"]), ("integrate2d", ["--xmin", "abc"]),
        ("integrate2d", ["--xmin", "2", "--xmax", "1"]), ("integrate2d", ["--ymin", "1", "--ymax", "1"]),
        ("pi", ["--darts", "0"]), ("pi", ["--darts", "-1"]), ("pi", ["--darts", "lots"]), ("pi", ["--darts", "2^60"]),
        ("pi", ["--darts", "9e18"]), ("pi", ["--darts", "1e30"]), ("pi", ["--seed", "abc"]), ("pi", ["--seed", "-1"]),
        ("pi", ["--seed", "2^64"]),
        ("pi", ["--part", "3/3", "--save", "/tmp/never.part"]), ("pi", ["--progress", "0"]),
        ("integrate2d", ["--checkpoint-every", "-5"]), ("integrate2d", ["--part", "0/2"]),
        ("parallel-map", ["--checkpoint", "/tmp/never.ckpt"]),
        ("integrate2d", ["--schedule", "guided"]), ("integrate2d", ["--chunk", "5"]),
        ("integrate2d", ["--schedule", "dynamic", "--chunk", "0"]), ("pi", ["--schedule", "cyclic", "--chunk", "5"]),
        ("parallel-map", ["--size", "0"]), ("parallel-map", ["--size", "-3"]), ("parallel-map", ["--size", "x"]),
        ("parallel-map", ["--size", "2^31"]), ("parallel-map", ["--size", "2^60", "--output", "/tmp/never.bin"]),
        ("parallel-map", ["--num", "-1"]), ("parallel-map", ["--den", "-2"]), ("parallel-map", ["--num", "nan"]),
        ("parallel-map", ["--den", "abc"]), ("parallel-map", ["--output", "/proc/no/such/file"]),
        ("parallel-map", ["--output", "/tmp"]), ("parallel-map", ["--output", ""]),
        ("parallel-map", ["--output", "/proc/map.bin"]),  // a folder no one can create files in
    ]

    @Test(arguments: [1, 4])
    func badInputExitsTwoWithOneMessage(np: Int) throws {
        for program in ["integrate2d", "pi", "parallel-map"] {
            try Launch.expectUsageErrors(program, np: np, Self.badInput.filter { $0.0 == program }.map(\.1))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.bin"))
    }
}
