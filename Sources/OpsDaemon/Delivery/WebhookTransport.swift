import OpsProtocol
import Foundation
import FoundationNetworking
import PortalOps

/// POSTs a JSON document to a webhook. 2xx is delivered; 408, 429 and 5xx
/// (and network errors) are retried; any other 4xx means the receiver will
/// never take it, so the delivery is dead at once.
final class WebhookTransport: @unchecked Sendable {
    /// One session for every call: a session per request leaks.
    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.httpMaximumConnectionsPerHost = 8
        session = URLSession(configuration: configuration)
    }

    func post(_ body: [UInt8], to address: String, idempotencyKey: String, timeoutMilliseconds: Int64) -> Outbox.Outcome {
        guard let url = URL(string: address) else { return .rejected(error: "'\(address)' is not a URL") }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: Double(timeoutMilliseconds) / 1000)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("PortalOps/\(PortalOpsVersion.text)", forHTTPHeaderField: "User-Agent")

        final class Box: @unchecked Sendable { var outcome: Outbox.Outcome = .failed(error: "no answer") }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                box.outcome = .failed(error: "POST \(address): \(error.localizedDescription)")
                return
            }
            guard let http = response as? HTTPURLResponse else {
                box.outcome = .failed(error: "POST \(address): no HTTP response")
                return
            }
            let snippet = data.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? ""
            switch http.statusCode {
            case 200..<300: box.outcome = .sent(detail: "HTTP \(http.statusCode)")
            case 408, 429, 500...: box.outcome = .failed(error: "HTTP \(http.statusCode) \(snippet)")
            default: box.outcome = .rejected(error: "HTTP \(http.statusCode) \(snippet) (a client error: not retried)")
            }
        }
        task.resume()
        if done.wait(timeout: .now() + .milliseconds(Int(timeoutMilliseconds) + 5_000)) == .timedOut {
            task.cancel()
            return .failed(error: "POST \(address): no answer within \(DurationText.milliseconds(timeoutMilliseconds))")
        }
        return box.outcome
    }
}
