import ArgumentParser

/// A value that an option can hold, as the report's `parameters` show it.
public protocol ParameterValue {
    /// The value in the report.
    var parameterValue: JSONValue { get }
}

extension Int: ParameterValue { public var parameterValue: JSONValue { .int(self) } }
extension Double: ParameterValue { public var parameterValue: JSONValue { .double(self) } }
extension Bool: ParameterValue { public var parameterValue: JSONValue { .bool(self) } }
extension String: ParameterValue { public var parameterValue: JSONValue { .string(self) } }
/// Exact as text: a JSON number is a double, which holds only 53 bits.
extension UInt64: ParameterValue { public var parameterValue: JSONValue { .string(String(self)) } }
extension Count: ParameterValue { public var parameterValue: JSONValue { .int(value) } }
extension Schedule: ParameterValue {}
/// An option left out: null (a program shows its default instead by overriding the value).
extension Optional: ParameterValue where Wrapped: ParameterValue {
    public var parameterValue: JSONValue { self?.parameterValue ?? .null }
}
/// A choice (`--method sieve`): its name.
extension ParameterValue where Self: RawRepresentable, RawValue == String {
    public var parameterValue: JSONValue { .string(rawValue) }
}

/// A declared `@Option` or `@Flag` whose value the report can show.
protocol DeclaredParameter {
    var declaredValue: JSONValue { get }
}

extension Option: DeclaredParameter where Value: ParameterValue {
    var declaredValue: JSONValue { wrappedValue.parameterValue }
}

extension Flag: DeclaredParameter where Value: ParameterValue {
    var declaredValue: JSONValue { wrappedValue.parameterValue }
}

extension SPMDProgram {
    /// The program's own options, in the order declared, as the report's `parameters`: each
    /// `@Option` and `@Flag` of the program itself (not those of its option groups, `--threads` and
    /// the rest), named by its property in snake case (`minSize` is `min_size`), with the value
    /// parsed. A program says `var parameters { declaredParameters }`, so that they cannot drift
    /// from its options.
    public var declaredParameters: [(String, JSONValue)] {
        Mirror(reflecting: self).children.compactMap { child in
            guard let label = child.label, label.hasPrefix("_"), let option = child.value as? any DeclaredParameter
            else { return nil }
            return (Self.snakeCase(label.dropFirst()), option.declaredValue)
        }
    }

    /// `declaredParameters` with the values of some replaced, where the report shows what an option
    /// resolved to (`chunk`: the default chunk when none is given): each key must be declared.
    public func declaredParameters(replacing values: [String: JSONValue]) -> [(String, JSONValue)] {
        let declared = declaredParameters
        for key in values.keys where !declared.contains(where: { $0.0 == key }) {
            preconditionFailure("\(Self.programName): parameter \(key) is not one of its options")
        }
        return declared.map { ($0.0, values[$0.0] ?? $0.1) }
    }

    /// `minSize` → `min_size`.
    static func snakeCase(_ name: Substring) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }
}
