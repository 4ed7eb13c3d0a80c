import OpsProtocol
import Foundation

/// The Prometheus text exposition format (version 0.0.4), as node_exporter's
/// textfile collector and `promtool check metrics` read it: per family a
/// `# HELP` and a `# TYPE` line, then its samples.
public enum PrometheusText {
    public static func render(_ families: [MetricFamily]) -> String {
        var text = ""
        for family in families {
            text += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            text += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                text += family.name + sample.suffix
                if !sample.labels.isEmpty {
                    text += "{" + sample.labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }
                        .joined(separator: ",") + "}"
                }
                text += " \(number(sample.value))\n"
            }
        }
        return text
    }

    /// A sample value as Prometheus reads it: whole numbers without a fraction (counts read
    /// as counts); infinities as Prometheus spells them.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    static func escapeHelp(_ text: String) -> String {
        text.escapingScalars(["\\": "\\\\", "\n": "\\n"])
    }

    static func escapeLabel(_ text: String) -> String {
        text.escapingScalars(["\\": "\\\\", "\n": "\\n", "\"": "\\\""])
    }
}
