import OpsProtocol
import SQLite

/// Who issues and who signs: a notice goes out only in the name of a body
/// someone configured and over the name of a real person with the right to
/// sign, never over the defaults or a placeholder such as "Người ký".
public enum NoticeIssuer {
    /// The words people type while they mean "not decided yet".
    static let placeholders: Set<String> = ["", "-", "người ký", "người ký văn bản", "xxx", "...", "…", "tbd",
                                            "todo", "placeholder", "chưa có", "họ và tên", "ho va ten"]

    static func isPlaceholder(_ text: String) -> Bool {
        placeholders.contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// The settings `notice issuer` writes; a default is not a decision.
    static let issuerPolicies: [PolicyDefinition] = [.noticeParentBody, .noticeIssuer, .noticeIssuerName,
                                                     .noticeIssuerCode, .noticePlace]

    /// The signer's full name: the account's, once `notice signer` named one.
    static func signerName(_ policies: PolicyStore) throws -> String {
        let account = try policies.value(.noticeSigner)
        if !isPlaceholder(account), let user = try UserStore(policies.db).byName(account), let name = user.fullName {
            return name
        }
        return try policies.value(.noticeSignerName)
    }

    /// Refuses, naming the command that fixes it, while the issuer or the
    /// signer is unset, a placeholder, or a signer who may no longer sign.
    public static func requireConfigured(_ db: Connection) throws {
        let policies = PolicyStore(db)
        for definition in issuerPolicies {
            let stored = try db.queryRow("SELECT value FROM policies WHERE key = ?", definition.key)?.string("value")
            guard let stored, !isPlaceholder(stored) else {
                throw OpsError.refused("the issuing body is not configured (\(definition.key)); set it with "
                                       + "'opsctl notice issuer --name NAME --parent PARENT --code CODE --place PLACE'")
            }
        }
        let account = try policies.value(.noticeSigner)
        let fix = "'opsctl notice signer --user NAME --title TITLE [--authority kt|tl|tuq|tm|q --for POSITION]'"
        guard !isPlaceholder(account) else { throw OpsError.refused("no signer is configured; set one with \(fix)") }
        guard let user = try UserStore(db).byName(account), !user.disabled else {
            throw OpsError.refused("the signer '\(account)' has no enabled account; choose another with \(fix)")
        }
        guard let name = user.fullName, !isPlaceholder(name) else {
            throw OpsError.refused("the signer '\(account)' has no full name to print; choose an account that has "
                                   + "one ('opsctl user add … --full-name NAME') with \(fix)")
        }
        guard !isPlaceholder(try policies.value(.noticeSignerTitle)) else {
            throw OpsError.refused("the signer's title is not configured; set it with \(fix)")
        }
    }
}

/// The authority a signer signs with (Decree 30/2020 Art. 13): on behalf of
/// the head, by order, by delegation, for the collective, or as acting head.
enum SigningAuthority: String, CaseIterable, Sendable {
    case none, kt, tl, tuq, tm, q

    var prefix: String? {
        switch self {
        case .none: nil
        case .kt: "KT."
        case .tl: "TL."
        case .tuq: "TUQ."
        case .tm: "TM."
        case .q: "Q."
        }
    }
}

/// `notice issuer`: the body in whose name notices go out.
enum SetIssuer {
    static let name = Required.named("name", .text,
                                     "the body as the text names it, e.g. 'Sở Thông tin và Truyền thông'")
    static let parent = Required.named("parent", .text,
                                       "the parent body, e.g. 'UBND tỉnh Lào Cai' (printed upper case)")
    static let code = Required.named("code", .text, "the body's abbreviation in numbers: 15/TB-CODE", valueName: "CODE")
    static let place = Required.named("place", .text, "the place in the date line, e.g. 'Lào Cai'")

    static let command = Command(
        "notice.issuer", "Set the issuing body of written notices (name, parent, code, place)", roles: .admins,
        audit: .changes, arguments: [name, parent, code, place], handler: set)

