@preconcurrency import Glibc

/// A failed system call: its name, errno and the text of errno. The only
/// place in the daemon that reads `errno`.
public struct SystemCallError: Error, CustomStringConvertible {
    public let call: String
    public let code: Int32
    public let context: String?

    public var description: String {
        let reason = String(cString: strerror(code))
        if let context { return "\(call)(\(context)) failed: \(reason)" }
        return "\(call) failed: \(reason)"
    }
}

enum SystemCall {
    /// Runs `body`, retrying on EINTR; a negative result becomes a typed error.
    @discardableResult
    static func check<T: BinaryInteger>(_ call: String, _ context: String? = nil, _ body: () -> T) throws -> T {
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
    static func attempt<T: BinaryInteger>(_ body: () -> T) -> (T, Int32) {
        while true {
            let result = body()
            if result >= 0 { return (result, 0) }
            let code = errno
            if code == EINTR { continue }
            return (result, code)
        }
    }
}
