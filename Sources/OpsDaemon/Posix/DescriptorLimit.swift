@preconcurrency import Glibc

/// The number of descriptors opsd may hold open (RLIMIT_NOFILE).
///
/// systemd, and most shells, start a process with a soft limit of 1,024, kept low for programs that
/// still use select(2); opsd does not. At its connection cap (`SocketServer.maximumConnections`, one
/// descriptor each) opsd then had no descriptor left for ops.db's readers, a backup's files or
/// sendmail's pipes: the soak (issue 18) found a backup failing with "unable to open database file"
/// at 990 idle connections. So opsd raises its soft limit at start, towards the hard limit the
/// administrator allows, as Go's runtime and nginx's `worker_rlimit_nofile` do.
enum DescriptorLimit {
    /// Every connection at the cap, and as many again for readers, files, pipes and probes.
    static let wanted = rlim_t(SocketServer.maximumConnections * 2 + 1_024)

    /// The soft and hard limits now.
    static func current() -> (soft: rlim_t, hard: rlim_t) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return (0, 0) }
        return (limit.rlim_cur, limit.rlim_max)
    }

    /// Raises the soft limit to `wanted`, or to the hard limit if that is lower. Returns a line for
    /// the log when the limit stays below `wanted` (the administrator's hard limit is too low), else nil.
    @discardableResult
    static func raise() -> String? {
        let (soft, hard) = current()
        let target = min(wanted, hard)
        if soft < target {
            var limit = rlimit(rlim_cur: target, rlim_max: hard)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let now = current().soft
        guard now < wanted else { return nil }
        return "open-file limit is \(now) (hard \(hard)): at \(SocketServer.maximumConnections) connections "
            + "opsd would run out of descriptors; raise it (systemd: LimitNOFILE=\(wanted))"
    }
}
