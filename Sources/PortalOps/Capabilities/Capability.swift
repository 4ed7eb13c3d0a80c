import OpsProtocol
import SQLite

/// Everything one capability adds to the console, exported by its folder as
/// one value. The daemon, the catalog, the schema, the policy list, `status`,
/// the scheduler and `incident show` are all built from the list in
/// `Capabilities.all`, so a new capability is its folder and one line there.
public struct Capability: Sendable {
    /// What the capability is called in errors (`backups`, `incidents`).
    public let name: String
    /// Its tables: numbered migrations, unique across the console.
    public var migrations: [Migration]
    public var commands: [Command]
    /// What each of its nouns is about, for `opsctl --help`.
    public var nouns: [String: String]
    /// Its typed settings, changed with `opsctl policy set`.
    public var policies: [PolicyDefinition]
    /// Its part of `opsctl status`.
    public var status: (@Sendable (CommandContext) throws -> StatusSection)?
    /// Work that falls due with time, run by the scheduler once a second on
    /// the writer, in a transaction of its own.
    public var tick: (@Sendable (TickContext) throws -> Tick)?
    /// What it adds to `incident show` about records that cite the incident.
    public var incidentLinks: (@Sendable (CommandContext, Incident) throws -> StatusSection)?
    /// Work at daemon start, before anything is served, in a transaction:
    /// records left half-done by a stop. Returns lines for the log.
    public var recover: (@Sendable (RecoveryContext) throws -> [String])?
    /// Its Prometheus metric families, for `opsctl metrics` and `opsd --metrics-file`:
    /// read-only, and cheap enough to run every few seconds.
    public var metrics: (@Sendable (MetricsContext) throws -> [MetricFamily])?

    public init(_ name: String, migrations: [Migration] = [], commands: [Command] = [], nouns: [String: String] = [:],
                policies: [PolicyDefinition] = [],
                status: (@Sendable (CommandContext) throws -> StatusSection)? = nil,
                tick: (@Sendable (TickContext) throws -> Tick)? = nil,
                incidentLinks: (@Sendable (CommandContext, Incident) throws -> StatusSection)? = nil,
                recover: (@Sendable (RecoveryContext) throws -> [String])? = nil,
                metrics: (@Sendable (MetricsContext) throws -> [MetricFamily])? = nil) {
        self.name = name
        self.migrations = migrations
        self.commands = commands
        self.nouns = nouns
        self.policies = policies
        self.status = status
        self.tick = tick
        self.incidentLinks = incidentLinks
        self.recover = recover
        self.metrics = metrics
    }
}

/// What a scheduler tick gets: the writer's connection inside a transaction,
/// "now" from the clock, the zone.
public struct TickContext {
    public let db: Connection
    public let now: Int64
    public let time: LocalTime
    public let registry: Registry

    public init(db: Connection, now: Int64, time: LocalTime, registry: Registry) {
        self.db = db
        self.now = now
        self.time = time
        self.registry = registry
    }
}

/// What a tick did and what it asks the daemon to run.
public struct Tick: Sendable {
    /// Lines for the daemon's log, one per thing done.
    public var log: [String]
    /// Job commands to run as the daemon (scheduled backups and drills),
    /// each off the writer on a thread of its own.
    public var jobs: [ScheduledJob]

    public init(log: [String] = [], jobs: [ScheduledJob] = []) {
        self.log = log
        self.jobs = jobs
    }
}

/// A job command the scheduler runs as opsd, with what to do if it fails
/// (on the writer, in a transaction; returns lines for the log).
public struct ScheduledJob: Sendable {
    public let command: String
    public let arguments: [String: JSON]
    public let onFailure: @Sendable (OpsError, TickContext) throws -> [String]

    public init(command: String, arguments: [String: JSON],
                onFailure: @escaping @Sendable (OpsError, TickContext) throws -> [String]) {
        self.command = command
        self.arguments = arguments
        self.onFailure = onFailure
    }
}

/// What start-up recovery gets: the connection (in a transaction), the
/// clock's now, and the job environment (to remove a cut job's files).
public struct RecoveryContext {
    public let db: Connection
    public let now: Int64
    public let time: LocalTime
    public let environment: any JobEnvironment

    public init(db: Connection, now: Int64, time: LocalTime, environment: any JobEnvironment) {
        self.db = db
        self.now = now
        self.time = time
        self.environment = environment
    }
}
