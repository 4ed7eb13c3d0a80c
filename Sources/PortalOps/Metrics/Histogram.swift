/// A Prometheus histogram kept in memory: cumulative bucket counts, sum and
/// count. Not thread-safe by itself; its owner holds it under a lock.
public struct Histogram: Sendable {
    public let bounds: [Double]
    private var counts: [UInt64]
    private var sum = 0.0
    private var count: UInt64 = 0

    public init(bounds: [Double]) {
        self.bounds = bounds
        self.counts = Array(repeating: 0, count: bounds.count)
    }

    public mutating func observe(_ value: Double) {
        for (index, bound) in bounds.enumerated() where value <= bound { counts[index] += 1 }
        sum += value
        count += 1
    }

    /// `_bucket` lines (cumulative, ending with `+Inf`), then `_sum` and `_count`.
    public var samples: [MetricSample] {
        var samples = zip(bounds, counts).map { bound, count in
            MetricSample(Double(count), labels: [("le", PrometheusText.number(bound))], suffix: "_bucket")
        }
        samples.append(MetricSample(Double(count), labels: [("le", "+Inf")], suffix: "_bucket"))
        samples.append(MetricSample(sum, suffix: "_sum"))
        samples.append(MetricSample(Double(count), suffix: "_count"))
        return samples
    }
}