    static func set(_ context: CommandContext) throws -> Response {
        let name = try context[Self.name], parent = try context[Self.parent], place = try context[Self.place]
        let code = try context[Self.code]
        guard code.range(of: "^[A-ZĐ0-9]+(-[A-ZĐ0-9]+)*$", options: .regularExpression) != nil else {
            throw OpsError.usage("--code '\(code)' must be upper-case letters and digits, e.g. STTTT or VNPT")
        }
        for (label, value) in [("--name", name), ("--parent", parent), ("--place", place)]
        where NoticeIssuer.isPlaceholder(value) {
            throw OpsError.usage("\(label) '\(value)' is a placeholder; give the real name")
        }
        let policies = PolicyStore(context.db), actor = context.caller.actorName
        let values: [(PolicyDefinition, String)] = [(.noticeIssuerName, name), (.noticeIssuer, name.uppercased()),
                                                    (.noticeParentBody, parent.uppercased()),
                                                    (.noticeIssuerCode, code), (.noticePlace, place)]
        for (definition, value) in values { try policies.set(definition.key, value, by: actor, now: context.now) }
        return Response(message: "Notices are issued by \(name) (\(code)), \(parent.uppercased()), at \(place)",
                        data: ["name": .string(name), "parent": .string(parent.uppercased()), "code": .string(code),
                               "place": .string(place)])
    }
}

/// `notice signer`: the person who signs, with the authority they sign with.
enum SetSigner {
    static let user = Required.named("user", .key, "the signer's account (a supervisor or admin with a full name)",
                                     valueName: "NAME")
    static let title = Required.named("title", .text, "the signer's position, e.g. 'Phó Giám đốc'")
    static let authority = Option.named("authority", .choice(SigningAuthority.self),
                                        "kt (ký thay), tl, tuq, tm or q; none when the head signs (default)")
    static let forPosition = Option.named("for", .text, "the position signed for, e.g. 'Giám đốc' (with --authority)",
                                          valueName: "POSITION")

    static let command = Command(
        "notice.signer", "Set who signs written notices: an account, their title and signing authority",
        roles: .admins, audit: .changes, arguments: [user, title, authority, forPosition], handler: set)

    static func set(_ context: CommandContext) throws -> Response {
        let account = try context[Self.user]
        guard let user = try UserStore(context.db).byName(account), !user.disabled else {
            throw OpsError.refused("no enabled account '\(account)'; see 'opsctl user list'")
        }
        guard [.supervisor, .admin].contains(user.role) else {
            throw OpsError.refused("\(account) is \(user.role.rawValue); a signer is a supervisor or an admin")
        }
        guard let fullName = user.fullName, !NoticeIssuer.isPlaceholder(fullName) else {
            throw OpsError.refused("\(account) has no full name to print under the signature; set it first")
        }
        let title = try context[Self.title].uppercased()
        guard !NoticeIssuer.isPlaceholder(title) else { throw OpsError.usage("--title is a placeholder") }
        let authority = try context[Self.authority] ?? SigningAuthority.none
        let position = try context[Self.forPosition]
        let line: String
        switch (authority.prefix, position) {
        case (nil, nil): line = title
        case (nil, _?): throw OpsError.usage("--for goes with --authority (kt, tl, tuq, tm or q)")
        case (_?, nil): throw OpsError.usage("--authority \(authority.rawValue) needs --for POSITION, e.g. 'Giám đốc'")
        case let (prefix?, position?): line = "\(prefix) \(position.uppercased())"
        }
        let policies = PolicyStore(context.db), actor = context.caller.actorName
        try policies.set(PolicyDefinition.noticeSigner.key, account, by: actor, now: context.now)
        try policies.set(PolicyDefinition.noticeSignerTitle.key, title, by: actor, now: context.now)
        try policies.set(PolicyDefinition.noticeSignerAuthority.key, line, by: actor, now: context.now)
        return Response(message: "Notices are signed \(line == title ? "" : line + " / ")\(title) by \(fullName)",
                        data: ["user": .string(account), "full_name": .string(fullName), "title": .string(title),
                               "authority": .string(line)])
    }
}

/// `notice settings`: what the next notice will say about its issuer and signer, and what is missing.
enum ShowNoticeSettings {
    static let command = Command(
        "notice.settings", "Show the issuer, signer, register and printing of written notices", roles: .everyone,
        audit: .none, handler: show)

    static func show(_ context: CommandContext) throws -> Response {
        let policies = PolicyStore(context.db)
        let settings = try NoticeSettings.load(policies)
        var missing: String? = nil
        do { try NoticeIssuer.requireConfigured(context.db) } catch let error as OpsError { missing = error.message }
        let lines = try NoticeGroupLines(context.db).all()
        var fields = [["issuer", "\(settings.issuerName) (\(settings.issuerCode)), \(settings.parentBody)"],
                      ["place", settings.place],
                      ["signer", "\(settings.signerAuthority) / \(settings.signerTitle): \(settings.signerName)"],
                      ["register", try policies.value(.noticeRegister)],
                      ["signature required", try policies.value(.noticeSignatureRequired)],
                      ["ready", missing ?? "yes"]]
        fields += lines.map { ["group \($0.group)", $0.line] }
        return Response(data: ["issuer": .string(settings.issuerName), "code": .string(settings.issuerCode),
                               "parent": .string(settings.parentBody), "place": .string(settings.place),
                               "signer": .string(settings.signerName), "title": .string(settings.signerTitle),
                               "authority": .string(settings.signerAuthority),
                               "register": .string(try policies.value(.noticeRegister)),
                               "ready": .bool(missing == nil), "missing": JSON(missing)],
                        fields: fields)
    }
}
