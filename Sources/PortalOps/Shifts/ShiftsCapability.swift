import OpsProtocol

extension Capability {
    /// Who is on duty, and handovers between shifts.
    public static let shifts = Capability(
        "shifts",
        migrations: [ShiftStore.migration],
        commands: LegacyCommands.commands(Catalog.shifts, quick: ShiftCommands.handlers),
        nouns: ["shift": "the 24/7 rota: who is on duty, handovers"])
}
