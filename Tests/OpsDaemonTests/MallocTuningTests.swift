@testable import OpsDaemon
import XCTest

/// opsd tunes glibc's malloc unless the operator's environment already chose (README, "Soak").
final class MallocTuningTests: XCTestCase {
    func testASettingFromTheEnvironmentIsKept() {
        XCTAssertFalse(MallocTuning.operatorSets("arena_max", [:]))
        XCTAssertFalse(MallocTuning.operatorSets("arena_max", ["GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"]))
        XCTAssertTrue(MallocTuning.operatorSets("arena_max", ["MALLOC_ARENA_MAX": "2"]))
        let both = "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=1"
        XCTAssertTrue(MallocTuning.operatorSets("arena_max", ["GLIBC_TUNABLES": both]))
        XCTAssertFalse(MallocTuning.operatorSets("mmap_threshold", ["GLIBC_TUNABLES": both]))
        XCTAssertTrue(MallocTuning.operatorSets("mmap_threshold", ["MALLOC_MMAP_THRESHOLD_": "65536"]))
        XCTAssertTrue(MallocTuning.operatorSets("mmap_threshold",
                                                ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"]))
    }
}
