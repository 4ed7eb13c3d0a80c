// libFuzzer's entry for a program that keeps its own main (libclang_rt.fuzzer, LLVM >= 11).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
