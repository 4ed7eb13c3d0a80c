import OpsProtocol
import SQLite

/// One Prometheus metric family: its name, help and type, and its samples.
/// Capabilities return these from their `metrics` hook; `PrometheusText`
/// writes them for `opsctl metrics` and for `opsd --metrics-file`.
public struct MetricFamily: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    /// `portalops_…`; a counter's name ends in `_total` (OpenMetrics, and what promtool expects).
    public let name: String
    public let help: String
    public let kind: Kind
    public var samples: [MetricSample]

    public init(_ name: String, _ kind: Kind, _ help: String, samples: [MetricSample] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.samples = samples
    }

    /// A gauge with one sample and no labels.
    public static func gauge(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
        MetricFamily(name, .gauge, help, samples: [MetricSample(value)])
    }
}

/// One line of a family: labels and a value. `suffix` is empty except for a
/// histogram's `_bucket`, `_sum` and `_count` lines.
public struct MetricSample: Sendable, Equatable {
    public let suffix: String
    public let labels: [Label]
    public let value: Double

    public struct Label: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(_ value: Double, labels: [(String, String)] = [], suffix: String = "") {
        self.value = value
        self.labels = labels.map { Label($0.0, $0.1) }
        self.suffix = suffix
    }
}

/// What a capability's metrics hook gets: a read-only view of ops.db and now.
public struct MetricsContext {
    public let db: Connection
    /// UTC milliseconds, from the daemon's clock.
    public let now: Int64
    /// Whether security incidents and their pages are counted. `opsctl metrics`
    /// counts them for roles that see them; the metrics file, which the
    /// monitoring host reads, never does (it may only learn that "something" is open).
    public let includeSecurity: Bool

    public init(db: Connection, now: Int64, includeSecurity: Bool) {
        self.db = db
        self.now = now
        self.includeSecurity = includeSecurity
    }
}
