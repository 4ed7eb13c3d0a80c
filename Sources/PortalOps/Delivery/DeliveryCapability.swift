import OpsProtocol

extension Capability {
    /// Recipients, groups and the outbox every message goes through.
    public static let delivery = Capability(
        "delivery",
        migrations: [RecipientStore.migration, Outbox.migration, Outbox.securityMigration,
                     Outbox.cancelMigration, Outbox.bodyMigration, IncidentSubscriptions.migration],
        commands: [AddRecipient.command, ListRecipients.command, ShowRecipient.command, UpdateRecipient.command,
                   RemoveRecipient.command, ImportRecipients.command, TestRecipient.command, ListGroups.command,
                   ListOutbox.command, ShowDelivery.command, RetryDelivery.command,
                   CancelDelivery.command, SubscribeRecipient.command, UnsubscribeRecipient.command],
        nouns: ["recipient": "who receives notices and alerts", "group": "groups of recipients",
                "outbox": "messages on their way, with every attempt"],
        policies: PolicyDefinition.delivery,
        status: OutboxStatus.section,
        recover: { context in
            let interrupted = try Outbox(context.db).recoverInterrupted(now: context.now)
            guard interrupted > 0 else { return [] }
            return ["\(interrupted) deliveries were being sent when opsd stopped; queued again "
                    + "(receivers can drop repeats by their Message-ID or Idempotency-Key)"]
        },
        metrics: OutboxMetrics.families)
}
