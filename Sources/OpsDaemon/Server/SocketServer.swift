import OpsProtocol
import Foundation
@preconcurrency import Glibc
import PortalOps
import Synchronization
import CSystem

/// Accepts `opsctl` connections on the Unix socket and serves each on a
/// thread of its own with a receive timeout. Threads, not a Dispatch pool:
/// blocking reads on the pool starve it (60 idle clients stopped new ones),
/// while a thread per connection served 500 idle clients.
final class SocketServer: @unchecked Sendable {
    let path: String
    private let listener: Int32
    private let admission: Admission
    private let writer: Writer
    private let reads: Reads
    private let jobs: JobRunner
    private let log: Log
    /// How long an idle connection is kept (`server.idle_timeout`), set by the daemon.
    let idleTimeout = Locked<Int64>(300_000)
    private let active = Locked<Int>(0)
    private let inFlight = Locked<Int>(0)
    private let stopping = Atomic<Bool>(false)

    /// Beyond this many open connections a new one is answered with an error
    /// and closed, so a runaway script cannot exhaust the daemon's threads.
    static let maximumConnections = 1_000
    /// Connections one uid with an account may hold at once; the rest wait
    /// for theirs (a script cannot take every slot from the others).
    static let connectionsPerUID = 256
    /// Request data held across all connections at once (see `RequestBudget`).
    static let requestBudgetBytes = 64 << 20

    let strangers = StrangerGate()
    let budget = RequestBudget(limit: SocketServer.requestBudgetBytes)
    private let perUID = Locked<[UInt32: Int]>([:])
    private let clock: any Clock

    init(path: String, mode: mode_t, group: gid_t?, admission: Admission, writer: Writer, reads: Reads,
         jobs: JobRunner, clock: any Clock, log: Log) throws {
        self.path = path
        self.clock = clock
        self.admission = admission
        self.writer = writer
        self.reads = reads
        self.jobs = jobs
        self.log = log
        self.listener = try UnixSocket.listen(path, mode: mode, group: group)
    }

