/// Parses whole numbers the way HPC users write sizes: `30000000`, `30_000_000`, `3e7`, `1.5e9`, `2^20`.
///
/// Only exact values are accepted: `1.5e0` and values beyond `Int.max` are rejected (nil),
/// never rounded or wrapped. The result may be negative only if the text starts with `-`.
public enum ExactInteger {
    /// The integer `text` denotes exactly, or nil.
    public static func parse(_ text: String) -> Int? {
        var body = Substring(text.filter { $0 != "_" })
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        guard let magnitude = parseMagnitude(body) else { return nil }
        return negative ? (magnitude == 0 ? 0 : -magnitude) : magnitude
    }

    private static func parseMagnitude(_ text: Substring) -> Int? {
        if let caret = text.firstIndex(of: "^") {  // base^exponent
            guard let base = digits(text[..<caret]), let exponent = digits(text[text.index(after: caret)...]) else {
                return nil
            }
            return power(base, exponent)
        }
        let parts = text.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        guard parts.count <= 2 else { return nil }
        let exponent: Int
        if parts.count == 2 {
            var exponentText = parts[1]
            let negative = exponentText.first == "-"
            if exponentText.first == "-" || exponentText.first == "+" { exponentText = exponentText.dropFirst() }
            // Beyond 10^±400 no whole number fits Int (and the arithmetic below stays far from overflow).
            guard let e = digits(exponentText), e <= 400 else { return nil }
            exponent = negative ? -e : e
        } else {
            exponent = 0
        }
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = mantissa.first, mantissa.count <= 2 else { return nil }
        let fraction = mantissa.count == 2 ? mantissa[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), let significand = digits(whole + fraction, allowEmpty: true) else {
            return nil
        }
        let shift = exponent - fraction.count  // value = significand · 10^shift
        if shift >= 0 {
            guard let scale = power(10, shift) else { return significand == 0 ? 0 : nil }
            let (value, overflow) = significand.multipliedReportingOverflow(by: scale)
            return overflow ? nil : value
        }
        guard let scale = power(10, -shift) else { return significand == 0 ? 0 : nil }
        return significand % scale == 0 ? significand / scale : nil
    }

    /// A run of decimal digits as an Int, or nil (empty, other characters, overflow).
    private static func digits<S: StringProtocol>(_ text: S, allowEmpty: Bool = false) -> Int? {
        if text.isEmpty { return allowEmpty ? 0 : nil }
        var value = 0
        for character in text.utf8 {
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int(character - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = next
        }
        return value
    }

    /// base^exponent, or nil on overflow.
    private static func power(_ base: Int, _ exponent: Int) -> Int? {
        var result = 1
        for _ in 0..<exponent {
            let (next, overflow) = result.multipliedReportingOverflow(by: base)
            if overflow { return base <= 1 ? base : nil }
            result = next
            if result == 0 || result == 1 { break }
        }
        return result
    }
}
