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

    /// Where webhooks may go besides the public internet: see `WebhookAddresses`.
    public static let deliveryWebhookAllow = PolicyDefinition("delivery.webhook_allow", .networks, default: "",
        "webhook hosts, IPs or CIDRs allowed although loopback, link-local or private (e.g. '10.20.0.0/16')")

    static let delivery: [PolicyDefinition] = [mailFrom, deliveryGiveUpAfter, deliveryTimeout, deliveryConcurrency,
                                               deliveryWebhookAllow]
}
