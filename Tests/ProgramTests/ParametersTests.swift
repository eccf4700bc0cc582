import Foundation
import Testing

/// Each program's report `parameters` are exactly its own options, in the order declared (as
/// `--experimental-dump-help` lists them, `--min-size` as `min_size`), less those it says it leaves
/// out: an option renamed, added or removed without the report following fails here.
@Suite(.serialized) struct ParametersTests {
    /// The harness's options (`CommonOptions`, `JobOptions`), never among a program's parameters.
    static let harnessOptions: Set = ["threads", "json", "repeat", "help", "version", "progress", "checkpoint",
                                      "checkpoint-every", "part", "save", "combine"]

    struct Case: Sendable, CustomStringConvertible {
        let program: String
        let np: Int
        let arguments: [String]
        /// Options the report leaves out (nil: all of them).
        let leftOut: Set<String>?
        var description: String { ([program] + arguments).joined(separator: " ") }
    }

    static let cases = [
        Case(program: "whereami", np: 1, arguments: [], leftOut: []),
        Case(program: "pingpong", np: 2, arguments: ["--max-size", "8", "--iterations", "10"], leftOut: []),
        // Fault injection, not the problem.
        Case(program: "layer-check", np: 1, arguments: [], leftOut: nil),
        Case(program: "integrate2d", np: 1, arguments: ["--bins", "10"], leftOut: []),
        Case(program: "pi", np: 1, arguments: ["--darts", "1000"], leftOut: []),
        Case(program: "parallel-map", np: 1, arguments: ["--size", "1000"], leftOut: []),
        Case(program: "collatz", np: 1, arguments: ["--limit", "1000"], leftOut: []),
        // Each method shows only the options it uses.
        Case(program: "euler", np: 1, arguments: ["--trials", "1000"], leftOut: ["digits", "output"]),
        Case(program: "euler", np: 1, arguments: ["--method", "series", "--digits", "100"], leftOut: ["trials", "seed"]),
        Case(program: "primes", np: 1, arguments: ["--limit", "1000"], leftOut: []),
    ]

    /// A new program gets a case here.
    @Test func everyProgramHasACase() {
        #expect(Set(Self.cases.map(\.program)) == Set(ProgramTests.programs))
    }

    @Test(arguments: cases)
    func parametersAreTheDeclaredOptions(_ test: Case) throws {
        let help = try Launch.run(test.program, np: 1, ["--experimental-dump-help"])
        #expect(help.status == 0, "\(help.stderr)")
        let dump = try #require(try JSONSerialization.jsonObject(with: Data(help.stdout.utf8)) as? [String: Any])
        let arguments = (dump["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        let options = arguments.compactMap { argument in
            (argument["names"] as? [[String: Any]])?.first { $0["kind"] as? String == "long" }?["name"] as? String
        }
        #expect(options.contains("threads") && options.contains("json"), "\(help.stdout)")
        let expected = options.filter { !Self.harnessOptions.contains($0) && !(test.leftOut?.contains($0) ?? true) }
            .map { $0.replacingOccurrences(of: "-", with: "_") }

        let run = try Launch.run(test.program, np: test.np, test.arguments + ["--json", "--threads", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        // The keys in the order printed (a parsed JSON object has none).
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("{") }.map(String.init))
        let object = try NSRegularExpression(pattern: #""parameters":\{([^}]*)\}"#)
        let match = try #require(object.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), "\(line)")
        let parameters = String(line[Range(match.range(at: 1), in: line)!])
        let keys = try NSRegularExpression(pattern: #"(?:^|,)"([a-z_0-9]+)":"#)
            .matches(in: parameters, range: NSRange(parameters.startIndex..., in: parameters))
            .map { String(parameters[Range($0.range(at: 1), in: parameters)!]) }
        #expect(keys == expected, "\(test): report \(keys), options \(expected)")
    }
}
