import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OpsProtocol
import SQLite

/// Where a webhook may send opsd. A webhook is a request opsd makes from
/// inside the provider's network, so a URL naming this machine (loopback),
/// the cloud metadata service (link-local) or the private network behind it
/// would let whoever edits recipients reach what they cannot reach
/// themselves. Such targets are refused unless `delivery.webhook_allow` (an
/// admin's setting) names the host or a network holding its addresses.
///
/// Checked when a recipient's webhook is added or changed, and again before
/// every delivery (a name may resolve elsewhere by then). What remains: the
/// HTTP client resolves the name once more when it connects, so a DNS
/// server answering differently within that moment is not caught here.
public enum WebhookAddresses {
    /// One entry of the allow-list: a host name as written in URLs, or a network.
    enum Entry: Equatable {
        case host(String)
        case network(bytes: [UInt8], prefix: Int)

        var text: String {
            switch self {
            case .host(let name): name
            case .network(let bytes, let prefix):
                Self.format(bytes) + (prefix == bytes.count * 8 ? "" : "/\(prefix)")
            }
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard case .network(let bytes, let prefix) = self else { return false }
            return WebhookAddresses.prefix(of: address, prefix) == WebhookAddresses.prefix(of: bytes, prefix)
                && address.count == bytes.count
        }

        static func format(_ bytes: [UInt8]) -> String {
            if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
            return inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil
                ? String(cString: buffer) : bytes.map { String($0, radix: 16) }.joined(separator: ":")
        }
    }

    /// The stored form of an allow-list (`a,b/16`), or `.usage` naming the bad entry.
    public static func canonicalAllowList(_ text: String, key: String) throws -> String {
        try entries(text, key: key).map(\.text).joined(separator: ",")
    }

    static func entries(_ text: String, key: String = PolicyDefinition.deliveryWebhookAllow.key) throws -> [Entry] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map {
            guard let entry = entry($0) else {
                throw OpsError.usage("'\($0)' is not a host name, IP address or CIDR network for \(key)")
            }
            return entry
        }
    }

    static func entry(_ text: String) -> Entry? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let bytes = strictAddress(parts[0]) {
            let width = bytes.count * 8
            guard parts.count <= 2 else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) : width
            guard let prefix, (0...width).contains(prefix) else { return nil }
            return .network(bytes: bytes, prefix: prefix)
        }
        let name = text.lowercased()
        guard parts.count == 1, !name.isEmpty,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            return nil
        }
        return .host(name)
    }

    /// Why opsd must not call `url` under `allowList`, or nil when it may.
    /// `resolve` turns a host name into addresses (nil: it does not resolve
    /// now, which is left to the delivery to report).
    public static func refusal(for url: String, allowList: String,
                               resolve: (String) -> [[UInt8]]? = systemResolve) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
              ["http", "https"].contains(scheme) else {
            return "the webhook must be an http or https URL"
        }
        guard var host = parsed.host?.lowercased(), !host.isEmpty else { return "the webhook URL has no host" }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let allowed = (try? entries(allowList)) ?? []
        if allowed.contains(.host(host)) { return nil }
        let addresses: [[UInt8]]
        if let numeric = numericAddresses(host) {
            addresses = numeric
        } else if host == "localhost" || host.hasSuffix(".localhost") {
            addresses = [[127, 0, 0, 1], Array(repeating: 0, count: 15) + [1]]
        } else {
            addresses = resolve(host) ?? []
        }
        for address in addresses {
            guard let kind = kind(of: address), !allowed.contains(where: { $0.contains(address) }) else { continue }
            let shown = Entry.format(address)
            let via = shown == host ? "" : " (\(shown))"
            return "webhook host \(host)\(via) is \(kind): opsd does not call it unless an admin allows it "
                + "with 'opsctl policy set \(PolicyDefinition.deliveryWebhookAllow.key) \(host)'"
        }
        return nil
    }

    /// Refuses (exit 1) a webhook the allow-list in force does not permit.
    static func check(_ url: String, _ db: Connection) throws {
        let allowList = try PolicyStore(db).value(.deliveryWebhookAllow)
        if let reason = refusal(for: url, allowList: allowList) { throw OpsError.refused(reason) }
    }

    /// Loopback, link-local, private, or unspecified (which reaches this
    /// machine too); nil for anything else.
    static func kind(of address: [UInt8]) -> String? {
        if address.count == 16 {
            if address.prefix(10).allSatisfy({ $0 == 0 }) && address[10] == 0xff && address[11] == 0xff {
                return kind(of: Array(address.suffix(4)))   // IPv4-mapped
            }
            if address.prefix(15).allSatisfy({ $0 == 0 }) {
                return address[15] == 1 ? "loopback" : address[15] == 0 ? "unspecified" : nil
            }
            if address[0] == 0xfe && address[1] & 0xc0 == 0x80 { return "link-local" }
            if address[0] & 0xfe == 0xfc { return "private" }
            return nil
        }
        guard address.count == 4 else { return nil }
        switch (address[0], address[1]) {
        case (127, _): return "loopback"
        case (0, _): return "unspecified"
        case (169, 254): return "link-local"
        case (10, _), (192, 168): return "private"
        case (172, let b) where (16...31).contains(b): return "private"
        default: return nil
        }
    }

    static func prefix(of bytes: [UInt8], _ bits: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let keep = max(0, min(8, bits - index * 8))
            return keep == 8 ? byte : byte & UInt8(truncatingIfNeeded: 0xff << (8 - keep))
        }
    }

    /// A dotted-quad or IPv6 literal, parsed strictly (for the allow-list).
    static func strictAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// The addresses a numeric host means to the resolver the HTTP client
    /// uses, legacy forms included (`2130706433`, `0x7f.1` are 127.0.0.1);
    /// nil for a name. Never touches the network (`AI_NUMERICHOST`).
    static func numericAddresses(_ host: String) -> [[UInt8]]? {
        lookup(host, flags: AI_NUMERICHOST)
    }

    /// The system resolver (what the HTTP client will use); nil when the
    /// name does not resolve.
    public static func systemResolve(_ host: String) -> [[UInt8]]? {
        lookup(host, flags: 0)
    }

    private static func lookup(_ host: String, flags: Int32) -> [[UInt8]]? {
        var hints = addrinfo()
        hints.ai_flags = flags
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(first) }
        var result: [[UInt8]] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let address = info.pointee.ai_addr {
                switch Int32(address.pointee.sa_family) {
                case AF_INET:
                    var a = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                    result.append(withUnsafeBytes(of: &a) { Array($0) })
                case AF_INET6:
                    var a = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    result.append(withUnsafeBytes(of: &a) { Array($0) })
                default: break
                }
            }
            cursor = info.pointee.ai_next
        }
        return result.isEmpty ? nil : result
    }
}
