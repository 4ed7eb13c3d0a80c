import OpsProtocol

extension Capability {
    /// On-call rotas, overrides and escalation policies (issue 13): who is woken at 02:00, and who next.
    public static let rota = Capability(
        "rota",
        migrations: [RotaStore.migration],
        commands: [AddRota.command, OverrideRota.command, RotaWho.command, RotaNext.command, RemoveRota.command,
                   SetEscalation.command, ShowEscalation.command],
        nouns: ["rota": "on-call rotas: who is paged when, handovers",
                "escalation": "who each severity pages, step by step"],
        status: RotaStatus.section,
        tick: { context in Tick(log: try RotaSchedule.tick(db: context.db, now: context.now, time: context.time)) })
}
