import Foundation

/// What an argument's value is on the command line (its `kind`, which both
/// sides validate) and what a handler reads back (`Value`). Decoding runs
/// only on text that validation has already accepted.
public struct ArgumentType<Value: Sendable>: Sendable {
    public let kind: ArgumentKind
    let decode: @Sendable (String, LocalTime) throws -> Value

    public init(kind: ArgumentKind, decode: @escaping @Sendable (String, LocalTime) throws -> Value) {
        self.kind = kind
        self.decode = decode
    }
}

extension ArgumentType where Value == String {
    /// Free text, NFC-normalised.
    public static var text: Self { Self(kind: .text) { text, _ in text } }
    /// Free text that may span lines: details, reviews, handover notes.
    public static var multilineText: Self { Self(kind: .multilineText) { text, _ in text } }
    /// A record key (`portal-db`, `lan.nguyen`).
    public static var key: Self { Self(kind: .key) { text, _ in text } }
    public static var email: Self { Self(kind: .email) { text, _ in text } }
    /// A file opsctl read on the caller's side: the value is its text.
    public static var file: Self { Self(kind: .file) { text, _ in text } }
    /// A path opsctl writes the output to; the daemon never sees it.
    public static var outputFile: Self { Self(kind: .outputFile) { text, _ in text } }
}

extension ArgumentType where Value == [UInt8] {
    /// A binary file opsctl read on the caller's side (a signed PDF): the value is its bytes.
    public static var binaryFile: Self {
        Self(kind: .binaryFile) { text, _ in
            guard let data = Data(base64Encoded: text) else {
                throw OpsError.usage("the file did not arrive as base64")
            }
            return [UInt8](data)
        }
    }
}

extension ArgumentType where Value == Int64 {
    public static func integer(_ range: ClosedRange<Int64>) -> Self {
        Self(kind: .integer(range)) { text, _ in
            guard let number = Int64(text) else { throw OpsError.usage("'\(text)' is not a whole number") }
            return number
        }
    }
}

extension ArgumentType where Value == Instant {
    /// A moment: `2026-12-12 22:00` in the configured zone, or ISO 8601 with an offset.
    public static var time: Self { Self(kind: .time) { text, time in Instant(milliseconds: try time.parseTime(text)) } }
    /// A day, read as the start of that day in the configured zone.
    public static var date: Self { Self(kind: .date) { text, time in Instant(milliseconds: try time.parseDate(text)) } }
}

extension ArgumentType where Value == DurationText {
    /// `90s`, `15m`, `2h`, `3d` or `5wd`.
    public static var duration: Self { Self(kind: .duration) { text, _ in try DurationText.parse(text) } }
}

extension ArgumentType where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enum's raw values; read back as the enum case.
    public static func choice(_ type: Value.Type) -> Self {
        Self(kind: .choice(Value.allCases.map(\.rawValue))) { text, _ in
            guard let value = Value(rawValue: text) else {
                throw OpsError.usage("'\(text)' is not one of \(Value.allCases.map(\.rawValue))")
            }
            return value
        }
    }
}

/// A moment as UTC milliseconds, typed so a time argument cannot be mixed up
/// with a count or a duration.
public struct Instant: Sendable, Hashable, Comparable {
    public let milliseconds: Int64
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
