import OpsProtocol
/// Figures over feedback, and the overdue items `status` reports.
enum FeedbackStats {
    static func stats(_ context: CommandContext) throws -> Response {
        let store = FeedbackStore(context.db)
        let compartment = try FeedbackCompartment(context)
        let window = try FeedbackStatistics.period.window(context)
        let items = try store.allFeedback()
            .filter { !compartment.hides($0) && (window?.contains($0.receivedAt) ?? true) }
        func counts(_ key: (Feedback) -> String) -> [(String, Int)] {
            Dictionary(grouping: items, by: key).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        }
        let byCategory = counts(\.category), byChannel = counts(\.channel), byAgency = counts(\.from)
        let hours = items.compactMap { f in f.respondedAt.map { Double($0 - f.receivedAt) / 3_600_000 } }.sorted()
        let median: Double? = hours.isEmpty ? nil
            : hours.count % 2 == 1 ? hours[hours.count / 2] : (hours[hours.count / 2 - 1] + hours[hours.count / 2]) / 2
        let overdue = try overdueCounts(context)
        var rows: [[String]] = byCategory.map { ["category", $0.0, String($0.1)] }
        rows += byChannel.map { ["channel", $0.0, String($0.1)] }
        rows += byAgency.map { ["from", $0.0, String($0.1)] }
        rows.append(["response", "median hours to respond", median.map { String(format: "%.1f", $0) } ?? "-"])
        rows += [["overdue", "feedback", String(overdue.feedback)], ["overdue", "recommendations", String(overdue.recommendations)],
                 ["overdue", "requests", String(overdue.requests)]]
        func object(_ pairs: [(String, Int)]) -> JSON { .object(Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, JSON.int(Int64($0.1))) })) }
        return Response(message: PeriodFilter.statement(window, context),
                        data: ["window": PeriodFilter.json(window, context), "total": .int(Int64(items.count)),
                               "by_category": object(byCategory), "by_channel": object(byChannel),
                               "by_agency": object(byAgency),
                               "median_hours_to_respond": median.map(JSON.double) ?? .null,
                               "overdue": ["feedback": .int(Int64(overdue.feedback)),
                                           "recommendations": .int(Int64(overdue.recommendations)),
                                           "requests": .int(Int64(overdue.requests))]],
                        table: .init(columns: ["BY", "VALUE", "COUNT"], rows: rows))
    }

    static func overdueCounts(_ context: CommandContext) throws -> (feedback: Int, recommendations: Int, requests: Int) {
        let store = FeedbackStore(context.db)
        let compartment = try FeedbackCompartment(context)
        return (try store.overdueFeedback(now: context.now).filter { !compartment.hides($0) }.count,
                try store.openRecommendations().filter { $0.isOverdue(context.now) && !compartment.hides($0) }.count,
                try store.openRequests().filter { $0.isOverdue(context.now) && !compartment.hides($0) }.count)
    }

    static func section(_ context: CommandContext) throws -> StatusSection {
        let overdue = try overdueCounts(context)
        var warnings: [String] = []
        if overdue.feedback > 0 { warnings.append("\(overdue.feedback) feedback past its response deadline: 'opsctl feedback list --overdue'") }
        if overdue.recommendations > 0 { warnings.append("\(overdue.recommendations) recommendations past due: 'opsctl recommendation list --overdue'") }
        if overdue.requests > 0 { warnings.append("\(overdue.requests) requests of the Office or the Department past their deadline: 'opsctl request list --overdue'") }
        return StatusSection(fields: [["overdue", "\(overdue.feedback) feedback, \(overdue.recommendations) recommendations, \(overdue.requests) requests"]],
                             data: ["overdue": ["feedback": .int(Int64(overdue.feedback)), "recommendations": .int(Int64(overdue.recommendations)),
                                                "requests": .int(Int64(overdue.requests))]],
                             warnings: warnings)
    }

    /// Feedback, recommendations and requests that cite an incident, for `incident show`.
    static func incidentLinks(_ context: CommandContext, _ incident: Incident) throws -> StatusSection {
        let store = FeedbackStore(context.db)
        let compartment = try FeedbackCompartment(context)
        let feedback = try store.allFeedback(incident: incident.ref).filter { !compartment.hides($0) }
        let recommendations = try store.recommendations(source: "incident:\(incident.ref)")
            .filter { !compartment.hides($0) }
        let requests = try store.requests(incident: incident.ref).filter { !compartment.hides($0) }
        var fields: [[String]] = []
        if !feedback.isEmpty { fields.append(["feedback", feedback.map { "\($0.ref) (\($0.from))" }.joined(separator: ", ")]) }
        if !recommendations.isEmpty {
            fields.append(["recommendations", recommendations.map { "\($0.ref) \($0.state.rawValue): \($0.title)" }
                .joined(separator: "; ")])
        }
        if !requests.isEmpty { fields.append(["requests", requests.map { "\($0.ref) (\($0.theirRef))" }.joined(separator: ", ")]) }
        return StatusSection(fields: fields, data: ["feedback": .array(feedback.map { .string($0.ref) }),
                                                    "recommendations": .array(recommendations.map { .string($0.ref) }),
                                                    "requests": .array(requests.map { .string($0.ref) })])
    }

    /// Whether an incident has at least one recommendation (for closing sev1/sev2).
    static func hasRecommendation(_ context: CommandContext, incident: String) throws -> Bool {
        try !FeedbackStore(context.db).recommendations(source: "incident:\(incident)").isEmpty
    }
}
