import Kernels
import Testing

@Suite struct ExactIntegerTests {
    @Test(arguments: [
        ("0", 0), ("42", 42), ("30000000", 30_000_000), ("30_000_000", 30_000_000), ("3e7", 30_000_000),
        ("1e9", 1_000_000_000), ("1E9", 1_000_000_000), ("1.5e9", 1_500_000_000), ("2.5e1", 25), ("1e0", 1),
        ("1e+3", 1_000), ("2^20", 1_048_576), ("4^10", 1_048_576), ("-5", -5), ("+5", 5), ("1e18", 1_000_000_000_000_000_000),
        ("9223372036854775807", Int.max), ("12000e-3", 12), ("0e999", 0), (".5e1", 5), ("1.", 1),
    ])
    func accepts(text: String, value: Int) {
        #expect(ExactInteger.parse(text) == value)
    }

    @Test(arguments: ["", "abc", "1.5", "1e-1", "1e19", "9223372036854775808", "2^63", "1e", "e5", "1.2.3", "1x",
                      "--3", "1e3e4", "0x10", " 7", "3.14e1", "."])
    func rejects(text: String) {
        #expect(ExactInteger.parse(text) == nil)
    }
}
