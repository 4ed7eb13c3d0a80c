#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: these pass its arguments for the two options opsd sets.
/// One pool of page-cache slots for every connection (SQLITE_CONFIG_PAGECACHE); only before sqlite3_initialize.
static inline int csqlite_config_pagecache(void *pool, int slotBytes, int slots) {
    return sqlite3_config(SQLITE_CONFIG_PAGECACHE, pool, slotBytes, slots);
}

/// The bytes a page-cache slot needs beyond the page itself (SQLITE_CONFIG_PCACHE_HDRSZ).
static inline int csqlite_pcache_header_bytes(void) {
    int bytes = 0;
    sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &bytes);
    return bytes;
}
