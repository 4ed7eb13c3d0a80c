import OpsProtocol
import SQLite

/// What results do to a check: consecutive failures and successes, the
/// state after `fail-after`/`recover-after`, the automatic incident (one per
/// outage, through the Incidents API), maintenance windows, and the periods
/// availability is computed from. Runs on the writer, one batch at a time.
public enum CheckRules {
    /// Records a batch of results (in order); returns lines for the daemon's log.
    public static func record(_ results: [ProbeResult], db: Connection, now: Int64,
                              time: LocalTime) throws -> [String] {
        var log: [String] = []
        let store = CheckStore(db)
        let resolves = try PolicyStore(db).bool(.checksResolveOnRecovery)
        // Windows in progress, once per batch rather than once per result.
        var windows: [String: MaintenanceWindow?] = [:]
        for result in results {
            guard var check = try store.byKey(result.check), check.state != .paused else { continue }
            if windows[check.component] == nil {
                windows[check.component] = .some(try MaintenanceCoverage.inProgress(component: check.component, db: db))
            }
            let window = windows[check.component] ?? nil
            try store.addResult(check.id, result, maintenance: window != nil && result.status.isFailure)
            try store.switchPeriod(check.id, to: result.status.isFailure ? .down : .up, at: result.at)
            let previousDetail = try store.previousFailureDetail(check.id)
            check.lastAt = result.at
            check.lastStatus = result.status
            check.lastDetail = result.detail
            check.lastLatency = result.latency
            if let expiry = result.certExpiresAt {
                if expiry != check.certExpiresAt { check.certIncident = nil }
                check.certExpiresAt = expiry
            }
            if result.status.isFailure {
                check.successes = 0
                if let window {
                    // Known work: recorded, counted as maintenance, opens nothing.
                    if check.state != .maintenance && check.state != .down {
                        check.state = .maintenance
                        check.since = result.at
                        log.append("check \(check.key): failing during \(window.ref): \(result.detail)")
                    }
                    check.failures = 0
                } else {
                    if check.failures == 0 && check.state != .down { check.downSince = result.at }
                    check.failures += 1
                    if check.state != .down && check.failures >= check.failAfter {
                        check.state = .down
                        check.since = check.downSince ?? result.at
                        let incident = try openIncident(check, result, db: db, now: now, time: time)
                        check.incident = incident.ref
                        log.append("check \(check.key): down after \(check.failures) failures; opened \(incident.ref)")
                    } else if check.state == .down, let ref = check.incident, result.detail != previousDetail {
                        try Alerts.note(ref, "check \(check.key) still failing: \(result.detail)", db: db, now: now)
                    }
                }
            } else {
                check.failures = 0
                if check.state == .down {
                    check.successes += 1
                    if check.successes >= check.recoverAfter {
                        let downtime = result.at - (check.downSince ?? check.since)
                        check.state = .up
                        check.since = result.at
                        check.successes = 0
                        if let ref = check.incident {
                            let text = "check \(check.key) recovered after \(check.recoverAfter) successes; "
                                + "down for \(DurationText.elapsed(downtime))"
                            try Alerts.note(ref, text, db: db, now: now)
                            if resolves {
                                try Alerts.resolve(ref, cause: "detected by check \(check.key)",
                                                   resolution: "the check recovered after "
                                                    + DurationText.elapsed(downtime),
                                                   db: db, now: now)
                            }
                        }
                        check.incident = nil
                        check.downSince = nil
                        log.append("check \(check.key): recovered after \(DurationText.elapsed(downtime))")
                    }
                } else if check.state != .up {
                    check.state = .up
                    check.since = result.at
                    check.downSince = nil
                }
            }
            try store.saveState(check)
        }
        return log
    }

    /// The incident for a check that went down, said as a national-link failure when it is one.
    static func openIncident(_ check: Check, _ result: ProbeResult, db: Connection, now: Int64,
                             time: LocalTime) throws -> Incident {
        let national = check.component == Check.nationalLink
        let title = national
            ? "Link to the National Public Service Portal down: check \(check.key) failing"
            : "Check \(check.key) failing on \(check.component)"
        var detail = "\(check.failures) consecutive failures of \(check.kind.rawValue) check \(check.key) since "
            + "\(time.format(check.downSince ?? result.at)): \(result.detail)"
        if national {
            detail += "\nThe portal must stay connected to the National Public Service Portal (Quy chế Art. 3.4)."
        }
        return try Alerts.raise(title: title, detail: detail, severity: check.severity, components: [check.component],
                                alsoSupervisors: false, db: db, now: now, time: time)
    }
}
