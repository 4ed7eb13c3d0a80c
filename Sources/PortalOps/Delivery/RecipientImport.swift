import Foundation

/// Reads recipients from CSV, checking every row before anything is saved:
/// all rows valid, or an error listing each bad row by its line number.
enum RecipientImport {
    static let columns = ["key", "name", "kind", "emails", "webhook", "groups"]

    static func parse(_ text: String) throws -> [Recipient] {
        let records: [CSV.Record]
        do { records = try CSV.parse(Text.normalized(text)) } catch { throw OpsError.usage("the CSV is malformed: \(error)") }
        guard let header = records.first else { throw OpsError.usage("the CSV is empty; the first row must name the columns: \(columns.joined(separator: ","))") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unknown = names.first(where: { !columns.contains($0) }) {
            throw OpsError.usage("line \(header.line): unknown column '\(unknown)'; the columns are \(columns.joined(separator: ","))")
        }
        guard names.contains("key"), names.contains("name") else {
            throw OpsError.usage("line \(header.line): the header must have at least the columns key and name")
        }
        var problems: [String] = []
        var recipients: [Recipient] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == names.count else {
                problems.append("line \(record.line): \(record.fields.count) fields, the header has \(names.count)")
                continue
            }
            var row: [String: String] = [:]
            for (name, value) in zip(names, record.fields) { row[name] = value.trimmingCharacters(in: .whitespaces) }
            do {
                let recipient = try recipientFrom(row)
                if let first = seen[recipient.key] {
                    throw OpsError.usage("key '\(recipient.key)' is already on line \(first)")
                }
                seen[recipient.key] = record.line
                recipients.append(recipient)
            } catch let error as OpsError {
                problems.append("line \(record.line): \(error.message)")
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
