#ifndef CSYSTEM_H
#define CSYSTEM_H
/// System calls Glibc does not import without _GNU_SOURCE (see SWIFT-ON-LINUX.md).
/// accept4 with SOCK_CLOEXEC: a descriptor never leaks into a child between accept and fcntl.
int csystem_accept_cloexec(int listener);
/// glibc's malloc tuning (malloc.h): cap the number of arenas, fix the mmap threshold,
/// and hand freed memory back to the system.
int csystem_malloc_arena_max(int arenas);
int csystem_malloc_trim(void);
int csystem_malloc_mmap_threshold(int bytes);
#endif
