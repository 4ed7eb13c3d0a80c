import OpsProtocol

extension Capability {
    /// Feedback, recommendations and the Office's and Department's requests.
    public static let feedback = Capability(
        "feedback",
        migrations: [FeedbackStore.migration, FeedbackStore.replyEmailMigration,
                     FeedbackStore.unansweredIndexMigration],
        commands: [AddFeedback.command, ListFeedback.command, ShowFeedback.command, RespondToFeedback.command,
                   CloseFeedback.command, ImportFeedback.command, FeedbackStatistics.command,
                   AddRecommendation.command, ListRecommendations.command, ShowRecommendation.command,
                   NoteRecommendation.command, FinishRecommendation.command, RejectRecommendation.command,
                   AddRequest.command, ListRequests.command, ShowRequest.command, FinishRequest.command],
        nouns: ["feedback": "what agencies and citizens report, answered before its deadline",
                "recommendation": "changes to make, with an owner and a due date",
                "request": "written requests of the Office and the Department to fix something"],
        policies: PolicyDefinition.feedback,
        status: FeedbackStats.section,
        incidentLinks: FeedbackStats.incidentLinks)
}
