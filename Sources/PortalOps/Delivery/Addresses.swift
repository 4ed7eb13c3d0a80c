import OpsProtocol
import Foundation

/// Validation of where messages go, with the reason a person can fix.
public enum Addresses {
    /// An e-mail address fit for a To header, or the reason it is not.
    public static func checkEmail(_ text: String) throws -> String {
        guard Text.isValidEmail(text) else {
            throw OpsError.usage("'\(text)' is not a valid e-mail address (expected name@domain.tld)")
        }
        return text
    }

    /// An http(s) URL with a host, or the reason it is not.
    public static func checkWebhook(_ text: String) throws -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw OpsError.usage("'\(text)' is not a webhook URL: it must start with https:// (or http://)")
        }
        guard let host = url.host, !host.isEmpty else {
            throw OpsError.usage("'\(text)' has no host name")
        }
        guard !text.contains(where: { $0.isWhitespace }) else {
            throw OpsError.usage("'\(text)' contains white space")
        }
        return text
    }
}
