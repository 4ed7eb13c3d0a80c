import Foundation
import OpsProtocol
import PortalOps

/// `opsctl-catalog`: writes the command catalog that opsd serves — every
/// capability's specs and noun summaries — for opsctl, which links neither
/// SQLite nor the domain. Run by the build (CatalogPlugin).
///
///     opsctl-catalog swift FILE   Swift source defining `generatedCommands` (one JSON text per
///                                 command, parsed by opsctl only when needed) and `generatedNounSummaries`
///     opsctl-catalog json         the catalog as JSON on standard output
///     opsctl-catalog man opsctl   the opsctl(1) man page; `man opsd` opsd(8) (scripts/package.sh)
///     opsctl-catalog bash-completion   opsctl's bash completion script
///     opsctl-catalog role-matrix  the roles of every command, as runbooks/access-and-audit.md prints them
public enum CatalogExport {
    public static func run() -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            let catalog = try catalog()
            switch (arguments.first, arguments.count) {
            case ("json", 1):
                print(catalog.json.serialized())
            case ("man", 2) where arguments[1] == "opsctl":
                write(ManPages.opsctl(catalog, date: ManPages.date(environment: ProcessInfo.processInfo.environment)))
            case ("man", 2) where arguments[1] == "opsd":
                write(ManPages.opsd(date: ManPages.date(environment: ProcessInfo.processInfo.environment)))
            case ("bash-completion", 1):
                write(BashCompletion.script(catalog))
            case ("role-matrix", 1):
                write(RoleMatrix.markdown(catalog))
            case ("swift", 2):
                try Data(swiftSource(catalog).utf8).write(to: URL(fileURLWithPath: arguments[1]), options: .atomic)
            default:
                let usage = "usage: opsctl-catalog json | swift FILE | man opsctl | man opsd | bash-completion "
                    + "| role-matrix\n"
                FileHandle.standardError.write(Data(usage.utf8))
                exit(2)
            }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("opsctl-catalog: \(error)\n".utf8))
            exit(1)
        }
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The catalog exactly as opsd builds it.
    public static func catalog() throws -> CommandCatalog {
        let system = SystemCapability(options: DaemonOptions(), startedAt: 0, testClock: nil,
                                      scheduler: SchedulerProgress())
        return try Registry([system.capability] + Capabilities.all).catalog
    }

    /// The catalog as Swift literals: each command's spec as its own JSON text.
    static func swiftSource(_ catalog: CommandCatalog) -> String {
        let commands = catalog.commands.map { "    (\(literal($0.name)), \(literal($0.json.serialized()))),\n" }.joined()
        let nouns = catalog.nounSummaries.keys.sorted().map {
            "    (\(literal($0)), \(literal(catalog.nounSummaries[$0] ?? ""))),\n"
        }.joined()
        return "// Generated at build time by opsctl-catalog from the capabilities' declarations; do not edit.\n"
            + "let generatedCommands: [(name: String, json: String)] = [\n\(commands)]\n\n"
            + "let generatedNounSummaries: [(String, String)] = [\n\(nouns)]\n"
    }

    /// `text` as a Swift raw string literal with enough `#` that nothing in it ends it.
    static func literal(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "#" ? run + 1 : 0
            longest = max(longest, run)
        }
        let hashes = String(repeating: "#", count: longest + 1)
        return hashes + "\"" + text + "\"" + hashes
    }
}
