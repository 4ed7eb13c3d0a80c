import OpsProtocol
import SQLite

/// What the public may know, read from the capabilities' own APIs and nothing else: each
/// component's state, the published incidents with their public notes, announced maintenance
/// with its notices. Never a security incident, an internal note, a person's name or an
/// internal reason (issue 15): only published incidents, their titles and public notes, and the
/// frozen notices, which are public documents.
struct PublicState {
    struct ComponentState {
        let key: String
        let name: String
        /// `operational`, `degraded`, `outage`, `maintenance`.
        let state: String
    }

    struct PublicIncident {
        let ref: String
        let title: String
        let components: [String]
        let openedAt: Int64
        let resolvedAt: Int64?
        let publishedAt: Int64
        let notes: [(at: Int64, text: String)]

        var updatedAt: Int64 { max(notes.last?.at ?? publishedAt, resolvedAt ?? publishedAt, publishedAt) }
    }

    struct PublicWindow {
        let window: MaintenanceWindow
        let notices: [Notice]
    }

    let title: String
    let baseURL: String
    let portal: String
    let now: Int64
    let components: [ComponentState]
    /// Published, not security, opened in the last 14 days or still active; newest first.
    let incidents: [PublicIncident]
    /// Announced or in progress, ending after now; soonest first.
    let maintenance: [PublicWindow]
    let componentNames: [String: String]
    /// Each component's last 90 days, filled in by `StatusSite` from `AvailabilityBars`.
    var days: [String: [AvailabilityBars.Day]] = [:]

    static let recentDays: Int64 = 14

    static func read(_ db: Connection, now: Int64) throws -> PublicState {
        let policies = PolicyStore(db)
        let components = try ComponentStore(db).all()
        let names = Dictionary(uniqueKeysWithValues: components.map { ($0.key, $0.name) })
        let since = now - recentDays * 86_400_000
        let store = IncidentStore(db)
        let active = try store.unresolved(includeSecurity: false).filter { !$0.security }
        let recent = try store.all(includeSecurity: false, since: since)
        let published = (recent + active.filter { $0.openedAt < since })
            .filter { !$0.security && $0.publishedAt != nil }.sorted { $0.id < $1.id }
        let incidents = try published.reversed().map { i in
            PublicIncident(ref: i.ref, title: i.title, components: i.components, openedAt: i.openedAt,
                           resolvedAt: i.resolvedAt, publishedAt: i.publishedAt ?? i.openedAt,
                           notes: try store.timeline(i.id).filter(\.isPublic).map { ($0.at, $0.text) })
        }
        // A window in progress stays until it is completed, even past its planned end: the work is still going on.
        let windowStore = MaintenanceStore(db)
        let windows = (try windowStore.windows(from: now, states: [.announced])
                       + windowStore.windows(states: [.inProgress]))
            .sorted { ($0.start, $0.id) < ($1.start, $1.id) }
        let notices = NoticeStore(db)
        let maintenance = try windows.map { PublicWindow(window: $0, notices: try notices.notices(reference: $0.ref)) }
        let failing = Set(try CheckStore(db).failingComponents())
        let states = components.map { c -> ComponentState in
            let inMaintenance = windows.contains { $0.state == .inProgress && $0.components.contains(c.key) }
            // Every open incident but a security one counts, published or not: the state is the truth, and it
            // names nothing. sev4 (cosmetic, a workaround exists) leaves a component operational.
            let open = active.filter { $0.components.contains(c.key) && $0.severity != .sev4 }
            let state = inMaintenance ? "maintenance"
                : open.contains { $0.severity == .sev1 } ? "outage"
                : open.isEmpty && !failing.contains(c.key) ? "operational" : "degraded"
            return ComponentState(key: c.key, name: c.name, state: state)
        }
        return PublicState(title: try policies.value(PolicyDefinition.publishTitle),
                           baseURL: try policies.value(PolicyDefinition.publishBaseURL),
                           portal: try policies.value(PolicyDefinition.portalName), now: now, components: states,
                           incidents: incidents, maintenance: maintenance, componentNames: names)
    }

    static func stateText(_ state: String) -> String {
        switch state {
        case "outage": "Gián đoạn"
        case "degraded": "Hoạt động không ổn định"
        case "maintenance": "Đang bảo trì"
        default: "Hoạt động bình thường"
        }
    }
}
