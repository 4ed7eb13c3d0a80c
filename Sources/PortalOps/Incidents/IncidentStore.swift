import OpsProtocol
import SQLite

/// The `incidents`, `incident_components`, `incident_events` and
/// `incident_notifications` tables.
public struct IncidentStore {
    let db: Connection

    public init(_ db: Connection) { self.db = db }

    static let migration = Migration(version: 11, name: "incidents", sql: """
        CREATE TABLE incidents(
            id INTEGER PRIMARY KEY,
            ref TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            severity TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
            state TEXT NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved', 'closed')),
            source TEXT NOT NULL,
            detail TEXT,
            security INTEGER NOT NULL DEFAULT 0,
            detected_at INTEGER NOT NULL,
            opened_at INTEGER NOT NULL,
            opened_by TEXT NOT NULL,
            acknowledged_at INTEGER,
            acknowledged_by TEXT,
            assignee TEXT,
            resolved_at INTEGER,
            cause TEXT,
            resolution TEXT,
            closed_at INTEGER,
            review TEXT,
            escalations INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX incidents_state ON incidents(state, severity);
        CREATE TABLE incident_components(
            incident INTEGER NOT NULL REFERENCES incidents(id),
            component TEXT NOT NULL REFERENCES components(key),
            PRIMARY KEY (incident, component)
        );
        CREATE TABLE incident_events(
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL REFERENCES incidents(id),
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            public INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX incident_events_incident ON incident_events(incident, id);
        CREATE TABLE incident_notifications(
            id INTEGER PRIMARY KEY,
            incident INTEGER NOT NULL REFERENCES incidents(id),
            form TEXT NOT NULL CHECK (form IN ('initial', 'closing')),
            sent_to TEXT NOT NULL,
            reference TEXT NOT NULL,
            at INTEGER NOT NULL,
            recorded_by TEXT NOT NULL
        );
        """)

    /// The highest severity an incident ever had (issue 13). Incidents from before are given theirs
    /// from the timeline: a severity change is written "sevA → sevB: reason".
    static let peakMigration = Migration(version: 39, name: "incidents: peak severity", sql: """
        ALTER TABLE incidents ADD COLUMN peak_severity TEXT
            CHECK (peak_severity IN ('sev1', 'sev2', 'sev3', 'sev4'));
        UPDATE incidents SET peak_severity = severity;
        UPDATE incidents SET peak_severity = (
            SELECT MIN(substr(e.text, 1, 4)) FROM incident_events e
            WHERE e.incident = incidents.id AND e.kind = 'severity' AND substr(e.text, 1, 3) = 'sev')
        WHERE EXISTS (SELECT 1 FROM incident_events e WHERE e.incident = incidents.id AND e.kind = 'severity'
                      AND substr(e.text, 1, 3) = 'sev' AND substr(e.text, 1, 4) < incidents.peak_severity);
        """)

    /// When an incident was made public (issue 15 item 5); NULL while it is not.
    static let publishedMigration = Migration(version: 48, name: "incidents: published", sql: """
        ALTER TABLE incidents ADD COLUMN published_at INTEGER;
        """)

    /// Security incidents are read on every `status`, `incident show` and metrics scrape (the security
    /// compartment, reports due); without these indexes that read every incident and every notification.
    static let securityIndexMigration = Migration(version: 50, name: "incidents: security incidents indexed",
                                                  sql: """
        CREATE INDEX incidents_security ON incidents(id) WHERE security = 1;
        CREATE INDEX incident_notifications_incident ON incident_notifications(incident, form);
        """)

