import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@preconcurrency import Glibc
import OpsProtocol
import PortalOps
import SQLite
import Synchronization

/// The probes themselves, one per kind of check; each returns within its
/// check's timeout (work that cannot be interrupted, like a name lookup or a
/// hung file system, is waited for on a thread of its own and abandoned).
final class Probes: CheckProber, @unchecked Sendable {
    /// One session for every HTTP probe (a session per request leaks), no
    /// cache, no cookies, enough connections per host that 500 checks of
    /// one server do not queue behind each other.
    private let session: URLSession
    private let certificates = Locked<[String: (expires: Int64?, checkedAt: Int64)]>([:])
    private let quickChecks = Locked<[String: Int64]>([:])
    /// `checks.sqlite_quick_check`, refreshed by the prober with the check list.
    let quickCheckEvery = Atomic<Int64>(3_600_000)
    /// How long a certificate's expiry is trusted before `openssl` is asked again.
    static let certificateRefresh: Int64 = 3_600_000

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.httpMaximumConnectionsPerHost = 512
        session = URLSession(configuration: configuration)
    }

    func probe(_ check: Check, dueAt: Int64, now: Int64) -> ProbeResult {
        let started = ChildProcess.monotonicMilliseconds()
        var outcome: (ProbeStatus, String, Int64?)
        switch check.kind {
        case .http: outcome = http(check)
        case .tcp: outcome = tcp(check)
        case .dns: outcome = dns(check)
        case .sqlite: outcome = sqlite(check, now: now)
        case .disk: outcome = disk(check)
        case .command: outcome = command(check)
        case .heartbeat: outcome = (.unknown, "a heartbeat is pinged, not probed", nil)
        }
        let latency = ChildProcess.monotonicMilliseconds() - started
        if let limit = check.maxLatency, outcome.0 == .ok, latency > limit {
            outcome = (.critical, "answered in \(latency) ms, over --max-latency \(limit) ms", outcome.2)
        }
        return ProbeResult(check: check.key, dueAt: dueAt, at: now, status: outcome.0, latency: latency,
                           detail: String(outcome.1.prefix(300)), certExpiresAt: outcome.2)
    }

    // MARK: HTTP

    private func http(_ check: Check) -> (ProbeStatus, String, Int64?) {
        guard let url = URL(string: check.target) else { return (.unknown, "not a URL: \(check.target)", nil) }
        var request = URLRequest(url: url)
        request.timeoutInterval = Double(check.timeout) / 1000
        request.setValue("PortalOps-check/\(PortalOpsVersion.text)", forHTTPHeaderField: "User-Agent")
        let done = DispatchSemaphore(value: 0)
        let answer = Locked<(Int, Data?, String?)?>(nil)
        let task = session.dataTask(with: request) { data, response, error in
            let code = (response as? HTTPURLResponse)?.statusCode ?? 0
            answer.withLock { $0 = (code, data, error.map { "\($0.localizedDescription)" }) }
            done.signal()
        }
        task.resume()
        // The session's own timeout governs; this wait is the backstop.
        if done.wait(timeout: .now() + .milliseconds(Int(check.timeout) + 1_000)) == .timedOut {
            task.cancel()
            return (.critical, "no answer within \(check.timeout) ms", nil)
        }
        let certificate = url.scheme?.lowercased() == "https" ? expiry(of: url, timeout: check.timeout) : nil
        guard let (code, data, error) = answer.withLock({ $0 }) else { return (.unknown, "no answer", certificate) }
        if let error, code == 0 { return (.critical, error, certificate) }
        let accepted = StatusCodes(check.expectStatus ?? "200-399") ?? StatusCodes("200-399")
        guard accepted?.accepts(code) ?? false else {
            return (.critical, "HTTP \(code), expected \(check.expectStatus ?? "200-399")", certificate)
        }
        if let text = check.contains {
            let body = String(decoding: data ?? Data(), as: UTF8.self)
            guard body.contains(text) else {
                return (.critical, "HTTP \(code) but the page lacks '\(text)'", certificate)
            }
        }
        return (.ok, "HTTP \(code), \(data?.count ?? 0) bytes", certificate)
    }

    /// The certificate's notAfter, from `openssl s_client` piped into `openssl x509 -enddate`, cached for an hour.
    private func expiry(of url: URL, timeout: Int64) -> Int64? {
        guard let host = url.host else { return nil }
        let port = url.port ?? 443
        let key = "\(host):\(port)"
        let now = SystemClock().now()
        if let cached = certificates.withLock({ $0[key] }), now - cached.checkedAt < Self.certificateRefresh {
            return cached.expires
        }
        let line = "openssl s_client -connect \(Shell.quoted(key)) -servername \(Shell.quoted(host)) </dev/null "
            + "2>/dev/null | openssl x509 -noout -enddate"
        var expires: Int64?
        if let result = try? ChildProcess.shell(line, input: [], timeoutMilliseconds: max(timeout, 2_000)),
           result.status == 0 {
            expires = Self.parseNotAfter(String(decoding: result.stdout, as: UTF8.self))
        }
        certificates.withLock { $0[key] = (expires, now) }
        return expires
    }

    /// `notAfter=Dec  1 09:00:00 2026 GMT` → UTC milliseconds.
    static func parseNotAfter(_ text: String) -> Int64? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("notAfter=") }) else { return nil }
        let words = line.dropFirst("notAfter=".count).split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard words.count == 5, words[4] == "GMT", let month = months.firstIndex(of: String(words[0])),
              let day = Int(words[1]), let year = Int(words[3]) else { return nil }
        let clock = words[2].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var c = DateComponents()
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (year, month + 1, day, clock[0], clock[1], clock[2])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.date(from: c).map { Int64($0.timeIntervalSince1970 * 1000) }
    }

    // MARK: TCP, DNS

    private func tcp(_ check: Check) -> (ProbeStatus, String, Int64?) {
        guard let target = HostPort(check.target) else { return (.unknown, "not HOST:PORT: \(check.target)", nil) }
        guard let addresses = Self.bounded(check.timeout, { Self.resolve(target.host, port: target.port) }) else {
            return (.critical, "resolving \(target.host) took over \(check.timeout) ms", nil)
        }
        guard let address = addresses.first else { return (.critical, "cannot resolve \(target.host)", nil) }
        let fd = socket(Int32(address.family), Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return (.unknown, "socket: \(String(cString: strerror(errno)))", nil) }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var storage = address.storage
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, address.length) }
        }
        if rc != 0 && errno != EINPROGRESS {
            return (.critical, "connect \(check.target): \(String(cString: strerror(errno)))", nil)
        }
        var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&pfd, 1, Int32(check.timeout))
        guard ready > 0 else {
            return (.critical, "connect \(check.target): no answer within \(check.timeout) ms", nil)
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            return (.critical, "connect \(check.target): \(String(cString: strerror(error)))", nil)
        }
        return (.ok, "connected to \(check.target)", nil)
    }

    private func dns(_ check: Check) -> (ProbeStatus, String, Int64?) {
        guard let addresses = Self.bounded(check.timeout, { Self.resolve(check.target, port: 0) }) else {
            return (.critical, "resolving \(check.target) took over \(check.timeout) ms", nil)
        }
        let texts = Array(Set(addresses.map(\.text))).sorted()
        guard !texts.isEmpty else { return (.critical, "\(check.target) does not resolve", nil) }
        if let expected = check.expectAddress, !texts.contains(expected) {
            return (.critical, "\(check.target) resolves to \(texts.joined(separator: ", ")), not \(expected)", nil)
        }
        return (.ok, "\(check.target) → \(texts.joined(separator: ", "))", nil)
    }

    struct Address {
        let family: Int32
        let storage: sockaddr_storage
        let length: socklen_t
        let text: String
    }

    static func resolve(_ host: String, port: UInt16) -> [Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var out: [Address] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            var storage = sockaddr_storage()
            let length = entry.pointee.ai_addrlen
            memcpy(&storage, entry.pointee.ai_addr, Int(length))
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            getnameinfo(entry.pointee.ai_addr, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST)
            out.append(Address(family: entry.pointee.ai_family, storage: storage, length: length,
                               text: String(cString: buffer)))
            node = entry.pointee.ai_next
        }
        return out
    }

    /// Runs `body` on a thread of its own and waits up to `timeout`; nil when
    /// it did not finish (the thread is left to end by itself).
    static func bounded<T: Sendable>(_ timeout: Int64, _ body: @escaping @Sendable () -> T) -> T? {
        let box = Locked<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let value = body()
            box.withLock { $0 = value }
            done.signal()
        }
        thread.start()
        guard done.wait(timeout: .now() + .milliseconds(Int(timeout))) == .success else { return nil }
        return box.withLock { $0 }
    }

    // MARK: SQLite, disk, plugins

    private func sqlite(_ check: Check, now: Int64) -> (ProbeStatus, String, Int64?) {
        let every = quickCheckEvery.load(ordering: .relaxed)
        let due = quickChecks.withLock { last in
            guard now - (last[check.key] ?? Int64.min / 2) >= every else { return false }
            last[check.key] = now
            return true
        }
        let path = check.target
        let outcome: (ProbeStatus, String)? = Self.bounded(check.timeout) {
            do {
                let db = try Connection(path: path, mode: .readOnly,
                                        busyTimeoutMilliseconds: Int32(clamping: check.timeout))
                guard try db.queryRow("SELECT 1 AS one")?.int("one") == 1 else { return (.critical, "SELECT 1 failed") }
                guard due else { return (.ok, "SELECT 1 answered") }
                let report = try db.quickCheck()
                return report.isOK ? (.ok, "SELECT 1 and quick_check ok")
                    : (.critical, "quick_check: \(report.problems.first ?? "failed")")
            } catch {
                return (.critical, "\(path): \(error)")
            }
        }
        guard let outcome else { return (.critical, "\(path) did not answer within \(check.timeout) ms", nil) }
        return (outcome.0, outcome.1, nil)
    }

    private func disk(_ check: Check) -> (ProbeStatus, String, Int64?) {
        let path = check.target
        let free: Double?? = Self.bounded(check.timeout) {
            var s = statvfs()
            guard statvfs(path, &s) == 0, s.f_blocks > 0 else { return nil }
            return Double(s.f_bavail) / Double(s.f_blocks) * 100
        }
        guard let measured = free else { return (.critical, "statvfs \(path) took over \(check.timeout) ms", nil) }
        guard let percent = measured else { return (.critical, "cannot read free space of \(path)", nil) }
        let text = String(format: "%.1f%% free on %@", percent, path)
        return percent < Double(check.minFreePercent ?? 0)
            ? (.critical, text + ", below \(check.minFreePercent ?? 0)%", nil) : (.ok, text, nil)
    }

    private func command(_ check: Check) -> (ProbeStatus, String, Int64?) {
        do {
            let result = try ChildProcess.shell(check.target, input: [], timeoutMilliseconds: check.timeout)
            if result.timedOut { return (.critical, "plugin did not finish within \(check.timeout) ms", nil) }
            let output = String(decoding: result.stdout.isEmpty ? result.stderr : result.stdout, as: UTF8.self)
            let first = output.split(separator: "\n").first.map(String.init) ?? "(no output)"
            guard let status = result.status else { return (.unknown, "plugin killed by a signal: \(first)", nil) }
            return (ProbeStatus(pluginExit: status), first, nil)
        } catch {
            return (.unknown, "cannot run the plugin: \(error)", nil)
        }
    }
}
