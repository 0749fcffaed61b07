/*
 * On-demand /proc lookups for live captures: the thread table is seeded
 * from /proc when the capture opens, but a process that starts later is
 * known only from its events — and when its first events are not a clone
 * made under capture (the first image `udig run` starts, a child of an
 * untraced parent), nothing describes it.  libsinsp then reads
 * /proc/<tid> before settling for a "<NA>" entry; so do we, with the same
 * field rules as the opening scan (procscan/thread.c, procscan/fds.c).
 *
 * What /proc says is the thread's state now, not at the event: the same
 * approximation libsinsp makes, and the only one available.
 *
 * A tid that /proc does not know (the thread is gone) is remembered for a
 * short while in a small direct-mapped set: the state engine's placeholder
 * entry normally stops repeated lookups, but it is dropped at the thread's
 * procexit, and a stream that keeps naming the tid (or a table that cannot
 * grow) must not cost a /proc read per event.  Misses expire because tids
 * are reused: a new process may get the number later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "procscan-int.h"

#define MISS_SLOTS 256            /* power of two */
#define MISS_TTL_NS 1000000000ull /* far shorter than a pid space wrap-around */

struct proc_lookup {
	int cgroup_v2;  /* decided once, like the opening scan */
	uid_t euid;
	int64_t self_pid;
	uint64_t reads; /* threads read (or tried) from /proc */
	struct { int64_t tid; uint64_t until; } miss[MISS_SLOTS];
};

static unsigned miss_slot(int64_t tid)
{
	return (unsigned)(((uint64_t)tid * 0x9E3779B97F4A7C15ull) >> 56) & (MISS_SLOTS - 1);
}

struct proc_lookup *proc_lookup_new(void)
{
	struct proc_lookup *pl = calloc(1, sizeof *pl);
	char buf[4096];
	if (!pl)
		return NULL;
	for (unsigned i = 0; i < MISS_SLOTS; i++)
		pl->miss[i].tid = -1;
	pl->cgroup_v2 = ps_read("/proc/filesystems", buf, sizeof buf) >= 0 && strstr(buf, "cgroup2") != NULL;
	pl->euid = geteuid();
	pl->self_pid = getpid();
	return pl;
}

void proc_lookup_free(struct proc_lookup *pl)
{
	free(pl);
}

uint64_t proc_lookup_reads(const struct proc_lookup *pl)
{
	return pl ? pl->reads : 0;
}

/* Reads tid into the tables; 1 when it is there afterwards. */
static int read_thread(struct proc_lookup *pl, struct udig_tables *t, int64_t tid)
{
	struct pscan_ctx cx;
	char dir[96];
	int64_t pid = ps_tgid(tid);
	if (pid <= 0)
		return 0;
	memset(&cx, 0, sizeof cx);
	cx.cgroup_v2 = pl->cgroup_v2;
	cx.euid = pl->euid;
	cx.self_pid = pl->self_pid;
	cx.proc_dirfd = -1; /* no directory stream of ours to leave out */

	/* The process first: its main thread owns the fd table the thread
	 * shares, and is read with it (libsinsp looks it up for the same
	 * reason when it needs the thread's fds). */
	if (pid != tid && !tables_thread_get(t, pid)) {
		snprintf(dir, sizeof dir, "/proc/%lld/", (long long)pid);
		if (pscan_thread(&cx, t, dir, pid) > 0)
			pscan_fds(&cx, t, dir, pid);
	}
	if (pid == tid)
		snprintf(dir, sizeof dir, "/proc/%lld/", (long long)tid);
	else
		snprintf(dir, sizeof dir, "/proc/%lld/task/%lld/", (long long)pid, (long long)tid);
	if (pscan_thread(&cx, t, dir, tid) > 0 && (pid == tid || !tables_thread_get(t, pid)))
		/* a main thread, or one whose leader is gone: the fds are its own */
		pscan_fds(&cx, t, dir, tid);
	pscan_net_free(&cx); /* sockets change: never reuse the tables read here */
	return tables_thread_get(t, tid) != NULL;
}

struct thread_entry *proc_lookup_thread(udig_capture *c, int64_t tid)
{
	struct proc_lookup *pl = c->lookup;
	unsigned slot = miss_slot(tid);
	uint64_t now = 0;
	if (tid <= 0)
		return NULL;
	if (pl->miss[slot].tid == tid) {
		now = capture_mono_ns();
		if (now < pl->miss[slot].until)
			return NULL;
		pl->miss[slot].tid = -1;
	}
	pl->reads++;
	if (read_thread(pl, &c->tables, tid))
		return tables_thread_get(&c->tables, tid);
	pl->miss[slot].tid = tid;
	pl->miss[slot].until = (now ? now : capture_mono_ns()) + MISS_TTL_NS;
	return NULL;
}
