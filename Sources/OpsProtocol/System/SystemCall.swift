import Foundation
@preconcurrency import Glibc

/// A failed system call: its name, errno and the text of errno. The only
/// place in the console that reads `errno`.
public struct SystemCallError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public let context: String?

    public init(call: String, code: Int32, context: String?) {
        self.call = call
        self.code = code
        self.context = context
    }

    /// The error of the call that just failed (reads `errno`).
    public static func last(_ call: String, _ context: String? = nil) -> SystemCallError {
        SystemCallError(call: call, code: errno, context: context)
    }

    /// The reason alone, e.g. "No such file or directory".
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        let reason = String(cString: strerror(code))
        if let context { return "\(call)(\(context)) failed: \(reason)" }
        return "\(call) failed: \(reason)"
    }
}

public enum SystemCall {
    /// Runs `body`, retrying on EINTR; a negative result becomes a typed error.
    @discardableResult
    public static func check<T: BinaryInteger>(_ call: String, _ context: String? = nil, _ body: () -> T) throws -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(call: call, code: code, context: context)
        }
    }

    /// Like `check` but returns the errno instead of throwing for the codes
    /// the caller expects (EAGAIN on a timed-out read, ECONNREFUSED…).
    public static func attempt<T: BinaryInteger>(_ body: () -> T) -> (T, Int32) {
        while true {
            let result = body()
            if result >= 0 { return (result, 0) }
            let code = errno
            if code == EINTR { continue }
            return (result, code)
        }
    }
}
