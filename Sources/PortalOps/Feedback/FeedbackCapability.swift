import OpsProtocol

extension Capability {
    /// Feedback, recommendations and the Office's and Department's requests.
    public static let feedback = Capability(
        "feedback",
        migrations: [FeedbackStore.migration],
        commands: LegacyCommands.commands(Catalog.feedback,
                                         quick: FeedbackCommands.handlers.merging(RecommendationCommands.handlers) { a, _ in a }),
        nouns: ["feedback": "what agencies and citizens report, answered before its deadline",
                "recommendation": "changes to make, with an owner and a due date",
                "request": "written requests of the Office and the Department to fix something"],
        policies: PolicyDefinition.feedback,
        status: FeedbackStats.section,
        incidentLinks: FeedbackStats.incidentLinks)
}
