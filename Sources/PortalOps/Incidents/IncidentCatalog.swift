import OpsProtocol
extension Catalog {
    static let responders: Set<Role> = [.operator, .security, .supervisor, .admin]

    static let shifts: [CommandSpec] = [
        CommandSpec("shift.start", "Go on shift: new incidents page you", roles: responders, audit: .changes, arguments: [
            .option("note", .text, "anything the others should know"),
        ]),
        CommandSpec("shift.who", "Who is on shift, since when", roles: .everyone, audit: .none),
        CommandSpec("shift.end", "Hand over and go off shift", roles: responders, audit: .changes, arguments: [
            .option("handover", .text, "what the next shift must know (open incidents are listed for you)", required: true),
            .flag("force", "end even with an unacknowledged sev1 or sev2 (needs --reason)"),
            .option("reason", .text, "why the shift ends with a critical incident unattended"),
        ], details: "Refused while a sev1 or sev2 incident is unacknowledged, unless --force --reason."),
        CommandSpec("shift.log", "Past shifts with their handovers", roles: .everyone, audit: .none, arguments: [
            .option("since", .time, "shifts since"),
        ]),
    ]
}
