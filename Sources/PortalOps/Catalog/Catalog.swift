import OpsProtocol

/// Transitional: specs of capabilities not yet declaring typed commands,
/// grouped by the files that declare them (see `LegacyCommands`).
enum Catalog {}
