#if canImport(Glibc)
import Glibc
#endif

/// The text that reports and programs repeat: printf-style numbers, counted nouns, digit groups and
/// the decimal digits of a number appended to bytes.
public enum Format {
    /// printf-style formatting of one or a few numbers (the C library's digits), up to 255 bytes:
    /// `Format.printf("%.3f", x)`.
    public static func printf(_ pattern: String, _ arguments: any CVarArg...) -> String {
        withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 256)
            let length = Int(vsnprintf(&buffer, buffer.count, pattern, list))
            return String(decoding: buffer.prefix(max(0, min(length, buffer.count - 1))).map { UInt8(bitPattern: $0) },
                          as: UTF8.self)
        }
    }

    /// `1 thread`, `2 threads`.
    public static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The decimal digits of `value` in groups of three: `78,498`, `-1,000`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return value < 0 ? "-" + result : result
    }

    /// Appends the decimal digits of `value` (≥ 0) as ASCII to `bytes`, without a String in between:
    /// for output of millions of numbers (`primes --list`).
    public static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        precondition(value >= 0, "appendDecimal takes a number ≥ 0")
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: Int.max has 19 digits
        var n = value, length = 0
        withUnsafeMutableBytes(of: &digits) { digits in
            repeat {
                digits[23 - length] = UInt8(truncatingIfNeeded: 48 + n % 10)
                n /= 10
                length += 1
            } while n > 0
            bytes.append(contentsOf: digits[(24 - length)...])
        }
    }
}
