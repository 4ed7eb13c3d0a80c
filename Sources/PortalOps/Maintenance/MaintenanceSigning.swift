import OpsProtocol

/// `maintenance sign`: the notice in force, signed outside with the signer's
/// token, checked by pdfsig (off the writer) and sent from then on.
enum SignNotice {
    static let signed = Required.named("signed", .binaryFile, "the notice's PDF after signing", valueName: "FILE.pdf")

    static let command = Command(
        "maintenance.sign", "Attach the signed PDF of the window's notice; it is checked and sent",
        roles: MaintenanceRoles.signers, audit: .changes, arguments: [MaintenanceDesk.windowArgument, signed],
        details: "Sign the PDF from 'opsctl maintenance notice MW --format pdf --output FILE' with the signer's token "
            + "(an incremental signature: the issued bytes stay the first revision).\n"
            + "Refused unless pdfsig finds every signature valid and the last covering the whole file, and the file's "
            + "first revision is the PDF frozen at issue. With policy notice.signature_required the notice is sent "
            + "only now; otherwise the signed copy follows the unsigned one.",
        job: prepare)

    static func prepare(_ context: CommandContext) throws -> PreparedJob {
        let desk = MaintenanceDesk(context: context)
        let window = try desk.window()
        guard let notice = try desk.noticeInForce(window) else {
            throw OpsError.refused("\(window.ref) has no issued notice to sign; announce it first")
        }
        guard notice.signedSHA256 == nil else {
            throw OpsError.refused("notice \(notice.number) is already signed (sha256 "
                                   + "\(notice.signedSHA256?.prefix(16) ?? "")…)")
        }
        guard let frozen = try NoticeStore(context.db).pdf(of: notice.id) else {
            throw OpsError.refused("notice \(notice.number) was issued before notices had PDFs; nothing to sign")
        }
        let bytes = try context[Self.signed]
        try NoticeSignature.checkRevision(bytes, frozen: frozen, number: notice.number)
        let environment = context.environment
        return PreparedJob(
            work: { progress in
                progress("checking the signature with pdfsig")
                let signature = try NoticeSignature.verify(bytes, number: notice.number, environment: environment)
                return ["signer": .string(signature.signer), "signed_at": .string(signature.signedAt),
                        "certificate": .string(signature.certificate)]
            },
            finish: { context, result in
                let json: JSON
                switch result {
                case .failure(let error): return Response(error: error)
                case .success(let value): json = value
                }
                let signature = NoticeSignature(signer: json["signer"]?.stringValue ?? "unknown",
                                                signedAt: json["signed_at"]?.stringValue ?? "unknown",
                                                certificate: json["certificate"]?.stringValue ?? "not checked")
                let held = notice.messageID == nil
                let count: Int
                do {
                    count = try context.db.transaction {
                        try NoticeStore(context.db).attachSignature(notice, pdf: bytes, signature: signature,
                                                                    by: context.caller.actorName, now: context.now,
                                                                    time: context.time)
                    }
                } catch let error as OpsError {
                    return Response(error: error)
                }
                var warnings: [String] = []
                if signature.certificate != "Certificate is Trusted." {
                    warnings.append("pdfsig on the signer's certificate: \(signature.certificate)")
                }
                return Response(message: "Signed notice \(notice.number) (\(signature.signer), \(signature.signedAt)); "
                                    + (held ? "sent" : "signed copy sent") + " to \(count) "
                                    + (count == 1 ? "address" : "addresses"),
                                data: ["window": .string(window.ref), "notice": .string(notice.number),
                                       "signer": .string(signature.signer), "signed_at": .string(signature.signedAt),
                                       "certificate": .string(signature.certificate),
                                       "signed_pdf_sha256": .string(SHA256.hex(bytes)),
                                       "deliveries": .int(Int64(count))],
                                warnings: warnings)
            })
    }
}
