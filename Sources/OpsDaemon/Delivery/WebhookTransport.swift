import OpsProtocol
import Foundation
import FoundationNetworking
import PortalOps

/// POSTs a JSON document to a webhook. 2xx is delivered; 408, 429 and 5xx
/// (and network errors) are retried; any other 4xx means the receiver will
/// never take it, so the delivery is dead at once.
///
/// What comes back is not trusted: redirects are not followed (a 3xx is
/// dead, "redirect not followed (to HOST)" — following one would let the
/// receiver send opsd's POST, or a GET, where the allow-list never looked),
/// and of an answer only its status code and a short reason written here are
/// stored, never the body (it may hold the receiver's secrets or terminal
/// escapes, and the outbox is read by many). Messages name the host, never
/// the URL, whose path or query may hold a token.
final class WebhookTransport: @unchecked Sendable {
    /// One session for every call: a session per request leaks.
    private let session: URLSession

    /// Answers every redirect with "do not follow", so the task completes
    /// with the 3xx response itself.
    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask,
                        willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
                        completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.httpMaximumConnectionsPerHost = 8
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    func post(_ body: [UInt8], to address: String, idempotencyKey: String, timeoutMilliseconds: Int64,
              contentType: String = "application/json; charset=utf-8") -> Outbox.Outcome {
        guard let url = URL(string: address) else { return .rejected(error: "the webhook address is not a URL") }
        let host = url.host ?? "?"
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: Double(timeoutMilliseconds) / 1000)
        request.httpMethod = "POST"
        request.httpBody = Data(body)
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        request.setValue("PortalOps/\(PortalOpsVersion.text)", forHTTPHeaderField: "User-Agent")

        final class Box: @unchecked Sendable { var outcome: Outbox.Outcome = .failed(error: "no answer") }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { _, response, error in
            defer { done.signal() }
            if let error {
                box.outcome = .failed(error: Self.reason("POST to \(host): \(error.localizedDescription)"))
                return
            }
            guard let http = response as? HTTPURLResponse else {
                box.outcome = .failed(error: "POST to \(host): no HTTP response")
                return
            }
            box.outcome = Self.outcome(http)
        }
        task.resume()
        if done.wait(timeout: .now() + .milliseconds(Int(timeoutMilliseconds) + 5_000)) == .timedOut {
            task.cancel()
            return .failed(error: "POST to \(host): no answer within \(DurationText.milliseconds(timeoutMilliseconds))")
        }
        return box.outcome
    }

    /// What a response means, from its status code alone.
    static func outcome(_ http: HTTPURLResponse) -> Outbox.Outcome {
        let code = http.statusCode
        let status = "HTTP \(code) " + HTTPURLResponse.localizedString(forStatusCode: code)
        switch code {
        case 200..<300: return .sent(detail: reason(status))
        case 300..<400:
            let location = (http.value(forHTTPHeaderField: "Location")).flatMap { URL(string: $0)?.host } ?? "?"
            return .rejected(error: reason("\(status): redirect not followed (to \(location)); "
                                           + "give the recipient its final URL"))
        case 408, 429, 500...: return .failed(error: reason(status))
        default: return .rejected(error: reason("\(status) (a client error: not retried)"))
        }
    }

    /// At most 200 characters, without control characters: what is stored
    /// and later printed on an operator's terminal.
    static func reason(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        return clean.count <= 200 ? clean : String(clean.prefix(199)) + "…"
    }
}
