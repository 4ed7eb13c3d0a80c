import Foundation
import OpsProtocol

/// The commands opsctl knows: the catalog opsd serves, compiled in at build
/// time by CatalogPlugin as one JSON text per command (`generatedCommands`)
/// and the nouns' summaries. A command's spec is parsed only when it is
/// needed, so `opsctl whoami` reads one small document, not all of them
/// (parsing the whole catalog cost about 2.5 ms of every run).
struct ClientCatalog: Sendable {
    static let shared = ClientCatalog(commands: generatedCommands, nouns: generatedNounSummaries)

    private let entries: [(name: String, json: String)]
    let nounSummaries: [String: String]

    init(commands: [(name: String, json: String)], nouns: [(String, String)]) {
        self.entries = commands
        self.nounSummaries = Dictionary(nouns) { first, _ in first }
    }

    var names: [String] { entries.map(\.name) }

    /// The spec of `name`, or nil when opsctl knows no such command.
    func command(_ name: String) -> CommandSpec? {
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        do {
            return try CommandSpec(json: JSON.parse(entry.json))
        } catch {
            // Only a broken build gets here: the text is generated and tested.
            FileHandle.standardError.write(Data("opsctl: the built-in spec of \(name) is damaged: \(error)\n".utf8))
            exit(5)
        }
    }

    /// The nouns in first-seen order (`status`, `whoami`, `user`, `audit`…).
    var nouns: [String] {
        var seen: [String] = []
        for name in names {
            let noun = Self.noun(name)
            if !seen.contains(noun) { seen.append(noun) }
        }
        return seen
    }

    /// The verbs of `noun`, read from the names alone.
    func verbs(noun: String) -> [String] {
        names.filter { Self.noun($0) == noun }.compactMap { $0.split(separator: ".").dropFirst().first.map(String.init) }
    }

    func commands(noun: String) -> [CommandSpec] {
        names.filter { Self.noun($0) == noun }.compactMap(command)
    }

    private static func noun(_ name: String) -> String {
        String(name.split(separator: ".").first ?? Substring(name))
    }
}
