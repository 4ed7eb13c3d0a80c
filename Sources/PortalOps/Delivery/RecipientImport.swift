import OpsProtocol
import Foundation

/// Reads recipients from CSV, checking every row before anything is saved:
/// all rows valid, or an error listing each bad row by its line number.
enum RecipientImport {
    static let columns = ["key", "name", "kind", "emails", "webhook", "groups"]

    static func parse(_ text: String) throws -> [Recipient] {
        var (rows, problems) = try CSV.namedRows(text, columns: columns, required: ["key", "name"])
        var recipients: [Recipient] = []
        var seen: [String: Int] = [:]
        for row in rows {
            do {
                let recipient = try recipientFrom(row.values)
                if let first = seen[recipient.key] {
                    throw OpsError.usage("key '\(recipient.key)' is already on line \(first)")
                }
                seen[recipient.key] = row.line
                recipients.append(recipient)
            } catch let error as OpsError {
                problems.append("line \(row.line): \(error.message)")
            }
        }
        if !problems.isEmpty {
            throw OpsError.usage("nothing imported; \(problems.count) invalid row(s): " + problems.joined(separator: "; "))
        }
        return recipients
    }

    private static func recipientFrom(_ row: [String: String]) throws -> Recipient {
        let key = row["key"] ?? ""
        guard Text.isValidKey(key) else { throw OpsError.usage("key '\(key)' is not a valid key (lower-case letters, digits, '-', '_', '.')") }
        try Recipient.checkNotReserved(key)
        guard let name = row["name"], !name.isEmpty else { throw OpsError.usage("name is empty") }
        let kindText = row["kind"] ?? ""
        guard let kind = kindText.isEmpty ? .agency : Recipient.Kind(rawValue: kindText) else {
            throw OpsError.usage("kind '\(kindText)' is not one of \(Recipient.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let emails = try split(row["emails"]).map(Addresses.checkEmail)
        let webhook = try (row["webhook"].flatMap { $0.isEmpty ? nil : $0 }).map(Addresses.checkWebhook)
        let groups = split(row["groups"])
        if let bad = groups.first(where: { !Text.isValidKey($0) }) { throw OpsError.usage("group '\(bad)' is not a valid key") }
        return Recipient(key: key, name: name, kind: kind, emails: emails, webhook: webhook, groups: groups, removedAt: nil)
    }

    private static func split(_ text: String?) -> [String] {
        (text ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
