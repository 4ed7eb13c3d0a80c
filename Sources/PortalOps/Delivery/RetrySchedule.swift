import OpsProtocol
/// When a failed delivery is tried again: about 1 min, 5 min, 30 min, 2 h,
/// then every 6 h, until the give-up window (policy `delivery.give_up_after`,
/// default 48 h from the first try or the last manual retry) has passed.
public enum RetrySchedule {
    static let delays: [Int64] = [60_000, 300_000, 1_800_000, 7_200_000]
    static let steady: Int64 = 21_600_000

    /// The delay after the `attempts`-th failed attempt (1-based).
    public static func delay(afterAttempt attempts: Int) -> Int64 {
        attempts >= 1 && attempts <= delays.count ? delays[attempts - 1] : steady
    }

    /// The next attempt time, or nil when the delivery should be given up.
    public static func nextAttempt(afterAttempt attempts: Int, now: Int64, windowStart: Int64, giveUpAfter: Int64) -> Int64? {
        let next = now + delay(afterAttempt: attempts)
        return next - windowStart > giveUpAfter ? nil : next
    }
}
