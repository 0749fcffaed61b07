/*
 * Will a freshly exec'd image load libudig.so?  Asked at the
 * PTRACE_EVENT_EXEC stop, before ld.so has run, from what the kernel has
 * already set up for the new image: its aux vector and its environment.
 */
#ifndef INJECT_IMAGE_H
#define INJECT_IMAGE_H

#include <limits.h>
#include <sys/types.h>

/* The library the caller preloads, resolved once. */
struct inj_preload_lib {
	const char *path;        /* as given (what the caller put in LD_PRELOAD) */
	char real[PATH_MAX];     /* its realpath (what libudig puts back), or "" */
	dev_t dev;
	ino_t ino;
	int have_id;             /* dev/ino known: other names of the same file match */
};

void inj_preload_lib_init(struct inj_preload_lib *l, const char *path);

struct inj_image {
	int dynamic;        /* ld.so will run: an interpreter was mapped (or ld.so is the program) */
	int secure;         /* AT_SECURE: ld.so would ignore LD_PRELOAD paths */
	int lists_lib;      /* LD_PRELOAD (the last one, as ld.so reads it) names the library */
	int intercept_off;  /* UDIG_INTERCEPT=off: libudig would load but capture nothing */
	long mark_nr;       /* UDIG_EXEC_MARK=<this pid>:<nr>: libudig will write execve's exit with nr; else 0 */
	int preloaded;      /* dynamic && !secure && lists_lib && !intercept_off */
};

/* Inspects process pid (stopped at its exec event).  What cannot be read
 * counts as absent, so an unreadable image is "traced": the tracer then
 * captures it, which may duplicate but never loses events. */
void inj_image_inspect(pid_t pid, const struct inj_preload_lib *l, struct inj_image *im);

#endif
