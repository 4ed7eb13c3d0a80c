import OpsProtocol

/// Turns `opsctl` arguments into an invocation, using only the catalog:
/// adding a command to the catalog adds it here with its help.
struct CommandLineParser {
    struct Result: Equatable {
        var invocation: Invocation
        var options: GlobalOptions
    }

    func parse(_ arguments: [String]) throws -> Result {
        var options = GlobalOptions()
        var words: [String] = []
        var rest: [String] = []
        var wantsHelp = false
        var index = 0
        // Global options may stand anywhere; the first one or two bare words
        // name the command, everything else belongs to it.
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--json": options.json = true
            case "--help", "-h": wantsHelp = true
            case "--version" where words.isEmpty: return Result(invocation: .version, options: options)
            case "--socket":
                index += 1
                guard index < arguments.count else { throw OpsError.usage("--socket needs a path") }
                options.socket = arguments[index]
            case _ where argument.hasPrefix("--socket="):
                options.socket = String(argument.dropFirst("--socket=".count))
            case "--":
                rest.append(contentsOf: arguments[index...])
                index = arguments.count
                continue
            default:
                if rest.isEmpty, words.count < 2, !argument.hasPrefix("-"), expectsWord(after: words) {
                    words.append(argument)
                } else {
                    rest.append(argument)
                }
            }
            index += 1
        }
        if let first = words.first, ClientCatalog.shared.command(first) == nil {
            words[0] = Synonyms.noun(first, known: ClientCatalog.shared.nouns)
        }
        if words.count == 2 {
            words[1] = Synonyms.verb(words[1], known: ClientCatalog.shared.verbs(noun: words[0]))
        }
        guard let noun = words.first else {
            if wantsHelp { return Result(invocation: .help(topic: nil), options: options) }
            throw OpsError.usage("no command given; run 'opsctl --help' for the list")
        }
        if let spec = ClientCatalog.shared.command(noun) {
            // A one-word command: the second word, if any, is an argument.
            let arguments = Array(words.dropFirst()) + rest
            if wantsHelp { return Result(invocation: .help(topic: spec.name), options: options) }
            return Result(invocation: .run(command: spec.name, arguments: try parseArguments(arguments, for: spec)), options: options)
        }
        guard ClientCatalog.shared.nouns.contains(noun) else {
            let hint = Suggestion.nearest(to: noun, among: ClientCatalog.shared.nouns)
            throw OpsError.usage("unknown command '\(noun)'" + (hint.map { "; did you mean '\($0)'?" } ?? "; run 'opsctl --help' for the list"))
        }
        guard words.count == 2 else {
            if wantsHelp { return Result(invocation: .help(topic: noun), options: options) }
            let verbs = ClientCatalog.shared.verbs(noun: noun)
            throw OpsError.usage("'\(noun)' needs a command: \(verbs.joined(separator: ", ")); see 'opsctl \(noun) --help'")
        }
        let name = "\(noun).\(words[1])"
        guard let spec = ClientCatalog.shared.command(name) else {
            let verbs = ClientCatalog.shared.verbs(noun: noun)
            let hint = Suggestion.nearest(to: words[1], among: verbs)
                ?? Synonyms.suggestion(for: words[1], among: verbs)
            throw OpsError.usage("unknown command '\(noun) \(words[1])'" + (hint.map { "; did you mean '\(noun) \($0)'?" }
                ?? "; '\(noun)' has: \(verbs.joined(separator: ", "))"))
        }
        if wantsHelp { return Result(invocation: .help(topic: spec.name), options: options) }
        return Result(invocation: .run(command: spec.name, arguments: try parseArguments(rest, for: spec)), options: options)
    }

    /// A second bare word names a verb only after a noun that is not itself
    /// a command.
    private func expectsWord(after words: [String]) -> Bool {
        words.isEmpty || ClientCatalog.shared.command(words[0]) == nil
    }

    /// `--name VALUE`, `--name=VALUE`, bare `--flag`, and positionals in the
    /// order the catalog declares them.
    func parseArguments(_ arguments: [String], for spec: CommandSpec) throws -> [String: JSON] {
        var values: [String: JSON] = [:]
        var positionals = spec.arguments.filter(\.isPositional)
        var index = 0
        var optionsEnded = false
        let command = spec.words.joined(separator: " ")
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" && !optionsEnded { optionsEnded = true; continue }
            if !optionsEnded, argument.hasPrefix("--"), argument.count > 2 {
                var name = String(argument.dropFirst(2))
                var inline: String?
                if let equals = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                guard let option = spec.argument(name), !option.isPositional else {
                    let names = spec.arguments.filter { !$0.isPositional }.map(\.name)
                    let hint = Suggestion.nearest(to: name, among: names)
                    throw OpsError.usage("\(command) has no option --\(name)" + (hint.map { "; did you mean --\($0)?" } ?? "; see 'opsctl \(command) --help'"))
                }
                if option.kind == .flag {
                    guard inline == nil else { throw OpsError.usage("--\(name) takes no value") }
                    values[name] = .bool(true)
                    continue
                }
                let value: String
                if let inline { value = inline } else {
                    guard index < arguments.count else { throw OpsError.usage("--\(name) needs a value (\(option.usage))") }
                    value = arguments[index]
                    index += 1
                }
                if option.isRepeated {
                    values[name] = .array((values[name]?.arrayValue ?? []) + [.string(value)])
                } else if values[name] != nil {
                    throw OpsError.usage("--\(name) may be given only once")
                } else {
                    values[name] = .string(value)
                }
                continue
            }
            if !optionsEnded, argument.hasPrefix("-"), argument.count > 1, Int(argument) == nil {
                throw OpsError.usage("unknown option '\(argument)'; see 'opsctl \(command) --help'")
            }
            guard !positionals.isEmpty else {
                throw OpsError.usage("unexpected argument '\(argument)'; usage: \(spec.usage)")
            }
            values[positionals.removeFirst().name] = .string(argument)
        }
        return values
    }
}
