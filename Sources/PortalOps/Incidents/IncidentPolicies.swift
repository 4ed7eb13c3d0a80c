import OpsProtocol

extension PolicyDefinition {
    static let incidents: [PolicyDefinition] = [
        PolicyDefinition("incident.escalate.sev1", .duration(0...86_400_000), default: "5m", "an unacknowledged sev1 pages the supervisors after this, and again at each multiple"),
        PolicyDefinition("incident.escalate.sev2", .duration(0...86_400_000), default: "15m", "the same for sev2"),
        PolicyDefinition("incident.escalate.sev3", .duration(0...86_400_000), default: "1h", "the same for sev3"),
    ]
}
