import CSQLite

/// One pool of memory for the page caches of every connection in the process.
///
/// Without it each cached page is a malloc block of its own, and a read-only connection frees and takes
/// them again whenever another connection has written since its last read, which in opsd is every few
/// milliseconds: glibc's arenas, shared with every request, then grew by about a megabyte a minute with
/// free space they could not return (issue 18's soak). The pool is one mapping; slots are reused, so
/// its resident part is the most pages cached at once, and no cached page sits among short-lived blocks.
/// Pages that do not fit (a larger page size, a full pool) come from malloc as before.
public enum PageCachePool {
    /// Reserves `slots` slots for pages of up to `pageBytes`. Only before the process's first connection:
    /// SQLite takes its configuration once.
    public static func reserve(slots: Int, pageBytes: Int = 4_096) throws {
        guard slots > 0, pageBytes > 0 else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "a page cache pool needs slots and a page size")
        }
        let slotBytes = pageBytes + Int(csqlite_pcache_header_bytes())
        // Left to the process for its life; untouched pages of it take no memory.
        let pool = UnsafeMutableRawPointer.allocate(byteCount: slots * slotBytes, alignment: 4_096)
        let rc = csqlite_config_pagecache(pool, Int32(slotBytes), Int32(slots))
        guard rc == SQLITE_OK else {
            pool.deallocate()
            throw SQLiteError(code: rc, message: "the page cache pool must be reserved before the first connection")
        }
    }
}
