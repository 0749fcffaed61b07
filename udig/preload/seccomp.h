/* SECCOMP_RET_DATA of our filter's traps: tells them apart from the
 * program's own seccomp traps, which go to the program's SIGSYS handler. */
#ifndef UDIG_PRELOAD_SECCOMP_H
#define UDIG_PRELOAD_SECCOMP_H
#define UP_SECCOMP_DATA 0x5d1
#endif