    func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "opsd-accept"
        thread.start()
    }

    private func acceptLoop() {
        while !stopping.load(ordering: .acquiring) {
            let (fd, code) = SystemCall.attempt { csystem_accept_cloexec(listener) }
            if fd < 0 {
                if stopping.load(ordering: .acquiring) { return }
                if code == EMFILE || code == ENFILE {
                    log.event("accept: out of file descriptors; pausing 100 ms")
                    usleep(100_000)
                }
                continue
            }
            let count = active.withLock { $0 += 1; return $0 }
            if count > Self.maximumConnections {
                let reply = Response(error: .refused("opsd has \(Self.maximumConnections) connections open; "
                                                     + "try again shortly"))
                try? UnixSocket.sendAll(fd, Array((reply.json.serialized() + "\n").utf8))
                close(fd)
                active.withLock { $0 -= 1 }
                continue
            }
            let thread = Thread { [self] in serve(fd) }
            thread.stackSize = 512 * 1024
            thread.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer {
            close(fd)
            active.withLock { $0 -= 1 }
        }
        let peer: PeerCredentials
        do {
            peer = try PeerCredentials.of(socket: fd)
        } catch {
            log.event("connection without credentials refused: \(error)")
            return
        }
        let caller = (try? admission.caller(peer)) ?? Caller(uid: peer.uid, pid: peer.pid, user: nil)
        let cap = caller.user == nil ? StrangerGate.connectionsPerUID : Self.connectionsPerUID
        let held = perUID.withLock { counts in
            counts[peer.uid, default: 0] += 1
            return counts[peer.uid, default: 0]
        }
        defer {
            perUID.withLock { counts in
                let left = (counts[peer.uid] ?? 1) - 1
                counts[peer.uid] = left > 0 ? left : nil
            }
        }
        if held > cap {
            let error = OpsError.refused("uid \(peer.uid) already has \(cap) connections open to opsd; "
                                         + "close one and try again")
            // A stranger's refusals are recorded once a minute and counted; an
            // account's are each recorded (it is someone the province knows).
            let record = caller.user != nil || strangers.shouldRecord(uid: peer.uid, now: clock.now())
            finish(fd, record ? writer.refuse(error, caller: caller) : Response(error: error))
            return
        }
        if caller.user == nil {
            refuseStranger(fd, caller)
            return
        }
        UnixSocket.setReceiveTimeout(fd, milliseconds: idleTimeout.withLock { $0 })
        var reader = LineReader(fd: fd, limit: Request.maximumBytes, budget: budget)
        defer { reader.release() }
        while !stopping.load(ordering: .acquiring) {
            switch reader.next() {
            case .line(let line):
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                let lines = [line] + reader.buffered(limit: Writer.maximumBatch - 1)
                inFlight.withLock { $0 += 1 }
                let outcomes = reads.submit(lines.map { admission.admit($0, peer: peer) })
                var sent = true
                for outcome in outcomes where sent {
                    let answer: Response
                    switch outcome {
                    case .answered(let response):
                        answer = response
                    case .job(let job):
                        // Progress lines go out as the job runs; the client shows them.
                        answer = jobs.run(job) { line in
                            let progress = JSON.object(["progress": .string(line)]).serialized() + "\n"
                            _ = try? UnixSocket.sendAll(fd, Array(progress.utf8))
                        }
                    }
                    sent = (try? UnixSocket.sendAll(fd, Array((answer.json.serialized() + "\n").utf8))) != nil
                }
                inFlight.withLock { $0 -= 1 }
                if !sent { return }
            case .tooLong:
                let limit = Request.maximumBytes / 1024 / 1024
                let response = writer.refuse(.usage("request is larger than \(limit) MiB; nothing was done"),
                                             caller: caller)
                try? UnixSocket.sendAll(fd, Array((response.json.serialized() + "\n").utf8))
                return
            case .overBudget:
                let busy = OpsError.refused("opsd holds too much request data from other connections right now; "
                                            + "nothing was done, try again shortly")
                let response = writer.refuse(busy, caller: caller)
                try? UnixSocket.sendAll(fd, Array((response.json.serialized() + "\n").utf8))
                return
            case .idle, .closed:
                return
            case .failed(let error):
                log.event("connection from uid \(peer.uid): \(error)")
                return
            }
        }
    }

    /// A uid without an enabled account: one short line is read (so the
    /// refusal names the command), the refusal is recorded (or counted, see
    /// `StrangerGate`), answered, and the connection closed.
    private func refuseStranger(_ fd: Int32, _ caller: Caller) {
        UnixSocket.setReceiveTimeout(fd, milliseconds: 2_000)
        var reader = LineReader(fd: fd, limit: StrangerGate.lineLimit, budget: budget)
        defer { reader.release() }
        var command = "-"
        var arguments: [String: JSON] = [:]
        if case .line(let line) = reader.next(), let request = try? Request(json: JSON.parse(line)) {
            command = request.command
            arguments = request.arguments
        }
        let error = OpsError.permission("uid \(caller.uid) has no enabled account; an admin can add one with "
                                        + "'opsctl user add NAME --uid \(caller.uid) --role ROLE'")
        let reply: Response
        if strangers.shouldRecord(uid: caller.uid, now: clock.now()) {
            reply = writer.refuse(error, caller: caller, command: command, arguments: arguments)
        } else {
            reply = Response(error: error)
        }
        finish(fd, reply)
    }

    /// Sends a last answer and closes gently: the peer may still be sending,
    /// and closing with unread data would reset the connection before it reads.
    private func finish(_ fd: Int32, _ reply: Response) {
        try? UnixSocket.sendAll(fd, Array((reply.json.serialized() + "\n").utf8))
        shutdown(fd, Int32(SHUT_WR))
        UnixSocket.setReceiveTimeout(fd, milliseconds: 200)
        var scratch = [UInt8](repeating: 0, count: 4_096)
        var drained = 0
        while drained < 1 << 20 {
            let count = scratch.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            drained += count
        }
    }

    /// Stops accepting, waits (up to `timeout`) for requests already read to
    /// be answered, and removes the socket file. Returns how many were still
    /// running when the wait ended (long jobs).
    @discardableResult
    func stop(timeoutMilliseconds: Int = 10_000) -> Int {
        stopping.store(true, ordering: .releasing)
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        let running = waitIdle(timeoutMilliseconds: timeoutMilliseconds)
        unlink(path)
        return running
    }

    /// Waits (up to `timeout`) for the requests in flight to be answered;
    /// returns how many are still running.
    func waitIdle(timeoutMilliseconds: Int) -> Int {
        var waited = 0
        while inFlight.withLock({ $0 }) > 0 && waited < timeoutMilliseconds {
            usleep(10_000)
            waited += 10
        }
        return inFlight.withLock { $0 }
    }
}
