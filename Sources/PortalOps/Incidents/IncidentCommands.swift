import OpsProtocol
/// The handlers of the `incident.*` commands, by catalog name.
enum IncidentCommands {
    static let handlers: [String: CommandHandler] = [
        "incident.open": IncidentWork.open,
        "incident.ack": IncidentWork.ack,
        "incident.assign": IncidentWork.assign,
        "incident.note": IncidentWork.note,
        "incident.severity": IncidentWork.severity,
        "incident.resolve": IncidentWork.resolve,
        "incident.close": IncidentWork.close,
        "incident.reopen": IncidentWork.reopen,
        "incident.list": IncidentViews.list,
        "incident.show": IncidentViews.show,
        "incident.stats": IncidentViews.stats,
        "incident.report": IncidentViews.report,
        "incident.notified": IncidentViews.notified,
    ]
}
