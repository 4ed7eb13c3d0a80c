import Foundation
import OpsProtocol
import PortalOps

/// `opsctl-catalog`: writes the command catalog that opsd serves — every
/// capability's specs and noun summaries — for opsctl, which links neither
/// SQLite nor the domain. Run by the build (CatalogPlugin).
///
///     opsctl-catalog swift FILE   Swift source defining `generatedCatalogJSON`
///     opsctl-catalog json         the catalog as JSON on standard output
public enum CatalogExport {
    public static func run() -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            let json = try catalog().json.serialized()
            switch (arguments.first, arguments.count) {
            case ("json", 1):
                print(json)
            case ("swift", 2):
                try Data(swiftSource(json).utf8).write(to: URL(fileURLWithPath: arguments[1]), options: .atomic)
            default:
                FileHandle.standardError.write(Data("usage: opsctl-catalog json | opsctl-catalog swift FILE\n".utf8))
                exit(2)
            }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("opsctl-catalog: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The catalog exactly as opsd builds it.
    public static func catalog() throws -> CommandCatalog {
        let system = SystemCapability(options: DaemonOptions(), startedAt: 0, testClock: nil)
        return try Registry([system.capability] + Capabilities.all).catalog
    }

    /// `json` as a Swift raw string literal with enough `#` that no text in it ends it.
    static func swiftSource(_ json: String) -> String {
        var longest = 0, run = 0
        for character in json {
            run = character == "#" ? run + 1 : 0
            longest = max(longest, run)
        }
        let hashes = String(repeating: "#", count: longest + 1)
        return """
            // Generated at build time by opsctl-catalog from the capabilities' declarations; do not edit.
            let generatedCatalogJSON = \(hashes)\"\"\"
            \(json)
            \"\"\"\(hashes)

            """
    }
}
