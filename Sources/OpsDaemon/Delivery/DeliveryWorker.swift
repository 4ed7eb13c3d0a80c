import OpsProtocol
import Foundation
import PortalOps
import SQLite
import Synchronization

/// Sends what the outbox holds, off the writer: claims due deliveries
/// through the writer (committed as `sending` before anything leaves),
/// sends up to `delivery.concurrency` at once on their own threads, and
/// records each outcome through the writer.
final class DeliveryWorker: @unchecked Sendable {
    private let writer: Writer
    private let sendmail: SendmailTransport
    private let webhooks = WebhookTransport()
    private let time: LocalTime
    private let log: Log
    private let wake = DispatchSemaphore(value: 0)
    private let inFlight = Locked<Int>(0)
    private let running = Atomic<Bool>(true)

    /// How often the outbox is looked at when nothing pokes the worker:
    /// retries fall due with the passing of time (or of the test clock).
    static let pollMilliseconds = 250

    init(writer: Writer, sendmailCommand: String, time: LocalTime, log: Log) {
        self.writer = writer
        self.sendmail = SendmailTransport(command: sendmailCommand)
        self.time = time
        self.log = log
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "opsd-delivery"
        thread.start()
    }

    /// Looks at the outbox now instead of at the next poll.
    func poke() { wake.signal() }

    /// Stops claiming and waits (up to `timeout`) for sends in flight, so a
    /// clean stop does not leave deliveries to be sent twice.
    func stop(timeoutMilliseconds: Int = 10_000) {
        running.store(false, ordering: .releasing)
        wake.signal()
        var waited = 0
        while inFlight.withLock({ $0 }) > 0 && waited < timeoutMilliseconds {
            usleep(10_000)
            waited += 10
        }
    }

    private struct Settings {
        var from: MailAddress
        var concurrency: Int
        var timeout: Int64
        var giveUpAfter: Int64
        var webhookAllow: String
    }

    private func loop() {
        while running.load(ordering: .acquiring) {
            do {
                try claimAndSend()
            } catch {
                log.event("delivery: \(error)")
            }
            _ = wake.wait(timeout: .now() + .milliseconds(Self.pollMilliseconds))
        }
    }

    private func claimAndSend() throws {
        // A read first: most polls find nothing due and write nothing.
        let (settings, isDue) = try writer.read { db, now in
            (try loadSettings(db), (try Outbox(db).nextDue()).map { $0 <= now } ?? false)
        }
        let free = settings.concurrency - inFlight.withLock { $0 }
        guard isDue, free > 0 else { return }
        let jobs = try writer.write { db, now in try Outbox(db).claimDue(now: now, limit: free) }
        for job in jobs {
            inFlight.withLock { $0 += 1 }
            let thread = Thread { [self] in
                defer {
                    inFlight.withLock { $0 -= 1 }
                    wake.signal()
                }
                let outcome = send(job, settings)
                do {
                    let state = try writer.write { db, now in
                        try Outbox(db).finish(job, outcome: outcome, now: now, giveUpAfter: settings.giveUpAfter)
                    }
                    let what = "delivery \(job.delivery.id) (\(job.message.kind)) to \(job.delivery.recipient) by \(job.delivery.channel.rawValue)"
                    switch outcome {
                    case .sent: log.event("\(what): sent")
                    case .failed(let error), .rejected(let error): log.event("\(what): \(state.rawValue): \(error)")
                    }
                } catch {
                    log.event("delivery \(job.delivery.id): could not record the outcome (\(error)); it will be sent again")
                }
            }
            thread.name = "opsd-send"
            thread.start()
        }
    }

    private func loadSettings(_ db: Connection) throws -> Settings {
        let policies = PolicyStore(db)
        let from = (try? MailAddress.parse(try policies.value(.mailFrom)))
            ?? MailAddress(name: "PortalOps", address: "portalops@localhost.localdomain")
        return Settings(from: from,
                        concurrency: Int(try policies.integer(.deliveryConcurrency)),
                        timeout: try policies.milliseconds(.deliveryTimeout),
                        giveUpAfter: try policies.milliseconds(.deliveryGiveUpAfter),
                        webhookAllow: try policies.value(.deliveryWebhookAllow))
    }

    private func send(_ job: DeliveryJob, _ settings: Settings) -> Outbox.Outcome {
        let delivery = job.delivery
        switch delivery.channel {
        case .email:
            let mail = MailMessage(from: settings.from, to: MailAddress(name: job.recipientName, address: delivery.address),
                                   date: job.createdAt, time: time, token: delivery.token, message: job.message)
            return sendmail.send(mail.rendered(), timeoutMilliseconds: settings.timeout)
        case .webhook:
            // Again at each delivery: the name may resolve elsewhere now, or the allow-list have changed.
            if let refusal = WebhookAddresses.refusal(for: delivery.address, allowList: settings.webhookAllow) {
                return .rejected(error: "refused by \(PolicyDefinition.deliveryWebhookAllow.key): \(refusal)")
            }
            if let rendered = delivery.body {
                return webhooks.post(Array(rendered.utf8), to: delivery.address, idempotencyKey: delivery.token,
                                     timeoutMilliseconds: settings.timeout,
                                     contentType: delivery.contentType ?? "text/plain; charset=utf-8")
            }
            let body: JSON = ["id": .string(delivery.token), "kind": .string(job.message.kind),
                              "subject": .string(job.message.subject), "text": .string(job.message.text),
                              "reference": JSON(job.message.reference), "created_at": .string(time.iso8601(job.createdAt)),
                              "recipient": ["key": .string(delivery.recipient), "name": .string(job.recipientName)],
                              "data": job.message.payload]
            return webhooks.post(Array(body.serialized().utf8), to: delivery.address, idempotencyKey: delivery.token,
                                 timeoutMilliseconds: settings.timeout)
        }
    }
}
