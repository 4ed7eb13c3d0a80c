import OpsProtocol

extension PolicyDefinition {
    public static let incidentEscalateSev1 = PolicyDefinition(
        "incident.escalate.sev1", .duration(0...86_400_000), default: "5m",
        "an unacknowledged sev1 pages the supervisors after this, and again at each multiple",
        roles: [.supervisor, .admin])
    public static let incidentEscalateSev2 = PolicyDefinition(
        "incident.escalate.sev2", .duration(0...86_400_000), default: "15m", "the same for sev2",
        roles: [.supervisor, .admin])
    public static let incidentEscalateSev3 = PolicyDefinition(
        "incident.escalate.sev3", .duration(0...86_400_000), default: "1h", "the same for sev3",
        roles: [.supervisor, .admin])

    static let incidents: [PolicyDefinition] = [incidentEscalateSev1, incidentEscalateSev2, incidentEscalateSev3]

    /// The escalation delay of a severity; sev4 never pages, so it has none.
    static func escalation(_ severity: Incident.Severity) -> PolicyDefinition? {
        switch severity {
        case .sev1: incidentEscalateSev1
        case .sev2: incidentEscalateSev2
        case .sev3: incidentEscalateSev3
        case .sev4: nil
        }
    }
}
