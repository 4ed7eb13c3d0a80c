import Foundation
import OpsProtocol

/// `opsctl(1)` and `opsd(8)`, written from the catalog and opsd's own flag
/// list at build time, so the pages name every noun, verb, option and role
/// of the binaries they ship with.
enum ManPages {
    /// The footer date: `SOURCE_DATE_EPOCH` (the package build sets it from
    /// the commit) so two builds of one commit give the same pages.
    static func date(environment: [String: String]) -> String {
        let seconds = environment["SOURCE_DATE_EPOCH"].flatMap(Double.init) ?? Date().timeIntervalSince1970
        let formatter = Date.ISO8601FormatStyle().year().month().day()
        return Date(timeIntervalSince1970: seconds).formatted(formatter)
    }

    static func opsctl(_ catalog: CommandCatalog, date: String) -> String {
        var page = header("OPSCTL", 1, date: date)
        page += """
            .SH NAME
            opsctl \\- the PortalOps console: operations, maintenance and incidents of the portal
            .SH SYNOPSIS
            .B opsctl
            .I NOUN VERB
            .RI [ ARGS ]
            .RB [ \\-\\-json ]
            .RB [ \\-\\-socket
            .IR PATH ]
            .br
            .B opsctl
            .RI [ NOUN " [" VERB ]]
            .B \\-\\-help
            .SH DESCRIPTION
            .B opsctl
            sends one request to
            .BR opsd (8)
            over its Unix socket and prints the answer. The daemon learns the caller\\(aqs uid from the kernel,
            maps it to an account and checks the account\\(aqs role against the roles each command allows
            (listed below). Every change and every refusal is recorded in the audit trail.
            .SH OPTIONS
            .TP
            .B \\-\\-json
            Print one JSON document with stable snake_case fields, for scripts.
            .TP
            .BI \\-\\-socket " PATH"
            The daemon\\(aqs socket (see
            .BR "FINDING THE DAEMON" ).
            .TP
            .B \\-\\-help
            Help for opsctl, a noun, or one command.
            .TP
            .B \\-\\-version
            Print the version.
            .SH COMMANDS

            """
        for noun in catalog.nouns {
            page += ".SS \(Roff.escape(noun))\n\(Roff.escape(catalog.nounSummaries[noun] ?? ""))\n"
            for spec in catalog.commands(noun: noun) {
                page += command(spec)
            }
        }
        page += """
            .SH INPUT FORMS
            A time is
            .I "2026\\-12\\-12 22:00"
            in the daemon\\(aqs zone or ISO 8601 with an offset
            .RI ( 2026\\-12\\-12T22:00+07:00 );
            a date is
            .IR 2026\\-12\\-12 ;
            a duration is 90s, 15m, 2h, 3d or 5wd (working days).
            .SH FINDING THE DAEMON
            .B \\-\\-socket
            or
            .B PORTALOPS_SOCKET
            names the socket, or
            .B PORTALOPS_DATA
            a data directory holding it; a socket named so is the only one tried. With none named, opsctl tries
            .I ./.portalops/opsd.sock
            (the daemon of a source checkout) and then
            .I /run/portalops/opsd.sock
            (the packaged service), and when neither answers says what it tried.
            .SH EXIT STATUS
            0 done; 1 refused by a rule (the message names the rule and what to do); 2 usage error;
            3 permission denied; 4 daemon unreachable; 5 internal error.
            .SH ENVIRONMENT
            .TP
            .B PORTALOPS_SOCKET
            The daemon\\(aqs socket.
            .TP
            .B PORTALOPS_DATA
            A data directory whose opsd.sock is used.
            .SH FILES
            .TP
            .I /run/portalops/opsd.sock
            The socket of the packaged service; members of the group
            .B portalops
            may connect.
            .TP
            .I /usr/share/doc/portalops/
            The README and the operators\\(aq runbooks.
            .SH SEE ALSO
            .BR opsd (8)

            """
        return page
    }

    static func command(_ spec: CommandSpec) -> String {
        let positional = spec.arguments.filter(\.isPositional).map(\.usage).joined(separator: " ")
        var text = ".TP\n\\fBopsctl \(Roff.escape(spec.words.joined(separator: " ")))\\fR"
            + (positional.isEmpty ? "" : " \\fI\(Roff.escape(positional))\\fR") + "\n"
        text += Roff.escape(spec.summary) + ".\n.br\nRoles: "
            + Roff.escape(spec.roles.sorted().map(\.rawValue).joined(separator: ", ")) + ".\n"
        let options = spec.arguments.filter { !$0.isPositional }
        let positionals = spec.arguments.filter(\.isPositional)
        if !positionals.isEmpty || !options.isEmpty {
            text += ".RS\n"
            for argument in positionals + options {
                let name = argument.isPositional
                    ? (argument.valueName ?? argument.kind.placeholder)
                    : argument.usage.trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
                var help = argument.help
                if argument.isRequired && !argument.isPositional { help += "; required" }
                if argument.isRepeated { help += "; may be repeated" }
                text += ".TP\n.B \"\(Roff.escape(name))\"\n\(Roff.escape(help))\n"
            }
            text += ".RE\n"
        }
        if let details = spec.details, !details.isEmpty {
            text += ".RS\n.PP\n" + Roff.paragraphs(details) + "\n.RE\n"
        }
        return text
    }

    /// opsd(8): its flags as `opsd --help` lists them.
    static func opsd(date: String) -> String {
        var page = header("OPSD", 8, date: date)
        page += """
            .SH NAME
            opsd \\- the PortalOps daemon: owns ops.db and serves opsctl over a Unix socket
            .SH SYNOPSIS
            .B opsd
            .RI [ OPTIONS ]
            .SH DESCRIPTION
            .B opsd
            owns the console\\(aqs SQLite database
            .RI ( DIR/ops.db ,
            mode 0600), runs every change through one writer with its audit entry in the same transaction,
            runs scheduled work (checks of its own records, backups, notices, escalation) and serves
            .BR opsctl (1)
            over a Unix socket. It runs in the foreground and logs one line per event to standard error.
            The uid that starts it on a new data directory, and root, become admins.
            .SH OPTIONS

            """
        for (flag, help) in DaemonOptions.flagHelp {
            page += ".TP\n.B \"\(Roff.escape(flag))\"\n\(Roff.escape(help))\n"
        }
        page += """
            .SH SIGNALS
            SIGTERM or SIGINT: finish requests in flight, checkpoint the database, remove the socket, exit 0.
            .SH EXIT STATUS
            0 stopped cleanly; 1 not started (data directory locked, damaged database, socket in use);
            2 usage error; 5 internal error.
            .SH FILES
            .TP
            .I /var/lib/portalops/
            The data directory of the packaged service (ops.db, backups), mode 0700, user
            .BR portalops .
            .TP
            .I /run/portalops/opsd.sock
            Its socket, group
            .BR portalops ,
            mode 0660.
            .TP
            .I /lib/systemd/system/portalops.service
            The unit that starts it.
            .SH SEE ALSO
            .BR opsctl (1),
            .BR systemd.exec (5)

            """
        return page
    }

    private static func header(_ title: String, _ section: Int, date: String) -> String {
        ".\\\" Generated at build time by opsctl-catalog from the command catalog; do not edit.\n"
            + ".TH \(title) \(section) \"\(date)\" \"PortalOps \(Roff.escape(PortalOpsVersion.text))\" "
            + "\"PortalOps manual\"\n"
    }
}
