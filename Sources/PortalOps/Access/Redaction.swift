import OpsProtocol

/// The one place that decides what of a command or a URL a non-admin may
/// read. Commands opsd runs (`pg_dump …`) and webhook URLs often carry a
/// password or a token; admins set them and see them whole, everyone else
/// sees them with the secret-looking parts replaced by `REDACTED`:
///
/// - URL userinfo: `https://user:pw@host` → `https://REDACTED@host`
/// - query strings: `/hook?token=abc` → `/hook?REDACTED`
/// - assignments: `PGPASSWORD=secret`, `password=x`, `--pass=x` → `PGPASSWORD=REDACTED`
///
/// It errs on the side of hiding: a `?` or `=` that was not a secret is
/// redacted all the same. A value ends at white space or a quote.
public enum Redaction {
    public static let marker = "REDACTED"

    public static func redact(_ text: String) -> String {
        var result = text
        // userinfo first, so an '=' or '?' inside a password cannot split it.
        result.replace(#/(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^\s'"/@]+@/#) { match in
            "\(match.output.scheme)\(marker)@"
        }
        result.replace(#/\?[^\s'"]+/#) { _ in "?\(marker)" }
        result.replace(#/(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)=(?:'[^']*'|"[^"]*"|[^\s'"]+)/#) { match in
            "\(match.output.name)=\(marker)"
        }
        return result
    }

    /// `text` as `caller` may read it: whole for admins, redacted for everyone else.
    public static func shown(_ text: String, to caller: Caller) -> String {
        caller.mayReadSecrets ? text : redact(text)
    }

    /// What the audit trail keeps of a sensitive value: the redacted text and
    /// the SHA-256 of what was typed, so an auditor can prove what was set
    /// (by hashing a candidate) without the trail handing out the secret.
    public static func audited(_ value: JSON) -> JSON {
        switch value {
        case .string(let text): ["redacted": .string(redact(text)), "sha256": .string(SHA256.hex(text))]
        case .array(let values): .array(values.map(audited))
        default: value
        }
    }
}

extension Caller {
    /// Only admins read commands and webhook URLs whole (they are the ones who may set commands).
    public var mayReadSecrets: Bool { user?.role == .admin }
}
