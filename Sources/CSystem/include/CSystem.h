#ifndef CSYSTEM_H
#define CSYSTEM_H
/// System calls Glibc does not import without _GNU_SOURCE (see SWIFT-ON-LINUX.md).
/// accept4 with SOCK_CLOEXEC: a descriptor never leaks into a child between accept and fcntl.
int csystem_accept_cloexec(int listener);
#endif
