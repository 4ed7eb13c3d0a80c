#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include "CSystem.h"

int csystem_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}
