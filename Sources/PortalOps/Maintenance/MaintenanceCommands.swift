import OpsProtocol
/// The handlers of the `maintenance.*` commands, by catalog name.
enum MaintenanceCommands {
    static let handlers: [String: CommandHandler] = [
        "maintenance.plan": MaintenancePlanning.plan,
        "maintenance.approve": MaintenancePlanning.approve,
        "maintenance.correct": MaintenancePlanning.correct,
        "maintenance.cancel": MaintenancePlanning.cancel,
        "maintenance.announce": MaintenanceLifecycle.announce,
        "maintenance.start": MaintenanceLifecycle.start,
        "maintenance.extend": MaintenanceLifecycle.extend,
        "maintenance.ack": MaintenanceLifecycle.ack,
        "maintenance.list": MaintenanceViews.list,
        "maintenance.show": MaintenanceViews.show,
        "maintenance.notice": MaintenanceViews.notice,
        "maintenance.calendar": MaintenanceViews.calendar,
    ]
}
