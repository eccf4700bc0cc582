/// What one run computed, as rank 0 reports it.
public struct Outcome: Sendable {
    /// The answer, as it goes into the JSON report's `result`.
    public var result: JSONValue
    /// The known exact answer, if any; the report's `error` is |result − exact|.
    public var exact: Double?
    /// What the exact answer is, for the text report ("π", "closed form").
    public var exactName: String?
    /// How the text report shows the result, when not as its JSON text.
    public var display: String?
    /// Named values beside the result (counts, a checksum, a file written): the JSON report's
    /// `details` object and one text line.
    public var details: [(String, JSONValue)]
    /// Extra lines of the text report (a table), printed after the summary.
    public var lines: [String]

    public init(result: JSONValue, exact: Double? = nil, exactName: String? = nil, display: String? = nil,
                details: [(String, JSONValue)] = [], lines: [String] = []) {
        self.result = result
        self.exact = exact
        self.exactName = exactName
        self.display = display
        self.details = details
        self.lines = lines
    }

    /// |result − exact|, when both are numbers.
    public var error: Double? {
        guard let exact, let value = result.number else { return nil }
        return abs(value - exact)
    }
}

/// Bad input found after parsing (a missing file, a rank count the program cannot use):
/// the program exits 2 with this message, printed once. Thrown from `prepare` (or `startJob`).
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Something found wrong while the program ran (a mismatch in a verified result, a file that could
/// not be written or read back, a failed self-check): the job ends with exit 1 and
/// `rank R: <message>`. The one error type for runtime failures of the harness and the programs;
/// bad input is a `UsageError`.
public struct RunError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
