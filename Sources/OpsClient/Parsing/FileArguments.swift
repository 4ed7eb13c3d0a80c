import Foundation
import PortalOps

/// Replaces the paths of `.file` arguments with the files' text: opsctl
/// reads them as the caller, the daemon (another user) never opens them.
enum FileArguments {
    static func load(_ arguments: [String: JSON], for spec: CommandSpec) throws -> [String: JSON] {
        var loaded = arguments
        for argument in spec.arguments where argument.kind == .file {
            guard let path = arguments[argument.name]?.stringValue else { continue }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw OpsError.usage("cannot read \(path): \((error as NSError).localizedDescription)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw OpsError.usage("\(path) is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet program)")
            }
            loaded[argument.name] = .string(text)
        }
        return loaded
    }
}
