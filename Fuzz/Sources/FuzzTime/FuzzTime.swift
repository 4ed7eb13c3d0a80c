import FuzzSupport
import Foundation
@testable import OpsProtocol

/// Time and duration parsing as every `.time`, `.date` and `.duration` argument meets it, in the console's zone
/// and in UTC. Invariants: a parse answers with a value or a typed error; an accepted time printed back by
/// `format` and `iso8601` parses to the same instant (what opsctl shows can be typed again), and a duration's
/// `description` parses to the same duration.
@_cdecl("FuzzTime_main")
public func fuzzTimeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzzer.run(argc, argv, fuzzTime)
}

private let zones = [LocalTime(zone: TimeZone(identifier: LocalTime.defaultZoneIdentifier) ?? .gmt),
                     LocalTime(zone: .gmt)]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTime(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: Fuzzer.bytes(data, size), as: UTF8.self)
    for time in zones {
        if let instant = try? ArgumentType<Instant>.time.decode(text, time) {
            let ms = instant.milliseconds
            for shown in [time.format(ms), time.iso8601(ms)] {
                let again = try? time.parseTime(shown)
                Fuzzer.require(again == ms,
                               "'\(text)' is \(ms) ms, shown as '\(shown)', read back as \(String(describing: again))")
            }
            _ = time.rfc5322(ms)
            _ = time.dateText(ms)
        }
        if let day = try? ArgumentType<Instant>.date.decode(text, time) {
            let shown = time.dateText(day.milliseconds)
            let again = try? time.parseDate(shown)
            Fuzzer.require(again == day.milliseconds,
                           "date '\(text)' shown as '\(shown)' reads as \(String(describing: again))")
        }
    }
    if let minutes = try? LocalTime.parseTimeOfDay(text) {
        Fuzzer.require((0..<1440).contains(minutes), "time of day '\(text)' is \(minutes) minutes")
    }
    if let duration = try? ArgumentType<DurationText>.duration.decode(text, zones[0]) {
        let again = try? DurationText.parse(duration.description)
        Fuzzer.require(again == duration,
                       "duration '\(text)' shown as '\(duration)' reads as \(String(describing: again))")
        if case .milliseconds(let ms) = duration { _ = DurationText.elapsed(ms) }
    }
    return 0
}
