/* Draining a private ring for `udig run` / `udig attach` (see live_consumer.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "live_consumer.h"
#include "proc_tree.h"
#include "syscall_summary.h"
#include "ring_janitor.h"
#include "udig/ring.h"

/* Short, so that the end of the producers is noticed within it. */
#define POLL_MS 5
#define PROGRESS_MS 2000
/* The clock is read when the ring goes quiet and every CLOCK_EVERY events
 * otherwise: a read per event was an eighth of the drain's time on a busy
 * ring, and flushes and the progress line keep their pace all the same (a
 * trickle of an event a millisecond still looks every quarter second). */
#define CLOCK_EVERY 256
/* A capture file is flushed at least this often while events flow, so that
 * a udig killed with SIGKILL (or crashing) leaves a file holding everything
 * drained up to about a second before; libcapture's buffer holds a MiB. */
#define FLUSH_MS 1000
/* When the ring goes quiet, a flush comes as soon as this long after the
 * previous one: a burst followed by silence reaches the file at once, while
 * a trickle of events (a poll timeout between each) costs at most ~10
 * flushes a second, never one per event. */
#define IDLE_FLUSH_MS 100

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void print_counts(udig_capture *c, int final)
{
	struct udig_stats st;
	udig_get_stats(c, &st);
	fprintf(stderr, "%sudig: %llu events captured, %llu dropped", final ? "" : "\r",
		(unsigned long long)st.events, (unsigned long long)(st.drops_buffer + st.drops_invalid));
	if (final)
		fprintf(stderr, " (ring full %llu, invalid %llu)", (unsigned long long)st.drops_buffer,
			(unsigned long long)st.drops_invalid);
	if (final && (st.suppressed || st.tids_suppressed || st.sampled || st.drops_pf || st.drops_bug))
		fprintf(stderr, ", %llu suppressed (%llu threads), %llu sampled out, %llu unreadable memory, %llu bug",
			(unsigned long long)st.suppressed, (unsigned long long)st.tids_suppressed,
			(unsigned long long)st.sampled, (unsigned long long)st.drops_pf, (unsigned long long)st.drops_bug);
}

/* Pushes the capture controls of the options to the producers. */
static int apply_controls(udig_capture *c, const struct capture_opts *o, const char *cmd)
{
	int rc = UDIG_OK;
	for (int i = 0; i < o->n_suppress && rc == UDIG_OK; i++)
		rc = udig_suppress_comm(c, o->suppress[i]);
	if (rc == UDIG_OK && o->sampling)
		rc = udig_sampling_start(c, o->sampling);
	if (rc == UDIG_OK && o->dyn_snaplen)
		rc = udig_enable_dynamic_snaplen(c, 1);
	if (rc == UDIG_OK && o->fc_hi)
		rc = udig_set_fullcapture_port_range(c, o->fc_lo, o->fc_hi);
	if (rc == UDIG_OK && o->simple)
		rc = udig_enable_simple_mode(c);
	if (rc != UDIG_OK)
		cli_error("%s: %s", cmd, udig_geterr(c));
	return rc == UDIG_OK ? 0 : -1;
}

static void unlink_ring(struct live_consumer *k)
{
	shm_unlink(k->ring);
	shm_unlink(k->descs);
	shm_unlink(k->mask); /* there when -t published an event mask */
	shm_unlink(k->ctl);  /* there when a capture control was set */
	if (k->janitor_fd >= 0)
		close(k->janitor_fd); /* its work is done: it wakes and leaves */
	k->janitor_fd = -1;
}

