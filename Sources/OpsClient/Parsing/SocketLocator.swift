/// Finds the daemon's socket by the rule `opsd` uses to place it, so both
/// work from the same directory with no flags: `--socket`, then
/// `$PORTALOPS_SOCKET`, then `$PORTALOPS_DATA/opsd.sock`, then
/// `./.portalops/opsd.sock`.
enum SocketLocator {
    static func path(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let socket = environment["PORTALOPS_SOCKET"], !socket.isEmpty { return socket }
        if let data = environment["PORTALOPS_DATA"], !data.isEmpty {
            return data.hasSuffix("/") ? data + "opsd.sock" : data + "/opsd.sock"
        }
        return ".portalops/opsd.sock"
    }
}
