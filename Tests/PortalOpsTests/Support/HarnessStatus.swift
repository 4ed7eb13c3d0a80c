import OpsProtocol
@testable import PortalOps

extension CommandHarness {
    /// The warnings of every capability's part of `opsctl status`, as the caller would see them.
    func statusWarnings() throws -> [String] {
        let arguments = try registry.command("whoami")!.arguments([:], time: time)
        let context = CommandContext(db: db, caller: caller, now: clock.now(), time: time, arguments: arguments,
                                     registry: registry, environment: HarnessEnvironment(dataDirectory: directory))
        return try registry.statusSections.flatMap { try $0(context).warnings }
    }
}
