import OpsProtocol
@preconcurrency import Glibc

/// Reads newline-terminated messages from a socket, refusing any longer
/// than a limit without holding more than the limit in memory.
struct LineReader {
    enum Outcome {
        case line([UInt8])
        case tooLong
        case closed
        case idle
        case failed(SystemCallError)
        /// Taking more would pass the daemon's budget for request data held
        /// across all connections.
        case overBudget
    }

    let fd: Int32
    let limit: Int
    private var buffer: [UInt8] = []
    private var scanned = 0
    /// What one read takes. Every open connection keeps its own for as long as it lives, so it starts
    /// small: at 64 KiB each, the soak's 500 connections held 32 of the 38 MiB malloc had in use,
    /// scattered through its arenas among short-lived blocks.
    /// A client that fills it is sending a large request; it doubles for that client, up to `largestChunk`.
    private var chunk = [UInt8](repeating: 0, count: LineReader.firstChunk)
    static let firstChunk = 4 * 1024
    static let largestChunk = 64 * 1024
    /// Shared by every connection; `held` is this reader's part of it.
    private let budget: RequestBudget?
    private var held = 0

    init(fd: Int32, limit: Int, budget: RequestBudget? = nil) {
        self.fd = fd
        self.limit = limit
        self.budget = budget
        if limit < chunk.count { chunk = [UInt8](repeating: 0, count: max(limit + 1, 1)) }
    }

    /// Gives this reader's bytes back to the budget (when the connection ends).
    mutating func release() {
        budget?.give(held)
        held = 0
    }

    /// Returns to the budget what the buffer no longer holds, and lets a large request's buffer go once
    /// it is answered rather than keep it for the connection's life.
    private mutating func settle() {
        if held > buffer.count {
            budget?.give(held - buffer.count)
            held = buffer.count
        }
        if buffer.isEmpty, buffer.capacity > Self.largestChunk { buffer = [] }
    }

    /// Complete lines already received after the one `next` returned, up to
    /// `limit` of them: a client that pipelines requests gets them run in
    /// one batch. Reads nothing more from the socket.
    mutating func buffered(limit: Int) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        while lines.count < limit, let newline = buffer.firstIndex(of: 0x0A) {
            let line = Array(buffer[..<newline])
            if line.count > self.limit { break }
            buffer.removeSubrange(...newline)
            settle()
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { lines.append(line) }
        }
        scanned = 0
        return lines
    }

    mutating func next() -> Outcome {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                settle()
                scanned = 0
                return line.count > limit ? .tooLong : .line(line)
            }
            scanned = buffer.count
            if buffer.count > limit { return .tooLong }
            let (count, code) = SystemCall.attempt {
                chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            }
            if count < 0 {
                if code == EAGAIN || code == EWOULDBLOCK { return .idle }
                if code == ECONNRESET { return .closed }
                return .failed(SystemCallError(call: "read", code: code, context: nil))
            }
            if count == 0 { return .closed }
            if let budget {
                guard budget.take(count) else { return .overBudget }
                held += count
            }
            buffer.append(contentsOf: chunk[0..<count])
            if count == chunk.count, chunk.count < min(Self.largestChunk, limit + 1) {
                chunk = [UInt8](repeating: 0, count: min(2 * chunk.count, Self.largestChunk, limit + 1))
            }
        }
    }
}
