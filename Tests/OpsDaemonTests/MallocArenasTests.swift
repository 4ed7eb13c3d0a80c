@testable import OpsDaemon
import XCTest

/// opsd caps glibc's arenas unless the operator's environment already chose (README, "Soak").
final class MallocArenasTests: XCTestCase {
    func testAnArenaLimitFromTheEnvironmentIsKept() {
        XCTAssertFalse(MallocArenas.operatorSetsArenas([:]))
        XCTAssertFalse(MallocArenas.operatorSetsArenas(["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"]))
        XCTAssertTrue(MallocArenas.operatorSetsArenas(["MALLOC_ARENA_MAX": "2"]))
        let both = "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1"
        XCTAssertTrue(MallocArenas.operatorSetsArenas(["GLIBC_TUNABLES": both]))
    }
}
