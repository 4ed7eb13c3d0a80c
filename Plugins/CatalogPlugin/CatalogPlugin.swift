import PackagePlugin

/// Runs `opsctl-catalog` to write the command catalog as Swift source into
/// OpsClient's build: the specs are declared once, beside their handlers in
/// each capability, and opsctl still links neither SQLite nor the domain.
@main
struct CatalogPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Catalog.generated.swift")
        return [
            .buildCommand(displayName: "Generating the opsctl command catalog",
                          executable: try context.tool(named: "opsctl-catalog").url,
                          arguments: ["swift", output.path(percentEncoded: false)],
                          inputFiles: [],
                          outputFiles: [output]),
        ]
    }
}
