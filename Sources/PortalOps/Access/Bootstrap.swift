import OpsProtocol
import Foundation
import SQLite

extension UserStore {
    /// On a new data directory, the uid that started the daemon and root
    /// become admins, so the console works with nothing configured. Returns
    /// the users created (none if any user exists).
    public func bootstrap(daemonUID: UInt32, daemonUserName: String, now: Int64) throws -> [User] {
        guard try isEmpty else { return [] }
        var created: [User] = []
        let name = Text.isValidKey(daemonUserName) ? daemonUserName : "uid\(daemonUID)"
        created.append(try insert(name: daemonUID == 0 ? "root" : name, uid: daemonUID, role: .admin,
                                  fullName: nil, email: nil, now: now))
        if daemonUID != 0, try byName("root") == nil {
            created.append(try insert(name: "root", uid: 0, role: .admin, fullName: nil, email: nil, now: now))
        }
        return created
    }
}
