import Foundation
import OpsProtocol

/// The commands opsctl knows: the catalog opsd serves, compiled in at build
/// time (`generatedCatalogJSON`, written by CatalogPlugin).
enum ClientCatalog {
    static let shared: CommandCatalog = {
        do {
            return try CommandCatalog(json: JSON.parse(generatedCatalogJSON))
        } catch {
            // Only a broken build gets here: the text is generated and tested.
            FileHandle.standardError.write(Data("opsctl: the built-in command catalog is damaged: \(error)\n".utf8))
            exit(5)
        }
    }()
}
