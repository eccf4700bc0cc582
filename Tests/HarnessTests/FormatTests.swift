import Testing
@testable import SPMD

@Suite struct FormatTests {
    @Test func printfUsesTheCLibrarysDigits() {
        #expect(Format.printf("%.3f", 2.0 / 3) == "0.667")
        #expect(Format.printf("%ld B at %.1e", 4096, 12345.0) == "4096 B at 1.2e+04")
    }

    @Test func countedNouns() {
        #expect(Format.counted(1, "thread") == "1 thread")
        #expect(Format.counted(0, "host") == "0 hosts")
        #expect(Format.counted(2, "rank") == "2 ranks")
    }

    @Test func groupsOfThree() {
        let cases = [(0, "0"), (7, "7"), (999, "999"), (1_000, "1,000"), (78_498, "78,498"), (-1_234_567, "-1,234,567"),
                     (Int.max, "9,223,372,036,854,775,807"), (Int.min, "-9,223,372,036,854,775,808")]
        for (value, text) in cases { #expect(Format.grouped(value) == text) }
    }

    /// Against Swift's own decimal text, for every length of number.
    @Test func appendDecimalWritesTheDigits() {
        var values = [0, 1, 9, 10, 99, 100, Int.max]
        var power = 1
        for _ in 0..<18 { power *= 10; values += [power - 1, power, power + 7] }
        var bytes: [UInt8] = [65]
        var expected = "A"
        for value in values {
            Format.appendDecimal(value, to: &bytes)
            bytes.append(10)
            expected += "\(value)\n"
        }
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }
}

/// A program declared only to read its parameters (never run: no MPI here).
private struct Declared: SPMDProgram {
    enum Method: String, ExpressibleByArgument, ParameterValue { case fast, slow }
    @OptionGroup var common: CommonOptions
    @Option var size: Count = 10
    @Option var minSize = 0.5
    @Option var method: Method = .fast
    @Option var output: String?
    @Option var seed: UInt64 = 1
    @Flag var verify = false
    @OptionGroup var job: JobOptions
    func compute(_ context: Context) throws -> Outcome? { nil }
}

@Suite struct DeclaredParametersTests {
    @Test func theProgramsOwnOptionsInOrder() throws {
        let program = try Declared.parse(["--size", "2^20", "--threads", "3", "--method", "slow", "--verify"])
        let parameters = program.declaredParameters
        #expect(parameters.map(\.0) == ["size", "min_size", "method", "output", "seed", "verify"])
        #expect(parameters.map(\.1) == [.int(1 << 20), .double(0.5), .string("slow"), .null, .string("1"), .bool(true)])
    }

    @Test func replacedValues() throws {
        let program = try Declared.parse(["--output", "x.bin"])
        let parameters = program.declaredParameters(replacing: ["size": .string("auto")])
        #expect(parameters.map(\.1) == [.string("auto"), .double(0.5), .string("fast"), .string("x.bin"), .string("1"), .bool(false)])
    }
}
