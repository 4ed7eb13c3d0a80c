import OpsProtocol
/// Quoting for the shell command lines the console builds around commands
/// an admin configured (dump, restore, check): `'path'`, safe for any path.
public enum Shell {
    public static func quoted(_ text: String) -> String {
        "'" + text.escapingScalars(["'": "'\\''"]) + "'"
    }
}
