import OpsProtocol

/// One thing opsd watches: a probe it runs itself (HTTP, TCP, DNS, a SQLite
/// target, free disk, a Nagios plugin) or a heartbeat something outside pings.
public struct Check: Sendable, Equatable {
    public enum Kind: String, CaseIterable, Sendable {
        case http, tcp, dns, sqlite, disk, command, heartbeat
    }

    /// What the console believes about the check, after fail-after/recover-after.
    public enum State: String, CaseIterable, Sendable {
        /// Added, not enough results yet to say.
        case pending
        case up, down
        /// Failing while a maintenance window covering its component is in progress.
        case maintenance
        case paused
    }

    public let id: Int64
    public var key: String
    public var component: String
    public var kind: Kind
    /// The URL, HOST:PORT, name, backup target, path or command line.
    public var target: String
    public var expectStatus: String?
    public var contains: String?
    public var maxLatency: Int64?
    public var expectAddress: String?
    public var minFreePercent: Int64?
    public var certWarn: Int64
    public var interval: Int64
    public var timeout: Int64
    public var failAfter: Int
    public var recoverAfter: Int
    public var severity: Incident.Severity
    /// Heartbeats: a ping is missing once `interval + grace` has passed.
    public var grace: Int64
    public var state: State
    public var failures: Int
    public var successes: Int
    public var since: Int64
    public var lastAt: Int64?
    public var lastStatus: ProbeStatus?
    public var lastDetail: String?
    public var lastLatency: Int64?
    public var downSince: Int64?
    public var incident: String?
    public var certExpiresAt: Int64?
    public var certIncident: String?
    public var createdAt: Int64

    /// The national-link component: its failure means the portal is cut from the
    /// National Public Service Portal (Quy chế Art. 3.4), and incidents say so.
    public static let nationalLink = "national-link"

    public func json(time: LocalTime) -> JSON {
        func t(_ v: Int64?) -> JSON { v.map { .string(time.iso8601($0)) } ?? .null }
        return ["key": .string(key), "component": .string(component), "kind": .string(kind.rawValue),
                "target": .string(kind == .command ? Redaction.redact(target) : target),
                "state": .string(state.rawValue), "since": t(since),
                "interval_seconds": .int(interval / 1000), "timeout_seconds": .int(timeout / 1000),
                "fail_after": .int(Int64(failAfter)), "recover_after": .int(Int64(recoverAfter)),
                "severity": .string(severity.rawValue), "grace_seconds": .int(grace / 1000),
                "last_at": t(lastAt), "last_status": JSON(lastStatus?.rawValue), "last_detail": JSON(lastDetail),
                "last_latency_ms": lastLatency.map(JSON.int) ?? .null, "consecutive_failures": .int(Int64(failures)),
                "incident": JSON(incident), "certificate_expires_at": t(certExpiresAt)]
    }
}

/// A probe's verdict, in the Nagios plugin convention (exit 0–3).
public enum ProbeStatus: String, CaseIterable, Sendable {
    case ok, warning, critical, unknown

    /// Exit code of a Nagios-compatible plugin → status; anything else is unknown.
    public init(pluginExit code: Int32) {
        switch code {
        case 0: self = .ok
        case 1: self = .warning
        case 2: self = .critical
        default: self = .unknown
        }
    }

    /// A warning still counts as up (the portal answers); the rest are failures.
    public var isFailure: Bool { self == .critical || self == .unknown }
}

/// One probe's outcome, made off the writer and recorded through it.
public struct ProbeResult: Sendable, Equatable {
    public let check: String
    /// When the probe was due and when it started (scheduling lag is the difference).
    public let dueAt: Int64
    public let at: Int64
    public let status: ProbeStatus
    public let latency: Int64?
    public let detail: String
    /// HTTPS: the expiry of the certificate presented.
    public let certExpiresAt: Int64?

    public init(check: String, dueAt: Int64, at: Int64, status: ProbeStatus, latency: Int64?, detail: String,
                certExpiresAt: Int64? = nil) {
        self.check = check
        self.dueAt = dueAt
        self.at = at
        self.status = status
        self.latency = latency
        self.detail = detail
        self.certExpiresAt = certExpiresAt
    }
}

/// Runs one probe. The daemon provides it (HTTP needs FoundationNetworking,
/// commands need its child processes); the domain only asks.
public protocol CheckProber: Sendable {
    func probe(_ check: Check, dueAt: Int64, now: Int64) -> ProbeResult
}

extension Check {
    /// A length of time as people write it: `30s`, `15m`, `1h`.
    static func span(_ milliseconds: Int64) -> String { "\(DurationText.milliseconds(milliseconds))" }
}
