#define _GNU_SOURCE
#include <malloc.h>
#include <stddef.h>
#include <sys/socket.h>
#include "CSystem.h"

int csystem_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}

int csystem_malloc_arena_max(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}

int csystem_malloc_trim(void) {
    return malloc_trim(0);
}

int csystem_malloc_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