    public func insert(_ i: Incident) throws -> Incident {
        try db.run("""
            INSERT INTO incidents(ref, title, severity, state, source, detail, security, detected_at, opened_at,
                                  opened_by, peak_severity)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, i.ref, i.title, i.severity.rawValue, i.state.rawValue, i.source.rawValue, i.detail, i.security,
                   i.detectedAt, i.openedAt, i.openedBy, i.severity.rawValue)
        let id = db.lastInsertRowID
        for component in Set(i.components) {
            try db.run("INSERT INTO incident_components(incident, component) VALUES (?, ?)", id, component)
        }
        return try byID(id)!
    }

    public func update(_ i: Incident) throws {
        try db.run("""
            UPDATE incidents SET title = ?, severity = ?, state = ?, detail = ?, acknowledged_at = ?, acknowledged_by = ?,
                assignee = ?, resolved_at = ?, cause = ?, resolution = ?, closed_at = ?, review = ?, escalations = ?,
                peak_severity = MIN(COALESCE(peak_severity, severity), ?2), published_at = ?
            WHERE id = ?
            """, i.title, i.severity.rawValue, i.state.rawValue, i.detail, i.acknowledgedAt, i.acknowledgedBy, i.assignee,
                   i.resolvedAt, i.cause, i.resolution, i.closedAt, i.review, Int64(i.escalations),
                   i.security ? nil : i.publishedAt, i.id)
    }

    public func event(_ incident: Int64, at: Int64, actor: String, kind: Incident.EventKind, text: String,
                      isPublic: Bool = false) throws {
        try db.run("INSERT INTO incident_events(incident, at, actor, kind, text, public) VALUES (?, ?, ?, ?, ?, ?)",
                   incident, at, actor, kind.rawValue, text, isPublic)
    }

    public struct Event: Sendable {
        public let at: Int64
        public let actor: String
        public let kind: Incident.EventKind
        public let text: String
        public let isPublic: Bool
    }

    /// When the incident last paged anyone: opened, reopened, paged (a raised
    /// severity) or escalated; nil when its timeline has none of these.
    public func lastPage(_ incident: Int64) throws -> Int64? {
        let kinds: [Incident.EventKind] = [.opened, .reopened, .paged, .escalated]
        return try db.query("SELECT MAX(at) AS at FROM incident_events WHERE incident = ? AND kind IN (?, ?, ?, ?)",
                            incident, kinds[0].rawValue, kinds[1].rawValue, kinds[2].rawValue, kinds[3].rawValue)
            .first?.int("at")
    }

    public func timeline(_ incident: Int64) throws -> [Event] {
        try db.query("SELECT * FROM incident_events WHERE incident = ? ORDER BY id", incident).map {
            // Every kind ever written comes from `Incident.EventKind`; the
            // fallback only keeps an unreadable row on the timeline.
            Event(at: $0.int("at") ?? 0, actor: $0.string("actor") ?? "",
                  kind: Incident.EventKind(rawValue: $0.string("kind") ?? "") ?? .note,
                  text: $0.string("text") ?? "", isPublic: $0.bool("public") ?? false)
        }
    }

    public func recordNotification(_ incident: Int64, form: Incident.ReportForm, to: String, reference: String,
                                   at: Int64, by: String) throws {
        try db.run("""
            INSERT INTO incident_notifications(incident, form, sent_to, reference, at, recorded_by)
            VALUES (?, ?, ?, ?, ?, ?)
            """, incident, form.rawValue, to, reference, at, by)
    }

    public func notifications(_ incident: Int64) throws
        -> [(form: Incident.ReportForm, to: String, reference: String, at: Int64)] {
        // The table's CHECK admits only the two forms; the fallback is never taken.
        try db.query("SELECT * FROM incident_notifications WHERE incident = ? ORDER BY id", incident).map {
            (Incident.ReportForm(rawValue: $0.string("form") ?? "") ?? .initial, $0.string("sent_to") ?? "",
             $0.string("reference") ?? "", $0.int("at") ?? 0)
        }
    }

    public func byRef(_ ref: String) throws -> Incident? {
        try db.queryRow("SELECT * FROM incidents WHERE ref = ?", ref.uppercased()).map(incident)
    }

    public func byID(_ id: Int64) throws -> Incident? {
        try db.queryRow("SELECT * FROM incidents WHERE id = ?", id).map(incident)
    }

    /// Incidents, newest first; security ones only when `includeSecurity`.
    public func all(includeSecurity: Bool, since: Int64? = nil) throws -> [Incident] {
        try db.query("SELECT * FROM incidents WHERE (?1 OR security = 0) AND (?2 IS NULL OR opened_at >= ?2) ORDER BY id",
                     includeSecurity, since).map(incident)
    }

    /// Incidents in these states, oldest first, found through the `incidents_state` index. Escalation (every
    /// scheduler tick, on the writer) and `incident list --state` want the few active incidents; reading every
    /// incident ever recorded for them made their cost grow with history (issue 18's soak).
    public func all(in states: [Incident.State], includeSecurity: Bool, since: Int64? = nil) throws -> [Incident] {
        let names = JSON.array(states.map { .string($0.rawValue) }).serialized()
        return try db.query(Self.inStates, names, includeSecurity, since).map(incident)
    }

    /// The references of security incidents, read through `incidents_security`.
    static let securityRefsOnly = "SELECT ref FROM incidents WHERE security = 1"

    /// The references of security incidents, for hiding what cites them (`FeedbackCompartment`) without decoding
    /// every incident: in issue 18's soak that decoding was a quarter of opsd's time, in `status` and `incident show`.
    public func securityRefs() throws -> Set<String> {
        Set(try db.query(Self.securityRefsOnly).compactMap { $0.string("ref") })
    }

    /// Security incidents, whatever their state (their VNCERT/CC reports fall due after resolution too),
    /// whose notification to VNCERT/CC, or closing report, was due before `now` and is not
    /// recorded (`Incident.notifyDue`, `closingReportDue`), for `status`. Only those rows are decoded: `status`
    /// once read every security incident and its notifications, so it slowed as their history grew.
    public func securityReportsDue(now: Int64) throws -> [Incident] {
        try db.query(Self.reportsDue, now - Incident.reportingDays).map(incident)
    }

    static let reportsDue = """
        SELECT * FROM incidents i WHERE security = 1 AND (
            (detected_at < ?1 AND NOT EXISTS (SELECT 1 FROM incident_notifications n
                                               WHERE n.incident = i.id AND n.form = 'initial'))
            OR (resolved_at < ?1 AND NOT EXISTS (SELECT 1 FROM incident_notifications n
                                                  WHERE n.incident = i.id AND n.form = 'closing')))
        ORDER BY id
        """

    /// ?1 a JSON array of states, ?2 whether security incidents are included, ?3 opened since (or NULL).
    static let inStates = """
        SELECT * FROM incidents WHERE state IN (SELECT value FROM json_each(?1)) AND (?2 OR security = 0)
            AND (?3 IS NULL OR opened_at >= ?3) ORDER BY id
        """

    /// Incidents not yet resolved, oldest first (for the status page, which runs every few seconds).
    public func unresolved(includeSecurity: Bool) throws -> [Incident] {
        try db.query("SELECT * FROM incidents WHERE resolved_at IS NULL AND (?1 OR security = 0) ORDER BY id",
                     includeSecurity).map(incident)
    }

    private func incident(_ row: Row) throws -> Incident {
        let id = row.int("id") ?? 0
        return Incident(
            id: id, ref: row.string("ref") ?? "", title: row.string("title") ?? "",
            severity: Incident.Severity(rawValue: row.string("severity") ?? "") ?? .sev4,
            state: Incident.State(rawValue: row.string("state") ?? "") ?? .open,
            source: Incident.Source(rawValue: row.string("source") ?? "") ?? .operator, detail: row.string("detail"),
            security: row.bool("security") ?? false,
            components: try db.query("SELECT component FROM incident_components WHERE incident = ? ORDER BY component", id).compactMap { $0.string(0) },
            detectedAt: row.int("detected_at") ?? 0, openedAt: row.int("opened_at") ?? 0, openedBy: row.string("opened_by") ?? "",
            acknowledgedAt: row.int("acknowledged_at"), acknowledgedBy: row.string("acknowledged_by"), assignee: row.string("assignee"),
            resolvedAt: row.int("resolved_at"), cause: row.string("cause"), resolution: row.string("resolution"),
            closedAt: row.int("closed_at"), review: row.string("review"), escalations: Int(row.int("escalations") ?? 0),
            peakSeverity: row.string("peak_severity").flatMap(Incident.Severity.init(rawValue:)),
            publishedAt: row.int("published_at"))
    }
}
