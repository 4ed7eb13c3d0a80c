@testable import PortalOps

extension CommandHarness {
    /// Plays opsd's delivery worker once: every due delivery is accepted, except those to `failing`
    /// recipients, which the mail server refuses for good (dead).
    func deliverAll(failing: Set<String> = []) throws {
        try db.transaction {
            let outbox = Outbox(db)
            for job in try outbox.claimDue(now: clock.now(), limit: 10_000) {
                let outcome: Outbox.Outcome = failing.contains(job.delivery.recipient)
                    ? .rejected(error: "550 5.1.1 mailbox unavailable") : .sent(detail: "250 2.0.0 queued")
                try outbox.finish(job, outcome: outcome, now: clock.now(), giveUpAfter: 86_400_000)
            }
        }
    }
}
