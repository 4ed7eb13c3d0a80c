import OpsProtocol

extension Capability {
    /// Who is on duty, and handovers between shifts.
    public static let shifts = Capability(
        "shifts",
        migrations: [ShiftStore.migration, ShiftStore.plannedEndMigration],
        commands: [StartShift.command, ShiftsOnDuty.command, EndShift.command, ShiftLog.command],
        nouns: ["shift": "the 24/7 rota: who is on duty, handovers"],
        policies: [.shiftLength],
        status: ShiftSchedule.status,
        tick: { context in Tick(log: try ShiftSchedule.tick(db: context.db, now: context.now, time: context.time)) })
}
