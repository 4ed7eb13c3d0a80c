import OpsProtocol

/// Words people type at night for the ones the catalog uses (issue 13): `incident acknowledge 7` runs
/// `incident ack 7`. A synonym applies only when the catalog has no command by the typed word and has
/// one by the synonym, so it never hides a real command.
enum Synonyms {
    static let verbs: [String: String] = [
        "acknowledge": "ack", "acknowledged": "ack", "accept": "ack",
        "ls": "list", "get": "show", "info": "show", "view": "show",
        "rm": "remove", "delete": "remove", "del": "remove",
        "begin": "start", "finish": "end", "stop": "end",
        "resolved": "resolve", "fix": "resolve", "fixed": "resolve",
        "closed": "close", "reopened": "reopen", "escalate": "set",
    ]

    static let nouns: [String: String] = [
        "incidents": "incident", "inc": "incident", "shifts": "shift", "users": "user", "rotas": "rota",
        "oncall": "rota", "on-call": "rota", "backups": "backup", "policies": "policy",
        "windows": "maintenance", "mw": "maintenance", "recipients": "recipient", "escalations": "escalation",
    ]

    static func noun(_ word: String, known: [String]) -> String {
        if known.contains(word) { return word }
        if let synonym = nouns[word.lowercased()], known.contains(synonym) { return synonym }
        return word
    }

    static func verb(_ word: String, known: [String]) -> String {
        if known.contains(word) { return word }
        if let synonym = verbs[word.lowercased()], known.contains(synonym) { return synonym }
        return word
    }

    /// The verb a near-miss of a synonym means (`acknowledgement` → `ack`), for "did you mean".
    static func suggestion(for word: String, among known: [String]) -> String? {
        guard let near = Suggestion.nearest(to: word.lowercased(), among: Array(verbs.keys)),
              let verb = verbs[near], known.contains(verb) else { return nil }
        return verb
    }
}