static int random_hex(char *out, size_t size)
{
	unsigned char b[16];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof b && 2 * i + 2 < size; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

/* A reader of our output or of our stderr that goes away must not kill us
 * before we remove the ring and report CMD's status: writes fail with EPIPE
 * instead.  Only over the default action, and caught rather than ignored,
 * so that CMD gets the disposition it would natively. */
static void survive_sigpipe(void)
{
	struct sigaction sa;
	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
		cli_survive_signal(SIGPIPE, NULL);
}

/* -w FILE, or -w - for stdout: the capture then owns our stdout, on a
 * descriptor of its own that the program does not inherit, and the
 * program's stdout (fd 1, which it inherits) becomes our stderr, so that
 * nothing it prints can enter the capture stream.  That descriptor is
 * handed to the dumper as it is (a pipe or a socket: nothing to reopen)
 * and closed by us after the dumper (live_consumer_close).  A FILE is
 * opened here too, so that a path we cannot write is refused before the
 * program runs; the dumper itself is made by the draining thread
 * (make_dumper), after the /proc scan its header holds. */
static int open_capture_file(struct live_consumer *k, const char *path)
{
	if (!strcmp(path, "-")) {
		fflush(stdout);
		k->wfd = fcntl(1, F_DUPFD_CLOEXEC, 3);
		if (k->wfd < 0 || dup2(2, 1) < 0) {
			cli_error("-w -: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	k->wgzip = cli_wants_gzip(path);
	k->wfd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (k->wfd < 0) {
		cli_error("can't create %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int make_dumper(struct live_consumer *k)
{
	char err[UDIG_ERRBUF_SIZE];
	k->d = udig_dump_open_fd(k->c, k->wfd, k->wgzip, err);
	if (!k->d) {
		cli_error("%s: %s", k->o->wfile, err);
		k->status = 1;
	}
	return k->d ? 0 : -1;
}

/* Events (and the -c table, the tree) go where strace's go: to stderr,
 * never into the program's stdout; -o FILE elsewhere, -o - to stdout.
 * Our stderr is a descriptor of our own (close-on-exec, as -o FILE) with
 * a line buffer: one write per event line, so that the program's own
 * stderr lines and ours never tear each other. */
static int open_text_output(struct live_consumer *k, const struct capture_opts *o)
{
	k->out_name = "stderr";
	if (o->ofile && !strcmp(o->ofile, "-")) {
		k->out = stdout;
		k->out_name = "stdout";
		return 0;
	}
	if (o->ofile) {
		/* "e": the traced program must not inherit our output. */
		k->out = fopen(o->ofile, "we");
		k->out_name = o->ofile;
	} else {
		int fd = fcntl(2, F_DUPFD_CLOEXEC, 3);
		k->out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!k->out && fd >= 0)
			close(fd);
		if (k->out)
			setvbuf(k->out, NULL, _IOLBF, 1 << 16);
	}
	if (!k->out) {
		cli_error("%s: %s", k->out_name, strerror(errno));
		return -1;
	}
	return 0;
}

int live_consumer_open(struct live_consumer *k, const struct capture_opts *o, const char *cmd, int launches,
		       pid_t line_of)
{
	char err[UDIG_ERRBUF_SIZE];
	int ok;
	memset(k, 0, sizeof *k);
	k->janitor_fd = -1;
	k->wfd = -1;
	survive_sigpipe();
	k->o = o;
	k->out = stdout;
	char *fargv[] = { (char *)o->filter };
	k->flt = cli_filter(o->filter[0] ? 1 : 0, fargv, o->json ? UDIG_FORMAT_JSON : 0, &ok);
	if (!ok)
		return -1;

	/* A private ring per session: concurrent sessions, and a user's own
	 * sysdig on the default ring, never see each other's events.  Its
	 * names are unguessable and made with O_EXCL, so that no other user
	 * can have created them first. */
	char nonce[33];
	if (random_hex(nonce, sizeof nonce) < 0) {
		cli_error("%s: no randomness for the ring's name: %s", cmd, strerror(errno));
		return -1;
	}
	snprintf(k->ring, sizeof k->ring, UDIG_SESSION_PREFIX "%u.%s.buf", (unsigned)geteuid(), nonce);
	snprintf(k->descs, sizeof k->descs, UDIG_SESSION_PREFIX "%u.%s.descs", (unsigned)geteuid(), nonce);
	snprintf(k->mask, sizeof k->mask, "%s.mask", k->descs);
	snprintf(k->ctl, sizeof k->ctl, "%s" UDIG_CTL_SUFFIX, k->descs);
	/* Started before the names exist: whenever we die from here on, they go. */
	const char *names[] = { k->ring, k->descs, k->mask, k->ctl };
	char jerr[256];
	if (ring_janitor_start(names, 4, &k->janitor_fd, jerr, sizeof jerr) < 0) {
		cli_error("%s: %s", cmd, jerr);
		return -1;
	}
	/* The late scan holds the drain back for its few milliseconds (more
	 * on a busy machine) while the program already writes: lossless
	 * producers wait out a full ring, but under --drop that would be a
	 * new cause of drops, so there the scan comes first, as it used to. */
	struct udig_live_opts lo = { .ring_name = k->ring, .descs_name = k->descs, .snaplen = o->snaplen,
				     .lossless = o->lossless, .new_ring = 1,
				     .proc_scan_late = launches && o->lossless, .proc_scan_line_of = line_of };
	if (o->masked)
		lo.event_mask = o->evmask;
	k->c = udig_open_live(&lo, err);
	if (!k->c) {
		cli_error("%s: %s", cmd, err);
		goto fail;
	}
	if (apply_controls(k->c, o, cmd) < 0)
		goto fail;
	if (o->wfile && open_capture_file(k, o->wfile) < 0)
		goto fail;
	if (open_text_output(k, o) < 0)
		goto fail;
	cli_printer_init(&k->pr, k->out, o->json);
	k->pr.tstamp = o->tstamp;
	if (cli_printer_format(&k->pr, cmd, NULL) < 0 || (o->latency && cli_printer_latency(&k->pr) < 0))
		goto fail;
	if (o->summary && !(k->summary = syscall_summary_new())) {
		cli_error("%s: out of memory", cmd);
		goto fail;
	}
	if (o->tree && !(k->tree = proc_tree_new())) {
		cli_error("%s: out of memory", cmd);
		goto fail;
	}
	return 0;
fail:
	live_consumer_close(k);
	return -1;
}

static void handle(struct live_consumer *k, const struct udig_evt *ev, int *out_ok)
{
	if (k->flt && !udig_filter_match(k->flt, k->c, ev))
		return;
	if (!*out_ok)
		return; /* keep draining: the program must not wait for us */
	if (k->summary)
		syscall_summary_add(k->summary, k->c, ev);
	if (k->tree)
		proc_tree_add(k->tree, k->c, ev);
	if (k->d) {
		if (udig_dump(k->d, ev) != UDIG_OK) {
			cli_error("%s: %s", k->o->wfile, udig_dump_geterr(k->d));
			*out_ok = 0;
			k->status = 1;
		}
	} else if (k->tree || k->o->summary == 1) {
		/* only the report at the end */
	} else if (cli_print_event(&k->pr, k->c, ev)) {
		/* A reader that went away (udig run ... | head) is not an error;
		 * the program runs on, its events are drained and dropped. */
		if (errno != EPIPE) {
			cli_error("%s: write failed: %s", k->out_name, strerror(errno));
			k->status = 1;
		}
		*out_ok = 0;
	}
}

/* Hands the events dumped so far to the capture file, at most every
 * FLUSH_MS while busy (IDLE_FLUSH_MS when the ring is quiet).  A flush with
 * nothing new costs no system call. */
static void flush_file(struct live_consumer *k, int idle, uint64_t now, uint64_t *flushed, int *out_ok)
{
	if (!k->d || !*out_ok || now - *flushed < (idle ? IDLE_FLUSH_MS : FLUSH_MS))
		return;
	*flushed = now;
	if (udig_dump_flush(k->d) != UDIG_OK) {
		cli_error("%s: %s", k->o->wfile, udig_dump_geterr(k->d));
		*out_ok = 0;
		k->status = 1;
	}
}

/* The progress line: a whole line each time, in one write, and only when
 * the count moved.  The program shares the terminal: a line left open
 * with \r (as it once was) was torn by the program's own stderr. */
static void print_progress(udig_capture *c, uint64_t *shown)
{
	struct udig_stats st;
	char line[160];
	udig_get_stats(c, &st);
	if (st.events == *shown)
		return;
	*shown = st.events;
	int n = snprintf(line, sizeof line, "udig: %llu events captured, %llu dropped so far\n",
			 (unsigned long long)st.events, (unsigned long long)(st.drops_buffer + st.drops_invalid));
	if (n > 0 && write(2, line, (size_t)n) < 0)
		return; /* nowhere to say it */
}

static void *drain(void *arg)
{
	struct live_consumer *k = arg;
	/* Progress only where someone watches it and it does not mix with events. */
	int tty = isatty(2) && (k->o->wfile || k->o->ofile);
	/* A dumper that cannot be made is said once; the ring is still
	 * drained, so that the program is never held up by us. */
	int out_ok = k->wfd < 0 || make_dumper(k) == 0;
	uint64_t shown = 0;
	uint64_t last = now_ms(), flushed = last;
	unsigned since_clock = 0;
	for (;;) {
		struct udig_evt ev;
		/* Once the producers are gone (the tracer returned, or every
		 * process of the program was reaped), what they wrote is all
		 * published: the drain ends the first time the ring is empty.
		 * done is read before the look, so an empty ring then is empty
		 * for good; live_consumer_finish cuts short a wait that began
		 * before. */
		int done = atomic_load(&k->producers_done);
		int rc = udig_next_wait(k->c, &ev, done ? 0 : POLL_MS);
		if (rc != UDIG_OK || ++since_clock >= CLOCK_EVERY) {
			uint64_t now = now_ms();
			since_clock = 0;
			flush_file(k, rc == UDIG_TIMEOUT, now, &flushed, &out_ok);
			if (tty && now - last >= PROGRESS_MS) {
				print_progress(k->c, &shown);
				last = now;
			}
		}
		if (rc == UDIG_OK) {
			handle(k, &ev, &out_ok);
		} else if (rc == UDIG_TIMEOUT) {
			if (done)
				break;
		} else {
			cli_error("ring: %s", udig_geterr(k->c));
			k->status = 1;
			break;
		}
	}
	return NULL;
}

int live_consumer_start(struct live_consumer *k)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&k->thread, NULL, drain, k);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		cli_error("can't start the consumer thread: %s", strerror(rc));
		return -1;
	}
	k->started = 1;
	return 0;
}

void live_consumer_finish(struct live_consumer *k)
{
	atomic_store(&k->producers_done, 1);
	if (k->started) {
		udig_break_wait(k->c);
		pthread_join(k->thread, NULL);
	}
	k->started = 0;
}

void live_consumer_report(struct live_consumer *k, const char *engine)
{
	/* The tables come after every event, as strace -c's */
	if (k->out && ((k->summary && syscall_summary_print(k->summary, k->out) < 0) ||
		       (k->tree && proc_tree_print(k->tree, k->out, k->o->json) < 0)) && errno != EPIPE) {
		cli_error("%s: write failed: %s", k->out_name, strerror(errno));
		k->status = 1;
	}
	if (k->out)
		fflush(k->out);
	print_counts(k->c, 1);
	fprintf(stderr, ", engine %s\n", engine);
}

int live_consumer_close(struct live_consumer *k)
{
	char err[UDIG_ERRBUF_SIZE];
	int status = k->status;
	if (k->started)
		live_consumer_finish(k);
	if (k->c)
		cli_printer_free(&k->pr);
	syscall_summary_free(k->summary);
	k->summary = NULL;
	proc_tree_free(k->tree);
	k->tree = NULL;
	if (k->d && udig_dump_close(k->d, err) != UDIG_OK) {
		cli_error("%s", err);
		status = 1;
	}
	k->d = NULL;
	/* -w -: the end of the capture for whoever reads our stdout. */
	if (k->wfd >= 0 && close(k->wfd) != 0 && errno != EPIPE) {
		cli_error("-w %s: %s", k->o->wfile, strerror(errno));
		status = 1;
	}
	k->wfd = -1;
	if (k->out && k->out != stdout && fclose(k->out)) {
		cli_error("%s: %s", k->out_name, strerror(errno));
		status = 1;
	}
	k->out = NULL;
	/* The consumer thread writes with every signal blocked, so a reader
	 * that went away shows as EPIPE there; the last flush is ours, and gets
	 * the same treatment (a SIGPIPE left pending is collected right away). */
	sigset_t pipe_only, old;
	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
	if (fflush(stdout) && errno != EPIPE) {
		cli_error("stdout: %s", strerror(errno));
		status = 1;
	}
	struct timespec zero = { 0, 0 };
	while (sigtimedwait(&pipe_only, NULL, &zero) == SIGPIPE)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (k->c) {
		udig_close(k->c);
		k->c = NULL;
	}
	if (k->ring[0])
		unlink_ring(k);
	udig_filter_free(k->flt);
	k->flt = NULL;
	return status;
}
