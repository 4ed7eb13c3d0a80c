import OpsProtocol
import SQLite

/// The console as its capabilities make it: every command by name, the
/// schema, the settings, the status sections. Built once at start from
/// `Capabilities.all` (plus the daemon's own), refusing any clash.
public struct Registry: Sendable {
    public let capabilities: [Capability]
    /// Every command in declaration order.
    public let commands: [Command]
    private let index: [String: Command]
    /// Every migration, in version order.
    public let migrations: [Migration]
    public let policies: [PolicyDefinition]
    public let catalog: CommandCatalog

    /// Why a list of capabilities cannot make a console.
    public struct Clash: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ capabilities: [Capability]) throws {
        self.capabilities = capabilities
        var commands: [Command] = []
        var index: [String: Command] = [:]
        var owners: [String: String] = [:]
        var nouns: [String: String] = [:]
        for capability in capabilities {
            for command in capability.commands {
                if let owner = owners[command.name] {
                    throw Clash(description: "command \(command.name) is declared by both \(owner) "
                                + "and \(capability.name)")
                }
                var argumentNames = Set<String>()
                for argument in command.spec.arguments where !argumentNames.insert(argument.name).inserted {
                    throw Clash(description: "command \(command.name) declares argument '\(argument.name)' twice")
                }
                owners[command.name] = capability.name
                index[command.name] = command
                commands.append(command)
            }
            for (noun, summary) in capability.nouns {
                if nouns[noun] != nil {
                    throw Clash(description: "noun '\(noun)' is described twice (\(capability.name))")
                }
                nouns[noun] = summary
            }
        }
        for command in commands where nouns[command.spec.noun] == nil {
            throw Clash(description: "noun '\(command.spec.noun)' of \(command.name) has no summary")
        }
        let migrations = capabilities.flatMap(\.migrations).sorted { $0.version < $1.version }
        for (a, b) in zip(migrations, migrations.dropFirst()) where a.version == b.version {
            throw Clash(description: "migrations \(a.name) and \(b.name) share version \(a.version)")
        }
        var keys = Set<String>()
        let policies = capabilities.flatMap(\.policies)
        for policy in policies {
            guard keys.insert(policy.key).inserted else {
                throw Clash(description: "policy \(policy.key) is declared twice")
            }
            do { _ = try policy.canonical(policy.defaultValue) } catch {
                throw Clash(description: "policy \(policy.key) has an invalid default '\(policy.defaultValue)'")
            }
        }
        self.commands = commands
        self.index = index
        self.migrations = migrations
        self.policies = policies
        self.catalog = CommandCatalog(commands: commands.map(\.spec), nounSummaries: nouns)
    }

    public func command(_ name: String) -> Command? { index[name] }

    public func policy(_ key: String) -> PolicyDefinition? { policies.first { $0.key == key } }

    /// Every capability's status section, in list order.
    public var statusSections: [@Sendable (CommandContext) throws -> StatusSection] {
        capabilities.compactMap(\.status)
    }

    /// Every capability's metric families, in list order.
    public var metricSources: [@Sendable (MetricsContext) throws -> [MetricFamily]] {
        capabilities.compactMap(\.metrics)
    }

    public var incidentLinks: [@Sendable (CommandContext, Incident) throws -> StatusSection] {
        capabilities.compactMap(\.incidentLinks)
    }
}
