import CSystem
import Foundation

/// How opsd keeps glibc's malloc from holding memory it has freed.
///
/// opsd answers each connection on a thread of its own, and the writer's work runs on whichever of
/// them reaches it, so with glibc's default of up to eight arenas per core each arena swelled to
/// the largest request it had served and kept that memory after it was freed: in issue 18's soak
/// (500 clients) RSS grew from 231 to 346 MiB in ten minutes while only 6.6 of 245 MB held by
/// malloc was in use, and `malloc_trim` brought it back to 84 MiB. So opsd caps the arenas at
/// start (as MALLOC_ARENA_MAX does for many servers) and returns free pages once a minute.
enum MallocArenas {
    /// Arenas for a process whose threads mostly wait on sockets; the writer is one thread.
    static let maximum: Int32 = 4

    /// Before any thread starts: arenas already made are not merged later. An operator's own setting
    /// (`MALLOC_ARENA_MAX`, or `arena_max` in `GLIBC_TUNABLES`, which glibc has already applied) is kept.
    static func limit(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if operatorSetsArenas(environment) { return }
        _ = csystem_malloc_arena_max(maximum)
    }

    static func operatorSetsArenas(_ environment: [String: String]) -> Bool {
        environment["MALLOC_ARENA_MAX"] != nil || environment["GLIBC_TUNABLES"]?.contains("arena_max") == true
    }

    /// Hands every arena's free pages back to the system (cheap when there are none).
    static func trim() {
        _ = csystem_malloc_trim()
    }
}
