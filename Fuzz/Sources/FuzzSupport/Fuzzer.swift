import CFuzzerDriver

/// What every target shares: starting libFuzzer, cutting one input into fields, and failing loudly.
public enum Fuzzer {
    /// Hands the process to libFuzzer with `body` as the function under test; called from `<Target>_main`.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, body)
    }

    /// The input's bytes (libFuzzer may pass a null pointer for the empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The input cut at each NUL into fields, each read as UTF-8 (invalid sequences become U+FFFD, as
    /// `CommandLine.arguments` and every text decoder of the console do). Missing fields are empty.
    public static func fields(_ bytes: [UInt8], count: Int) -> [String] {
        var parts = bytes.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        while parts.count < count { parts.append("") }
        return parts
    }

    /// A broken invariant: crash so libFuzzer keeps the input (a `precondition` is compiled out under -Ounchecked).
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String,
                               file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fatalError("invariant broken: \(message())", file: file, line: line) }
    }
}
