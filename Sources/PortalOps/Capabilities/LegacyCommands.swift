import OpsProtocol

/// Transitional: pairs specs declared apart with handlers bound by name, for
/// capabilities not yet declaring typed `Command`s. Goes when the last has moved.
enum LegacyCommands {
    static func commands(_ specs: [CommandSpec], quick: [String: CommandHandler] = [:],
                         jobs: (@Sendable (JobEnvironment) -> [String: JobHandler])? = nil) -> [Command] {
        specs.map { spec in
            if let handler = quick[spec.name] { return Command(spec: spec, run: .quick(handler)) }
            let name = spec.name
            return Command(spec: spec, run: .job { context in
                guard let prepare = jobs?(context.environment)[name] else {
                    throw OpsError.internalError("no handler for \(name)")
                }
                return try prepare(context)
            })
        }
    }
}
