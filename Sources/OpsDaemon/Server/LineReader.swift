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
    }

    let fd: Int32
    let limit: Int
    private var buffer: [UInt8] = []
    private var scanned = 0
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32, limit: Int) {
        self.fd = fd
        self.limit = limit
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
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}
