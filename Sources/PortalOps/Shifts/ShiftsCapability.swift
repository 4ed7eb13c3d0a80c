import OpsProtocol

extension Capability {
    /// Who is on duty, and handovers between shifts.
    public static let shifts = Capability(
        "shifts",
        migrations: [ShiftStore.migration],
        commands: [StartShift.command, ShiftsOnDuty.command, EndShift.command, ShiftLog.command],
        nouns: ["shift": "the 24/7 rota: who is on duty, handovers"])
}
