/// Where opsctl looks for the daemon's socket, so it works with no flags both
/// beside a local `scripts/run.sh` and on a server where the package runs opsd.
///
/// A place someone named (`--socket`, `$PORTALOPS_SOCKET`, `$PORTALOPS_DATA`)
/// is the only one tried: an operator who points opsctl at a test daemon
/// must never reach the production one because the test daemon is down.
/// With none named, opsctl tries `./.portalops/opsd.sock` (the embedded
/// default) and then `/run/portalops/opsd.sock` (the package's unit), and
/// takes the first that answers.
enum SocketLocator {
    /// One place to try, and why it is on the list (for the error when none answers).
    struct Candidate: Equatable {
        let path: String
        let origin: String
    }

    static let local = ".portalops/opsd.sock"
    static let system = "/run/portalops/opsd.sock"

    static func candidates(flag: String?, environment: [String: String]) -> [Candidate] {
        if let flag, !flag.isEmpty { return [Candidate(path: flag, origin: "--socket")] }
        if let socket = environment["PORTALOPS_SOCKET"], !socket.isEmpty {
            return [Candidate(path: socket, origin: "PORTALOPS_SOCKET")]
        }
        if let data = environment["PORTALOPS_DATA"], !data.isEmpty {
            let path = data.hasSuffix("/") ? data + "opsd.sock" : data + "/opsd.sock"
            return [Candidate(path: path, origin: "PORTALOPS_DATA")]
        }
        return [Candidate(path: local, origin: "the local data directory"),
                Candidate(path: system, origin: "the system service")]
    }
}
