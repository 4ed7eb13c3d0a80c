import OpsProtocol

extension PolicyDefinition {
    public static let mailFrom = PolicyDefinition("mail.from", .mailbox,
        default: "PortalOps <portalops@localhost.localdomain>", "the From of every mail, 'Name <address>'")
    public static let deliveryGiveUpAfter = PolicyDefinition("delivery.give_up_after", .duration(60_000...2_592_000_000),
        default: "2d", "a delivery still failing this long after its first try is dead")
    public static let deliveryTimeout = PolicyDefinition("delivery.timeout", .duration(1_000...600_000), default: "1m",
        "a sendmail run or webhook call taking longer is stopped and retried")
    public static let deliveryConcurrency = PolicyDefinition("delivery.concurrency", .integer(1...32), default: "4",
        "deliveries sent at the same time")

    static let delivery: [PolicyDefinition] = [mailFrom, deliveryGiveUpAfter, deliveryTimeout, deliveryConcurrency]
}
