import Foundation
import OpsProtocol
import PortalOps

/// What only the running process knows, kept in memory since it started:
/// requests and refusals by command, and the writer's batches. Counters
/// restart at 0 with opsd, which Prometheus' `rate()` expects of a counter.
final class DaemonMetrics: Sendable {
    private struct State {
        var requests: [String: UInt64] = [:]
        var refusals: [RefusalKey: UInt64] = [:]
        var batchSizes = Histogram(bounds: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        var batchSeconds = Histogram(bounds: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
    }

    private struct RefusalKey: Hashable {
        let command: String
        let kind: String
    }

    private let state = Locked(State())
    /// Command names a label may carry: anything else (a stranger's made-up
    /// command) is counted as `unknown`, so no caller can grow the series without bound.
    private let known = Locked(Set<String>())

    init() {}

    /// The commands of the registry; set once by the writer that owns this.
    func know(_ commands: [String]) {
        known.withLock { $0 = Set(commands) }
    }

    private func label(_ command: String) -> String {
        known.withLock { $0.contains(command) } ? command : "unknown"
    }

    func request(_ command: String, error: OpsError?) {
        let name = label(command)
        state.withLock { state in
            state.requests[name, default: 0] += 1
            if let error { state.refusals[RefusalKey(command: name, kind: error.kind), default: 0] += 1 }
        }
    }

    /// A job that failed after it was admitted (its request was counted then).
    func refusal(_ command: String, error: OpsError) {
        let name = label(command)
        state.withLock { $0.refusals[RefusalKey(command: name, kind: error.kind), default: 0] += 1 }
    }

    func batch(size: Int, seconds: Double) {
        state.withLock { state in
            state.batchSizes.observe(Double(size))
            state.batchSeconds.observe(seconds)
        }
    }

    var families: [MetricFamily] {
        state.withLock { state in
            let requests = state.requests.keys.sorted().map {
                MetricSample(Double(state.requests[$0] ?? 0), labels: [("command", $0)])
            }
            let refusals = state.refusals.keys.sorted { ($0.command, $0.kind) < ($1.command, $1.kind) }.map {
                MetricSample(Double(state.refusals[$0] ?? 0), labels: [("command", $0.command), ("kind", $0.kind)])
            }
            return [
                MetricFamily("portalops_requests_total", .counter,
                             "Requests opsd answered since it started, by command (refusals included)",
                             samples: requests),
                MetricFamily("portalops_refusals_total", .counter,
                             "Requests refused since opsd started, by command and kind "
                             + "(permission, refused, usage, internal)", samples: refusals),
                MetricFamily("portalops_writer_batch_size", .histogram,
                             "Requests per writer transaction (group commit)", samples: state.batchSizes.samples),
                MetricFamily("portalops_writer_batch_seconds", .histogram,
                             "Time from the start of a writer transaction to its commit",
                             samples: state.batchSeconds.samples),
            ]
        }
    }
}
