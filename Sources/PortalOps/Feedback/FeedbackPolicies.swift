import OpsProtocol

extension PolicyDefinition {
    public static let feedbackResponseWithin = PolicyDefinition(
        "feedback.response_within", .workingDays(1...60), default: "5wd",
        "feedback is answered within this many working days of receipt")

    static let feedback: [PolicyDefinition] = [feedbackResponseWithin]
}
