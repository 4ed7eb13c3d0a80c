/// The handlers of the domain's commands, by catalog name. The daemon adds
/// its own (status, clock) and checks at start-up that every catalog entry
/// has exactly one handler.
public enum DomainHandlers {
    public static let all: [String: CommandHandler] = [
        AccessCommands.handlers, AuditCommands.handlers, ComponentCommands.handlers, PolicyCommands.handlers,
        RecipientCommands.handlers, OutboxCommands.handlers, HolidayCommands.handlers, MaintenanceCommands.handlers,
        IncidentCommands.handlers, ShiftCommands.handlers, FeedbackCommands.handlers, RecommendationCommands.handlers,
        TargetCommands.handlers,
    ].reduce(into: [:]) { result, handlers in
        result.merge(handlers) { first, _ in first }
    }
}
