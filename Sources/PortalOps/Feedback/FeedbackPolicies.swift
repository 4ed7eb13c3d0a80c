import OpsProtocol

extension PolicyDefinition {
    static let feedback: [PolicyDefinition] = [
        PolicyDefinition("feedback.response_within", .workingDays(1...60), default: "5wd",
                         "feedback is answered within this many working days of receipt"),
    ]
}
