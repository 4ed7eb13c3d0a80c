import OpsProtocol
@testable import PortalOps
import XCTest

/// Issue 16, item 5: a webhook may not point opsd at the machine itself or
/// at the private network behind it unless an admin allows that target.
/// Only literal addresses and `localhost` are used here: no test sends a
/// DNS query or a packet off this machine.
final class WebhookAllowTests: XCTestCase {
    static let onThisMachineOrPrivate = [
        "http://127.0.0.1:9/hook", "http://127.1.2.3/x", "http://localhost:8080/x", "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/x", "http://10.0.0.5/x",
        "http://172.16.3.4/x", "http://172.31.255.255/x", "http://192.168.1.1/x", "http://[fd00::1]/x",
        "http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/x", "http://2130706433/x", "http://0x7f.1/x",
    ]

    func testInternalTargetsAreRefusedWithoutThePolicy() throws {
        let h = try CommandHarness()
        for (n, url) in Self.onThisMachineOrPrivate.enumerated() {
            h.assertRefused("recipient.add", ["key": .string("r\(n)"), "name": "R", "webhook": .string(url)],
                            saying: "delivery.webhook_allow")
        }
        try h.run("recipient.add", ["key": "ok", "name": "Public", "webhook": "https://203.0.113.5/hook"])
        h.assertRefused("recipient.update", ["key": "ok", "webhook": "http://127.0.0.1:9/hook"],
                        saying: "delivery.webhook_allow")
        let csv = "key,name,kind,emails,webhook,groups\nx,X,agency,,http://10.1.1.1/h,\n"
        h.assertRefused("recipient.import", ["file": .string(csv)],
                        saying: "delivery.webhook_allow")
    }

    func testTheAllowListLetsThroughWhatItNames() throws {
        let h = try CommandHarness()
        try h.run("policy.set", ["key": "delivery.webhook_allow", "value": "127.0.0.1, 10.20.0.0/16,fd00::/8"])
        try h.run("recipient.add", ["key": "sink", "name": "Sink", "webhook": "http://127.0.0.1:9/hook"])
        try h.run("recipient.add", ["key": "relay", "name": "Relay", "webhook": "http://10.20.3.4/hook"])
        try h.run("recipient.add", ["key": "v6", "name": "V6", "webhook": "http://[fd00::1]/hook"])
        h.assertRefused("recipient.add", ["key": "other", "name": "O", "webhook": "http://10.21.0.1/hook"],
                        saying: "delivery.webhook_allow")
        h.assertRefused("recipient.add", ["key": "lo2", "name": "L", "webhook": "http://127.0.0.2/hook"],
                        saying: "delivery.webhook_allow")
        XCTAssertEqual(try h.run("policy.list").data["policies"]?.arrayValue?
                           .first { $0["key"]?.stringValue == "delivery.webhook_allow" }?["value"]?.stringValue,
                       "127.0.0.1,10.20.0.0/16,fd00::/8")
        h.assertRefused("policy.set", ["key": "delivery.webhook_allow", "value": "10.0.0.0/33"], code: 2,
                        saying: "delivery.webhook_allow")
    }
}
