import Foundation
import OpsProtocol

/// Replaces the paths of `.file` arguments with the files' text: opsctl
/// reads them as the caller, the daemon (another user) never opens them.
enum FileArguments {
    /// The `.outputFile` argument's path, taken out of what is sent.
    static func outputPath(_ arguments: inout [String: JSON], for spec: CommandSpec) -> String? {
        guard let argument = spec.arguments.first(where: { $0.kind == .outputFile }) else { return nil }
        return arguments.removeValue(forKey: argument.name)?.stringValue
    }

    static func load(_ arguments: [String: JSON], for spec: CommandSpec) throws -> [String: JSON] {
        var loaded = arguments
        for argument in spec.arguments where argument.kind == .binaryFile {
            guard let path = arguments[argument.name]?.stringValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OpsError.usage("cannot read \(path)")
            }
            loaded[argument.name] = .string(data.base64EncodedString())
        }
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
