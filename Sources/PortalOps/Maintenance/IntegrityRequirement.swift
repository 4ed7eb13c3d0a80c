import OpsProtocol
import SQLite

/// Integrity gates are not optional (issue 14, Quy chế Art. 14.3): an upgrade or a version update names the
/// portal's database as a target, so `prepare` and `complete` prove it intact, or it is planned with
/// `--no-data-change --reason`, which is recorded instead. Plain maintenance is not held to this.
enum IntegrityRequirement {
    static func applies(to kind: MaintenanceWindow.Kind) -> Bool { kind != .maintenance }

    /// The plan's arguments, before anything is written.
    static func checkPlan(kind: MaintenanceWindow.Kind, targets: [String], noDataChange: Bool, reason: String?,
                          emergency: Bool) throws {
        guard applies(to: kind) else {
            if noDataChange { throw OpsError.usage("--no-data-change is for upgrades and version updates") }
            return
        }
        if noDataChange {
            guard targets.isEmpty else {
                throw OpsError.usage("--no-data-change contradicts --target: drop one of them")
            }
            guard !emergency else {
                throw OpsError.usage("an emergency's --reason is printed in the notice: name the database with "
                                     + "--target KEY instead of --no-data-change")
            }
            guard reason != nil else {
                throw OpsError.usage("--no-data-change needs --reason: why this \(kind.rawValue) changes no data "
                                     + "(kept in the record, not printed in the notice)")
            }
        } else if targets.isEmpty {
            throw OpsError.usage("a window of kind \(kind.rawValue) must name the portal's database with --target KEY "
                                 + "(see 'opsctl target list'), or be planned with --no-data-change --reason TEXT")
        }
    }

    /// Refuses to start or complete an upgrade that neither names a target nor declared no data change
    /// (windows planned before this rule). `verb`: "started" or "completed".
    static func checkDeclared(_ w: MaintenanceWindow, db: Connection, verb: String) throws {
        guard applies(to: w.kind), try UpgradeGates(db).targets(w.id).isEmpty,
              try GateRecords(db: db).noDataChange(w.id) == nil else { return }
        var message = "\(w.ref) is \(w.kind == .upgrade ? "an upgrade" : "a version update") with no target and "
            + "no --no-data-change on record: nothing would prove the database intact"
        message += verb == "started"
            ? "; add one with 'opsctl maintenance correct \(w.ref) --target KEY' and run "
                + "'opsctl maintenance prepare \(w.ref)'"
            : "; a supervisor may complete it without evidence with --accept-diff --reason TEXT (recorded)"
        throw OpsError.refused(message)
    }

    /// Every target needs its evidence from before: without it there is nothing to compare with.
    static func checkEvidenceBefore(_ w: MaintenanceWindow, db: Connection) throws {
        let gates = UpgradeGates(db)
        let before = try gates.before(w.id)
        let missing = try gates.targets(w.id).filter { before[$0] == nil }
        guard missing.isEmpty else {
            throw OpsError.refused("\(w.ref) has no evidence from before the work for "
                                   + "\(missing.joined(separator: ", ")): "
                                   + "its integrity after cannot be shown; a supervisor may complete it with "
                                   + "--accept-diff --reason TEXT (recorded)")
        }
    }
}
