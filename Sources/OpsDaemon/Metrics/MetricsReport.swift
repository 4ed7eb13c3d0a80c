import Foundation
import OpsProtocol
import PortalOps
import SQLite

/// Every metric family the console exposes: the process's own (version,
/// start time, requests, the writer) and each capability's, in list order.
/// One source for `opsctl metrics` and `opsd --metrics-file`, so both say the same.
struct MetricsReport {
    let registry: Registry
    let daemon: DaemonMetrics
    /// When opsd started, UTC milliseconds.
    let startedAt: Int64

    func families(db: Connection, now: Int64, includeSecurity: Bool) throws -> [MetricFamily] {
        var families: [MetricFamily] = [
            MetricFamily("portalops_build_info", .gauge, "Always 1; the version of opsd in its label",
                         samples: [MetricSample(1, labels: [("version", PortalOpsVersion.text)])]),
            .gauge("portalops_start_time_seconds", "When opsd started (Unix time)", Double(startedAt) / 1000),
        ]
        families += daemon.families
        let context = MetricsContext(db: db, now: now, includeSecurity: includeSecurity)
        for source in registry.metricSources {
            families += try source(context)
        }
        return families
    }

    /// The families as `--json` shows them: stable names, one object per sample.
    static func json(_ families: [MetricFamily]) -> JSON {
        .object(["families": .array(families.map { family in
            .object(["name": .string(family.name), "type": .string(family.kind.rawValue), "help": .string(family.help),
                     "samples": .array(family.samples.map { sample in
                         .object(["name": .string(family.name + sample.suffix),
                                  "labels": .object(Dictionary(sample.labels.map { ($0.name, JSON.string($0.value)) },
                                                               uniquingKeysWith: { first, _ in first })),
                                  "value": .string(PrometheusText.number(sample.value))])
                     })])
        })])
    }
}
