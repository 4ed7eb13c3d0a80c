import OpsProtocol

extension PolicyDefinition {
    static let backups: [PolicyDefinition] = [
        PolicyDefinition("backup.timeout", .duration(60_000...86_400_000), default: "6h",
                         "a dump, check or restore command running longer is stopped"),
        PolicyDefinition("backup.keep_free_mib", .integer(0...1_000_000_000), default: "100",
                         "a backup, copy or drill that would leave less than this many MiB free on its disk is refused before it writes"),
    ]
}
