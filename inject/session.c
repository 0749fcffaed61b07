/*
 * The capture session: where the engines' records go (ring, debug sink),
 * the statistics, and the effective syscall selection.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <udig/event.h>
#include "inject/engine.h"
#include "inject/tracee.h"

/* Largest record we build: execve exits carry args and environment, each
 * parameter up to UDIG_MAX_ARG_SIZE. */
#define INJ_RECORD_MAX (4u * 65536u)

/* Without these the tracer cannot follow processes, and the consumer cannot
 * learn about them (udig-ring spec §9). */
static const long lifecycle[] = {
	SYS_clone, SYS_clone3, SYS_fork, SYS_vfork, SYS_execve, SYS_execveat,
};

void inj_err(char *err, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, INJECT_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

void inj_log(const struct inj_session *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;
	if (!s->o.verbose)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	/* One write per line: lines from tracer and tracees do not interleave. */
	if (write(STDERR_FILENO, "udig-inject: ", 13) < 0 || write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void inj_notice(struct inj_session *s, const char *line)
{
	if (!strncmp(s->last_notice, line, sizeof s->last_notice))
		return;
	snprintf(s->last_notice, sizeof s->last_notice, "%s", line);
	if (s->o.notice)
		s->o.notice(s->o.notice_arg, line);
	else
		inj_log(s, "%s", line);
}

uint64_t inj_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int inj_session_open(struct inj_session *s, const struct inject_opts *o, int attach_mode, char *err)
{
	char rwerr[256];
	size_t i;

	memset(s, 0, sizeof *s);
	s->o = *o;
	s->attach_mode = attach_mode;
	s->st.cpu = -1;
	inj_setid_guard_init(&s->setid);
	switch (o->engine) {
	case INJECT_ENGINE_PTRACE: s->ops = &inj_ptrace_engine; break;
	case INJECT_ENGINE_UNOTIFY: s->ops = &inj_unotify_engine; break;
	default:
		inj_err(err, "unknown engine %d", (int)o->engine);
		return -1;
	}
	if (o->syscalls)
		memcpy(s->mask, o->syscalls, sizeof s->mask);
	else
		inject_mask_default(s->mask);
	for (i = 0; i < sizeof lifecycle / sizeof lifecycle[0]; i++)
		inject_mask_set(s->mask, lifecycle[i], 1);

	s->bufsize = INJ_RECORD_MAX;
	s->buf = malloc(s->bufsize);
	if (!s->buf) {
		inj_err(err, "out of memory");
		return -1;
	}
	if (!o->no_ring) {
		if (udig_rw_open(&s->rw, o->ring_name, o->descs_name, rwerr) != 0) {
			inj_err(err, "ring: %s", rwerr);
			free(s->buf);
			s->buf = NULL;
			return -1;
		}
		s->rw_open = 1;
		/* Preload-aware: the tracees write too (ring_writer.h). */
		if (o->preload_path)
			s->rw.lock_wait_cap_ms = 2000;
	}
	return 0;
}

void inj_session_close(struct inj_session *s)
{
	if (s->rw_open)
		udig_rw_close(&s->rw);
	s->rw_open = 0;
	free(s->buf);
	s->buf = NULL;
	if (s->o.stats)
		*s->o.stats = s->st;
}

uint32_t inj_snaplen(const struct inj_session *s)
{
	return s->rw_open ? udig_rw_snaplen(&s->rw) : UDIG_DEFAULT_SNAPLEN;
}

int inj_wanted(const struct inj_session *s, uint16_t type)
{
	if (s->o.debug_fd >= 0)
		return 1;
	if (!s->rw_open)
		return 0;
	return udig_rw_active(&s->rw) && udig_rw_wants(&s->rw, type);
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

void inj_deliver(struct inj_session *s, const void *rec, size_t len)
{
	int delivered = 0;

	if (s->o.debug_fd >= 0 && write_all(s->o.debug_fd, rec, len) == 0)
		delivered = 1;
	if (s->rw_open) {
		switch (udig_rw_write_meta(&s->rw, rec, (uint32_t)len, s->meta_set ? &s->meta : NULL)) {
		case UDIG_RW_WRITTEN: delivered = 1; break;
		case UDIG_RW_DROPPED: s->st.drops++; break;
		case UDIG_RW_INVALID: s->st.failed++; break;
		case UDIG_RW_INACTIVE:
		case UDIG_RW_MASKED:
		case UDIG_RW_SAMPLED:
		case UDIG_RW_SUPPRESSED:
			if (!delivered)
				s->st.inactive++;
			break;
		}
	}
	s->meta_set = 0;
	if (delivered)
		s->st.events++;
}

/* /proc/<tid>/comm of a traced thread, for its suppression verdict. */
static int tracee_comm(void *ctx, char *out)
{
	char path[48], buf[UDIG_CTL_COMM_LEN + 1];
	snprintf(path, sizeof path, "/proc/%lld/comm", *(long long *)ctx);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > (ssize_t)UDIG_CTL_COMM_LEN - 1)
		n = UDIG_CTL_COMM_LEN - 1;
	memcpy(out, buf, (size_t)n);
	out[n] = 0;
	return 0;
}

/* The controls that act before a record is built (0: build it); and, for
 * the writer, what it needs to know of the record: *sc gets the consumer's
 * I/O controls, s->meta the syscall's drop flags. */
static int screen(struct inj_session *s, struct udig_syscall_ctx *sc, int is_exit, uint32_t *pf)
{
	if (!s->rw_open)
		return 0;
	struct inj_self *e = &s->selves[(uint64_t)sc->tid % (sizeof s->selves / sizeof s->selves[0])];
	if (e->tid != sc->tid) {
		memset(e, 0, sizeof *e);
		e->tid = sc->tid;
	}
	/* A new image or a new name: read the comm again. */
	if (is_exit && (sc->nr == SYS_execve || sc->nr == SYS_execveat || (sc->nr == SYS_prctl && (int)sc->args[0] == PR_SET_NAME))) {
		e->v.comm[0] = 0;
		e->v.gen = 0;
	}
	int64_t tid = sc->tid;
	if (udig_rw_screen(&s->rw, &e->v, sc->nr, sc->tid, tracee_comm, &tid) != 0)
		return -1;
	sc->dyn_snaplen = (uint8_t)udig_rw_dyn_snaplen(&s->rw, &sc->fullcap_lo, &sc->fullcap_hi, &sc->statsd_port);
	sc->tracers = (uint8_t)udig_rw_tracers(&s->rw);
	*pf = 0;
	sc->pf = pf;
	memset(&s->meta, 0, sizeof s->meta);
	if (sc->nr >= 0 && sc->nr < UDIG_SYSCALL_TABLE_SIZE)
		s->meta.uf = udig_syscall_table[sc->nr].flags;
	if (udig_rw_dropping(&s->rw))
		s->meta.nostate = (uint8_t)udig_fill_nostate(sc, is_exit);
	s->meta_set = 1;
	return 0;
}

size_t inj_build_enter(struct inj_session *s, const struct udig_syscall_ctx *sc0)
{
	size_t len;
	struct udig_syscall_ctx scc = *sc0, *sc = &scc;
	uint32_t pf = 0;
	s->meta_set = 0;
	if (!inj_wanted(s, udig_fill_enter_type(sc->nr)) || screen(s, sc, 0, &pf) < 0) {
		s->st.inactive++;
		return 0;
	}
	len = udig_fill_enter(sc, s->buf, s->bufsize);
	s->meta.pf = pf != 0;
	sc->pf = NULL;
	if (len == 0) {
		if (s->rw_open)
			udig_rw_count_bug(&s->rw);
		s->st.failed++;
		inj_log(s, "tid %lld: enter record of syscall %ld could not be built", (long long)sc->tid, sc->nr);
	}
	return len;
}

void inj_emit_enter(struct inj_session *s, const struct udig_syscall_ctx *sc)
{
	size_t len = inj_build_enter(s, sc);
	if (len > 0)
		inj_deliver(s, s->buf, len);
}

void inj_emit_exit(struct inj_session *s, const struct udig_syscall_ctx *sc0)
{
	size_t len;
	struct udig_syscall_ctx scc = *sc0, *sc = &scc;
	uint32_t pf = 0;
	s->meta_set = 0;
	if (!inj_wanted(s, udig_fill_exit_type(sc->nr)) || screen(s, sc, 1, &pf) < 0) {
		s->st.inactive++;
		return;
	}
	len = udig_fill_exit(sc, s->buf, s->bufsize);
	s->meta.pf = pf != 0;
	sc->pf = NULL;
	if (len == 0) {
		if (s->rw_open)
			udig_rw_count_bug(&s->rw);
		s->meta_set = 0;
		s->st.failed++;
		inj_log(s, "tid %lld: exit record of syscall %ld could not be built", (long long)sc->tid, sc->nr);
		return;
	}
	inj_deliver(s, s->buf, len);
}

void inj_emit_procexit(struct inj_session *s, pid_t tid, int wstatus)
{
	size_t len;
	if (!inj_wanted(s, UEV_PROCEXIT_1_E)) {
		s->st.inactive++;
		return;
	}
	len = udig_fill_procexit(inj_now(), tid, wstatus, s->buf, s->bufsize);
	if (len == 0) {
		s->st.failed++;
		return;
	}
	inj_deliver(s, s->buf, len);
}

void inj_emit_launch_fork(struct inj_session *s, pid_t pid)
{
	struct inj_pidfds pidfds;
	struct inj_tracee tr;
	size_t len;

	if (!inj_wanted(s, udig_fill_exit_type(SYS_clone))) {
		s->st.inactive++;
		return;
	}
	inj_pidfds_init(&pidfds);
	inj_tracee_init(&tr, pid, pid, &pidfds);
	struct udig_syscall_ctx sc = {
		.ts = inj_now(),
		.tid = pid,
		.pid = pid,
		.snaplen = inj_snaplen(s),
		.ops = &tr.ops,
		.opsctx = &tr,
	};
	len = udig_fill_launch_fork(&sc, s->buf, s->bufsize);
	inj_pidfds_close(&pidfds);
	if (len == 0) {
		s->st.failed++;
		return;
	}
	inj_deliver(s, s->buf, len);
}
