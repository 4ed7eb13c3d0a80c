import OpsProtocol

extension Capability {
    /// Integrity checks and content fingerprints of SQLite databases.
    public static let integrity = Capability(
        "integrity",
        migrations: [IntegrityStore.migration, IntegrityStore.numbers],
        commands: [CheckIntegrity.command, TakeFingerprint.command, CompareFingerprints.command,
                   ListIntegrity.command],
        nouns: ["integrity": "integrity checks and fingerprints of SQLite databases"])
}
