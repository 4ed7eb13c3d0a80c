import OpsProtocol
@testable import PortalOps
import XCTest

/// The one redaction function, and the address rules behind `delivery.webhook_allow`.
final class RedactionTests: XCTestCase {
    func testSecretLookingPartsAreReplaced() {
        let cases = [
            ("https://user:pw@host.vn/x", "https://REDACTED@host.vn/x"),
            ("https://host.vn/hook?token=abc&x=1", "https://host.vn/hook?REDACTED"),
            ("PGPASSWORD=secret pg_dump -Fc portal", "PGPASSWORD=REDACTED pg_dump -Fc portal"),
            ("pg_dump 'host=db password=p w' -Fc", "pg_dump 'host=REDACTED password=REDACTED w' -Fc"),
            ("mysqldump --password=x db", "mysqldump --password=REDACTED db"),
            ("A=\"two words\" cmd", "A=REDACTED cmd"),
            ("pg_restore -l > /dev/null", "pg_restore -l > /dev/null"),
            ("createdb {path} && pg_restore -d {path}", "createdb {path} && pg_restore -d {path}"),
            ("https://a:b@x.vn/p?q=1 and postgres://u:p@db/x",
             "https://REDACTED@x.vn/p?REDACTED and postgres://REDACTED@db/x"),
        ]
        for (input, expected) in cases { XCTAssertEqual(Redaction.redact(input), expected, input) }
    }

    func testAuditedValuesKeepTheHashOfWhatWasTyped() {
        let audited = Redaction.audited(.string("PGPASSWORD=s pg_dump"))
        XCTAssertEqual(audited["redacted"]?.stringValue, "PGPASSWORD=REDACTED pg_dump")
        XCTAssertEqual(audited["sha256"]?.stringValue, SHA256.hex("PGPASSWORD=s pg_dump"))
    }

    func testAddressKinds() {
        let refused = { (url: String, allow: String) in
            WebhookAddresses.refusal(for: url, allowList: allow) { _ in nil }
        }
        XCTAssertNil(refused("https://203.0.113.9/x", ""))
        XCTAssertNil(refused("https://172.32.0.1/x", ""), "outside 172.16/12")
        XCTAssertNotNil(refused("https://172.16.0.1/x", ""))
        XCTAssertNotNil(refused("http://[fe80::1]/x", ""))
        XCTAssertNotNil(refused("http://[fc00::1]/x", ""))
        XCTAssertNil(refused("http://[2001:db8::1]/x", ""))
        XCTAssertNil(refused("http://127.0.0.1/x", "127.0.0.0/8"))
        XCTAssertNil(refused("http://localhost:1/x", "localhost"), "a host name entry allows that name")
        // A name is judged by what it resolves to.
        let resolvesInside = WebhookAddresses.refusal(for: "https://hook.example/x", allowList: "") { _ in
            [[10, 0, 0, 1]]
        }
        XCTAssertTrue(resolvesInside?.contains("10.0.0.1") == true, resolvesInside ?? "")
        XCTAssertEqual(try WebhookAddresses.canonicalAllowList(" 10.0.0.0/8 , Hook.Example,::1 ", key: "k"),
                       "10.0.0.0/8,hook.example,::1")
        XCTAssertThrowsError(try WebhookAddresses.canonicalAllowList("10.0.0.0/40", key: "k"))
        XCTAssertThrowsError(try WebhookAddresses.canonicalAllowList("a b", key: "k"))
    }
}
