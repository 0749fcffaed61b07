/*
 * Test fixture of the writer tests: the test process opens a few fds it
 * knows everything about (a temp file, a loopback listener with a connected
 * pair), writes a capture of itself with synthetic events on those fds, and
 * reads it back with the real sysdig.
 */
#ifndef UDIG_TESTS_WRITE_FIXTURE_H
#define UDIG_TESTS_WRITE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <udig/capture.h>

struct wfix {
	char dir[256];      /* private temp dir (world-readable for sysdig) */
	char file[300];     /* temp file, open as fd_file */
	int fd_file;
	int fd_listen, fd_client, fd_server;
	uint16_t lport, cport;
	int64_t pid;
	uint64_t ts;        /* next event timestamp */
};

/* Creates the dir, file and sockets. Returns 0 or -1. */
int wfix_setup(struct wfix *f);
void wfix_teardown(struct wfix *f);
/* f->dir + "/" + name */
const char *wfix_path(const struct wfix *f, const char *name, char *buf, size_t cap);

/* Appends a standard event sequence on the fixture fds:
 *   write on the file, read on the client socket, write on the server side,
 *   openat + read + close of "opened.txt" (openat pair with dump_flags). */
int wfix_events(struct wfix *f, udig_dumper *d, uint32_t openat_flags);
/* One enter+exit pair of read(fd) with `n` bytes of data. */
int wfix_read_pair(struct wfix *f, udig_dumper *d, int64_t fd, size_t n, uint32_t dump_flags);

/* Runs a shell command, returns its stdout (malloc'd, NUL-terminated) and
 * exit status in *status. */
char *run_capture(const char *cmd, int *status);
/* Number of lines in s. */
size_t count_lines(const char *s);
/* Is sysdig usable here? */
int have_sysdig(void);

#endif
