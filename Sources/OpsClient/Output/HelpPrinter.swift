import Foundation
import OpsProtocol

/// Help text, built from the catalog alone.
enum HelpPrinter {
    static func overview() -> String {
        let width = ClientCatalog.shared.nouns.map(\.count).max() ?? 0
        let lines = ClientCatalog.shared.nouns.map { noun -> String in
            let verbs = ClientCatalog.shared.verbs(noun: noun)
            let summary = ClientCatalog.shared.nounSummaries[noun] ?? ""
            let list = verbs.isEmpty ? "" : " (\(verbs.joined(separator: ", ")))"
            return "  " + noun.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + summary + list
        }
        return """
            opsctl — the PortalOps console: operations, maintenance and incidents of the portal

            Usage: opsctl NOUN VERB [ARGS] [--json] [--socket PATH]

            Commands:
            \(lines.joined(separator: "\n"))

            Options for every command:
              --json           print one JSON document for scripts instead of text
              --socket PATH    the daemon's socket (default: $PORTALOPS_SOCKET or $PORTALOPS_DATA/opsd.sock;
                               else ./.portalops/opsd.sock, then /run/portalops/opsd.sock)
              --help           help for opsctl, a noun, or one command

            Times: '2026-12-12 22:00' (the daemon's zone) or '2026-12-12T22:00+07:00'; dates '2026-12-12';
            durations 90s, 15m, 2h, 3d, 5wd (working days).
            Exit codes: 0 done, 1 refused by a rule, 2 usage error, 3 permission denied,
            4 daemon unreachable, 5 internal error.

            Run 'opsctl NOUN --help' for a noun's commands, 'opsctl NOUN VERB --help' for one command.

            """
    }

    static func noun(_ noun: String) -> String {
        let commands = ClientCatalog.shared.commands(noun: noun)
        let width = commands.map { $0.words.joined(separator: " ").count }.max() ?? 0
        let lines = commands.map { spec in
            "  " + spec.words.joined(separator: " ").padding(toLength: width, withPad: " ", startingAt: 0) + "  " + spec.summary
        }
        let summary = ClientCatalog.shared.nounSummaries[noun] ?? ""
        return "opsctl \(noun) — \(summary)\n\nCommands:\n" + lines.joined(separator: "\n")
            + "\n\nRun 'opsctl \(noun) VERB --help' for one command.\n"
    }

    static func command(_ spec: CommandSpec) -> String {
        var text = "\(spec.summary)\n\nUsage: \(spec.usage)\n"
        if !spec.arguments.isEmpty {
            let labels = spec.arguments.map { argument -> String in
                let value = argument.valueName ?? argument.kind.placeholder
                if argument.isPositional { return value }
                return argument.kind == .flag ? "--\(argument.name)" : "--\(argument.name) \(value)"
            }
            let width = labels.map(\.count).max() ?? 0
            text += "\nArguments:\n"
            for (label, argument) in zip(labels, spec.arguments) {
                var help = argument.help
                if argument.isRequired { help += " (required)" }
                if argument.isRepeated { help += " (may be repeated)" }
                text += "  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + help + "\n"
            }
        }
        if let details = spec.details { text += "\n" + details + "\n" }
        text += "\nAllowed roles: " + spec.roles.sorted().map(\.rawValue).joined(separator: ", ") + "\n"
        return text
    }
}
