import OpsProtocol

/// What the `check.*` commands share: who may change checks, who may read them.
enum CheckCommand {
    /// Who may add, pause, resume, remove and run checks.
    static let keepers: Set<Role> = [.operator, .supervisor, .admin]
    /// Who may read check state: every person and monitoring systems.
    static let readers: Set<Role> = Set<Role>.everyone.union([.monitor])
    /// Who may report results: monitoring systems and the people who keep checks.
    static let reporters: Set<Role> = keepers.union([.monitor])
    static let check = Required.positional("check", .key, "the check's key", valueName: "KEY")
}

enum AddCheck {
    static let component = Required.named("component", .key, "the component it watches", valueName: "KEY")
    static let http = Option.named("http", .text, "probe this http:// or https:// URL", valueName: "URL")
    static let expectStatus = Option.named("expect-status", .text, "accepted HTTP statuses (default 200-399)",
                                           valueName: "RANGE")
    static let contains = Option.named("contains", .text, "the body must contain this text", valueName: "TEXT")
    static let maxLatency = Option.named("max-latency", .duration, "slower answers fail", valueName: "DURATION")
    static let certWarn = Option.named("cert-warn", .duration,
                                       "https: warn this long before the certificate expires (default 14d)",
                                       valueName: "DURATION")
    static let tcp = Option.named("tcp", .text, "connect to HOST:PORT", valueName: "HOST:PORT")
    static let dns = Option.named("dns", .text, "resolve this name", valueName: "NAME")
    static let expect = Option.named("expect", .text, "--dns: the name must resolve to this address",
                                     valueName: "ADDRESS")
    static let sqlite = Option.named("sqlite", .key, "open this SQLite backup target read-only: SELECT 1, and "
                                        + "quick_check every checks.sqlite_quick_check", valueName: "TARGET")
    static let disk = Option.named("disk", .text, "free space of the file system holding PATH", valueName: "PATH")
    static let minFree = Option.named("min-free", .integer(0...100), "--disk: fail below this percentage free",
                                      valueName: "PERCENT")
    static let pluginCommand = Option.named(
        "command", .text, "a Nagios-compatible plugin, e.g. '/usr/lib/nagios/plugins/check_tcp -H db -p 5432' "
            + "(exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; first line is the detail)",
        valueName: "CMD").command()
    static let heartbeat = Flag.named("heartbeat", "pushed: something outside pings it with 'opsctl check ping'")
    static let every = Option.named("every", .duration, "--heartbeat: expected ping interval", valueName: "DURATION")
    static let grace = Option.named("grace", .duration, "--heartbeat: lateness allowed (default 0s)",
                                    valueName: "DURATION")
    static let interval = Option.named("interval", .duration, "how often to probe (default 30s)",
                                       valueName: "DURATION")
    static let timeout = Option.named("timeout", .duration, "a probe taking longer fails (default 5s)",
                                      valueName: "DURATION")
    static let failAfter = Option.named("fail-after", .integer(1...100),
                                        "consecutive failures before it is down and an incident opens "
                                            + "(default 3; 1 for heartbeats)", valueName: "N")
    static let recoverAfter = Option.named("recover-after", .integer(1...100),
                                           "consecutive successes before it is up again (default 2)", valueName: "N")
    static let severity = Option.named("severity", .choice(Incident.Severity.self),
                                       "severity of its incident (default sev2)")
    static let command = Command(
        "check.add", "Watch something: an HTTP(S) URL, a TCP port, a name, a SQLite target, a disk, a plugin, "
            + "or a heartbeat", roles: CheckCommand.keepers, audit: .changes,
        arguments: [CheckCommand.check, component, http, expectStatus, contains, maxLatency, certWarn, tcp, dns,
                    expect, sqlite, disk, minFree, pluginCommand, heartbeat, every, grace, interval, timeout,
                    failAfter, recoverAfter, severity],
        details: """
            Give exactly one of --http, --tcp, --dns, --sqlite, --disk (with --min-free), --command or
            --heartbeat (with --every). After --fail-after consecutive failures opsd opens one incident (source
            monitor); after --recover-after successes it notes the recovery and resolves it when
            checks.resolve_on_recovery says so. Failures while a maintenance window covering the component is in
            progress are recorded as maintenance and open nothing. Only an admin may give --command.
            """,
        handler: CheckWork.add)
}

enum ListChecks {
    static let component = Option.named("component", .key, "only checks of this component", valueName: "KEY")
    static let command = Command("check.list", "List checks: state, last result and since when",
                                 roles: CheckCommand.readers, audit: .none, arguments: [component],
                                 handler: CheckViews.list)
}

enum ShowCheck {
    static let limit = Option.named("limit", .integer(1...10_000), "results to show (default 20)")
    static let command = Command("check.show", "Show a check with its recent results and hourly rollups",
                                 roles: CheckCommand.readers, audit: .none, arguments: [CheckCommand.check, limit],
                                 handler: CheckViews.show)
}

enum PauseCheck {
    static let reason = Option.named("reason", .text, "why (known work, a retired target)")
    static let command = Command("check.pause", "Stop probing a check (its time counts as unknown)",
                                 roles: CheckCommand.keepers, audit: .changes,
                                 arguments: [CheckCommand.check, reason], handler: CheckWork.pause)
}

enum ResumeCheck {
    static let command = Command("check.resume", "Probe a paused check again", roles: CheckCommand.keepers,
                                 audit: .changes, arguments: [CheckCommand.check], handler: CheckWork.resume)
}

enum RemoveCheck {
    static let command = Command("check.remove", "Stop watching; its history stays for availability",
                                 roles: CheckCommand.keepers, audit: .changes, arguments: [CheckCommand.check],
                                 handler: CheckWork.remove)
}

enum RunCheck {
    static let command = Command("check.run", "Probe a check once, now: print and record the result",
                                 roles: CheckCommand.keepers, audit: .changes, arguments: [CheckCommand.check],
                                 job: CheckWork.run)
}

enum PingCheck {
    static let fail = Flag.named("fail", "report a failure (the job ran and failed)")
    static let detail = Option.named("detail", .text, "what to record, e.g. '1520 records synchronised'")
    static let command = Command("check.ping", "Report a heartbeat (the sync job, a cron script, Zabbix)",
                                 roles: CheckCommand.reporters, audit: .changes,
                                 arguments: [CheckCommand.check, fail, detail], handler: CheckWork.ping)
}

enum SubmitCheck {
    static let status = Required.named("status", .choice(ProbeStatus.self), "the result, as a Nagios plugin says it")
    static let detail = Option.named("detail", .text, "the first line of the plugin's output")
    static let latency = Option.named("latency", .integer(0...86_400_000), "how long it took, in milliseconds",
                                      valueName: "MS")
    static let command = Command("check.submit", "Submit a result measured elsewhere (a passive check)",
                                 roles: CheckCommand.reporters, audit: .changes,
                                 arguments: [CheckCommand.check, status, detail, latency], handler: CheckWork.submit)
}
