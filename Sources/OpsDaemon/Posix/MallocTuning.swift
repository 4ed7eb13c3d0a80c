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
///
/// It also fixes the size above which a block gets pages of its own (`mmap`) at glibc's initial
/// 128 KiB. glibc raises that threshold to the size of every such block freed (a backup's 1 MiB read
/// buffer, a long list's answer), after which those blocks came from the arenas, between small
/// blocks that outlive them: the arenas grew with every larger one and could not give the space back.
enum MallocTuning {
    /// Arenas for a process whose threads mostly wait on sockets; the writer is one thread.
    static let arenas: Int32 = 4
    /// glibc's default before it starts moving it.
    static let mmapThreshold: Int32 = 128 * 1024

    /// Before any thread starts: arenas already made are not merged later. An operator's own setting
    /// (the `MALLOC_…` variable, or the tunable in `GLIBC_TUNABLES`, which glibc has already applied)
    /// is kept.
    static func apply(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if !operatorSets("arena_max", environment) { _ = csystem_malloc_arena_max(arenas) }
        if !operatorSets("mmap_threshold", environment) { _ = csystem_malloc_mmap_threshold(mmapThreshold) }
    }

    /// Whether the environment sets glibc's malloc `option` (`arena_max`, `mmap_threshold`): glibc reads
    /// `MALLOC_ARENA_MAX` but `MALLOC_MMAP_THRESHOLD_`, with a trailing underscore.
    static func operatorSets(_ option: String, _ environment: [String: String]) -> Bool {
        let variable = "MALLOC_" + option.uppercased()
        return environment[variable] != nil || environment[variable + "_"] != nil
            || environment["GLIBC_TUNABLES"]?.contains("malloc.\(option)=") == true
    }

    /// Hands every arena's free pages back to the system (cheap when there are none).
    static func trim() {
        _ = csystem_malloc_trim()
    }
}
