import OpsProtocol
import Foundation
import Synchronization
@preconcurrency import Glibc

/// Runs a command in a process group of its own, feeds it standard input,
/// collects its output, and on timeout kills the whole group: a `sh -c`
/// grandchild would otherwise keep the pipes open after its parent died.
enum ChildProcess {
    struct Result {
        /// The exit status, or nil when it was killed by a signal.
        let status: Int32?
        let signal: Int32?
        let stdout: [UInt8]
        let stderr: [UInt8]
        let timedOut: Bool
        /// Killed by `terminateAll`, at opsd's shutdown.
        let stoppedByShutdown: Bool

        var stderrText: String { String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// At most this much of each output stream is kept.
    static let outputLimit = 64 * 1024

    /// Runs `/bin/sh -c command`.
    static func shell(_ command: String, input: [UInt8], timeoutMilliseconds: Int64) throws -> Result {
        try run(["/bin/sh", "-c", command], input: input, timeoutMilliseconds: timeoutMilliseconds)
    }

    static func run(_ argv: [String], input: [UInt8], timeoutMilliseconds: Int64) throws -> Result {
        // pipe2(O_CLOEXEC) is not imported without _GNU_SOURCE; pipe + FD_CLOEXEC
        // under one lock with the spawn keeps another child from inheriting
        // these pipes (it would hold this child's stdin open).
        let (pid, stdinPipe, stdoutPipe, stderrPipe) = try spawnLock.withLock { _ in try spawn(argv) }
        live.withLock { _ = $0.insert(pid) }
        ChildGroups.started(pid)
        defer {
            live.withLock { _ = $0.remove(pid) }   // collect has reaped it
            ChildGroups.ended(pid)
        }
        return try collect(pid: pid, stdin: stdinPipe, stdout: stdoutPipe, stderr: stderrPipe, input: input,
                           timeoutMilliseconds: timeoutMilliseconds)
    }

    private static let spawnLock = Locked<Void>(())
    /// The process groups of the commands running now.
    private static let live = Locked<Set<pid_t>>([])
    private static let stoppingAll = Atomic<Bool>(false)

    /// At shutdown, so that no dump or restore goes on writing after opsd
    /// has gone: SIGTERM to every running command's group, SIGKILL to what
    /// is left after 2 s. Returns how many were running.
    @discardableResult
    static func terminateAll() -> Int {
        stoppingAll.store(true, ordering: .releasing)
        let groups = live.withLock { $0 }
        for pid in groups { kill(-pid, SIGTERM) }
        let deadline = monotonicMilliseconds() + 2_000
        while !live.withLock({ $0.isEmpty }) && monotonicMilliseconds() < deadline { usleep(10_000) }
        for pid in live.withLock({ $0 }) { kill(-pid, SIGKILL) }
        return groups.count
    }

    private static func spawn(_ argv: [String]) throws -> (pid_t, [Int32], [Int32], [Int32]) {
        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        for index in 0..<3 {
            let rc = index == 0 ? pipe(&stdinPipe) : index == 1 ? pipe(&stdoutPipe) : pipe(&stderrPipe)
            if rc != 0 { throw SystemCallError.last("pipe") }
        }
        for fd in stdinPipe + stdoutPipe + stderrPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group (so the timeout can kill it whole), default
        // signal handling (opsd ignores SIGPIPE; its children should not),
        // nothing blocked.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        guard rc == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0]); close(stderrPipe[0])
            throw SystemCallError(call: "posix_spawn", code: rc, context: argv[0])
        }
        return (pid, stdinPipe, stdoutPipe, stderrPipe)
    }

    private static func collect(pid: pid_t, stdin stdinPipe: [Int32], stdout stdoutPipe: [Int32], stderr stderrPipe: [Int32],
                                input: [UInt8], timeoutMilliseconds: Int64) throws -> Result {
        _ = fcntl(stdinPipe[1], F_SETFL, fcntl(stdinPipe[1], F_GETFL) | O_NONBLOCK)

        let deadline = monotonicMilliseconds() + timeoutMilliseconds
        var out: [UInt8] = [], err: [UInt8] = []
        var written = 0
        var stdinOpen = true, stdoutOpen = true, stderrOpen = true
        if input.isEmpty { close(stdinPipe[1]); stdinOpen = false }
        var timedOut = false
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while stdoutOpen || stderrOpen || stdinOpen {
            let remaining = deadline - monotonicMilliseconds()
            if remaining <= 0 { timedOut = true; break }
            var fds: [pollfd] = []
            if stdinOpen { fds.append(pollfd(fd: stdinPipe[1], events: Int16(POLLOUT), revents: 0)) }
            if stdoutOpen { fds.append(pollfd(fd: stdoutPipe[0], events: Int16(POLLIN), revents: 0)) }
            if stderrOpen { fds.append(pollfd(fd: stderrPipe[0], events: Int16(POLLIN), revents: 0)) }
            let (ready, _) = SystemCall.attempt { poll(&fds, nfds_t(fds.count), Int32(min(remaining, 1_000))) }
            if ready < 0 { break }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinPipe[1] {
                    let (n, code) = SystemCall.attempt {
                        input.withUnsafeBytes { write(entry.fd, $0.baseAddress! + written, $0.count - written) }
                    }
                    if n > 0 { written += n }
                    if n < 0 && code != EAGAIN || written == input.count {
                        close(stdinPipe[1]); stdinOpen = false   // done, or the child stopped reading (EPIPE)
                    }
                } else {
                    let (n, code) = SystemCall.attempt {
                        chunk.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                    }
                    if n > 0 {
                        if entry.fd == stdoutPipe[0] { if out.count < outputLimit { out += chunk[0..<n] } }
                        else if err.count < outputLimit { err += chunk[0..<n] }
                    } else if n == 0 || code != EAGAIN {
                        if entry.fd == stdoutPipe[0] { stdoutOpen = false } else { stderrOpen = false }
                    }
                }
            }
        }
        if stdinOpen { close(stdinPipe[1]) }
        close(stdoutPipe[0]); close(stderrPipe[0])

        var status: Int32 = 0
        while !timedOut {
            let (result, _) = SystemCall.attempt { waitpid(pid, &status, WNOHANG) }
            if result == pid { return Self.result(status, out, err, timedOut: false) }
            if result < 0 { break }
            if monotonicMilliseconds() >= deadline { timedOut = true; break }
            usleep(2_000)
        }
        // Timed out: the whole group, politely, then firmly.
        kill(-pid, SIGTERM)
        let grace = monotonicMilliseconds() + 2_000
        while waitpid(pid, &status, WNOHANG) == 0 {
            if monotonicMilliseconds() >= grace {
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)   // grandchildren that outlived their parent
        return Self.result(status, out, err, timedOut: true)
    }

    private static func result(_ status: Int32, _ out: [UInt8], _ err: [UInt8], timedOut: Bool) -> Result {
        let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Result(status: signalled ? nil : (status >> 8) & 0xff, signal: signalled ? status & 0x7f : nil,
                      stdout: out, stderr: err, timedOut: timedOut,
                      stoppedByShutdown: signalled && stoppingAll.load(ordering: .acquiring))
    }

    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
