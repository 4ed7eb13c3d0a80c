import Foundation
import OpsProtocol
import SQLite

/// Collective names under "Nơi nhận:": a group of 120 communes is one line,
/// "- UBND các xã, phường;", as a clerk writes it, not 120 lines.
struct NoticeGroupLines {
    let db: Connection

    init(_ db: Connection) { self.db = db }

    func all() throws -> [(group: String, line: String)] {
        try db.query("SELECT group_name, line FROM notice_group_lines ORDER BY group_name")
            .map { ($0.string("group_name") ?? "", $0.string("line") ?? "") }
    }

    func set(_ group: String, line: String?, by actor: String, now: Int64) throws {
        if let line {
            try db.run("""
                INSERT INTO notice_group_lines(group_name, line, updated_at, updated_by) VALUES (?, ?, ?, ?)
                ON CONFLICT(group_name) DO UPDATE SET line = excluded.line, updated_at = excluded.updated_at,
                    updated_by = excluded.updated_by
                """, group, line, now, actor)
        } else {
            try db.run("DELETE FROM notice_group_lines WHERE group_name = ?", group)
        }
    }

    /// The lines under "Nơi nhận:" for `recipients` of `groups`, group by
    /// group in the given order: a group with a collective name is that one
    /// line; the members of the others each have theirs. Someone in two groups
    /// is covered by the first that lists them.
    func lines(groups: [String], recipients: [Recipient]) throws -> [String] {
        let collective = Dictionary(try all().map { ($0.group, $0.line) }, uniquingKeysWith: { a, _ in a })
        var lines: [String] = []
        var listed = Set<String>()
        for group in groups {
            let members = recipients.filter { $0.groups.contains(group) && !listed.contains($0.key) }
            guard !members.isEmpty else { continue }
            if let line = collective[group] {
                if !lines.contains(line) { lines.append(line) }
            } else {
                lines += members.map(\.name)
            }
            listed.formUnion(members.map(\.key))
        }
        lines += recipients.filter { !listed.contains($0.key) }.map(\.name)
        return lines
    }
}

/// `notice group-line`: the collective name that stands for a group's members in "Nơi nhận:".
enum SetGroupLine {
    static let group = Required.positional("group", .key, "the recipient group", valueName: "GROUP")
    static let line = Option.named("line", .text, "the collective name, e.g. 'UBND các xã, phường'")
    static let clear = Flag.named("clear", "list the group's members one by one again")

    static let command = Command(
        "notice.group-line", "Name a recipient group with one line under 'Nơi nhận:' instead of each member",
        roles: [.supervisor, .admin], audit: .changes, arguments: [group, line, clear], handler: set)

    static func set(_ context: CommandContext) throws -> Response {
        let group = try context[Self.group], line = try context[Self.line]
        switch (line, context[Self.clear]) {
        case (nil, false), (_?, true): throw OpsError.usage("give either --line TEXT or --clear")
        case (nil, true):
            try NoticeGroupLines(context.db).set(group, line: nil, by: context.caller.actorName, now: context.now)
            return Response(message: "Notices list the members of \(group) one by one", data: ["group": .string(group)])
        case (let line?, false):
            let trimmed = line.trimmingCharacters(in: CharacterSet(charactersIn: " -;."))
            guard !trimmed.isEmpty else { throw OpsError.usage("--line must name the group") }
            try NoticeGroupLines(context.db).set(group, line: trimmed, by: context.caller.actorName, now: context.now)
            return Response(message: "Notices list \(group) as '- \(trimmed);'",
                            data: ["group": .string(group), "line": .string(trimmed)])
        }
    }
}
