/* Draining a private ring for `udig run` / `udig attach` (see live_consumer.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "live_consumer.h"
#include "ring_janitor.h"
#include "udig/ring.h"

/* Once the producers we know of are gone (the tracer returned, or the
 * launched program exited), the drain ends when the ring has stayed empty
 * for this many polls of END_POLL_MS: what an exited process wrote is all
 * published, and a descendant that outlived it gets a moment to finish a
 * record (which takes microseconds).  A short command's whole run is often
 * shorter than a longer grace. */
#define IDLE_POLLS_TO_END 2
#define END_POLL_MS 2
/* Short, so that the end of the producers is noticed within it. */
#define POLL_MS 5
#define PROGRESS_MS 2000
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
}

static void unlink_ring(struct live_consumer *k)
{
	shm_unlink(k->ring);
	shm_unlink(k->descs);
	shm_unlink(k->mask); /* there when -t published an event mask */
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

int live_consumer_open(struct live_consumer *k, const struct capture_opts *o, const char *cmd)
{
	char err[UDIG_ERRBUF_SIZE];
	int ok;
	memset(k, 0, sizeof *k);
	k->janitor_fd = -1;
	survive_sigpipe();
	k->o = o;
	k->out = stdout;
	char *fargv[] = { (char *)o->filter };
	k->flt = cli_filter(o->filter[0] ? 1 : 0, fargv, &ok);
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
	/* Started before the names exist: whenever we die from here on, they go. */
	const char *names[] = { k->ring, k->descs, k->mask };
	char jerr[256];
	k->janitor_fd = ring_janitor_start(names, 3, jerr, sizeof jerr);
	if (k->janitor_fd < 0) {
		cli_error("%s: %s", cmd, jerr);
		return -1;
	}
	struct udig_live_opts lo = { .ring_name = k->ring, .descs_name = k->descs, .snaplen = o->snaplen,
				     .lossless = o->lossless, .new_ring = 1 };
	if (o->types[0])
		lo.event_mask = o->evmask;
	k->c = udig_open_live(&lo, err);
	if (!k->c) {
		cli_error("%s: %s", cmd, err);
		goto fail;
	}
	if (o->wfile && !(k->d = udig_dump_open(k->c, o->wfile, cli_wants_gzip(o->wfile), err))) {
		cli_error("%s", err);
		goto fail;
	}
	/* "e": the traced program must not inherit our output. */
	if (o->ofile && !(k->out = fopen(o->ofile, "we"))) {
		cli_error("%s: %s", o->ofile, strerror(errno));
		k->out = stdout;
		goto fail;
	}
	cli_printer_init(&k->pr, k->out, o->json);
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
	if (k->d) {
		if (udig_dump(k->d, ev) != UDIG_OK) {
			cli_error("%s: %s", k->o->wfile, udig_dump_geterr(k->d));
			*out_ok = 0;
			k->status = 1;
		}
	} else if (cli_print_event(&k->pr, k->c, ev)) {
		/* A reader that went away (udig run ... | head) is not an error;
		 * the program runs on, its events are drained and dropped. */
		if (errno != EPIPE) {
			cli_error("%s: write failed: %s", k->o->ofile ? k->o->ofile : "stdout", strerror(errno));
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

static void *drain(void *arg)
{
	struct live_consumer *k = arg;
	/* Progress only where someone watches it and it does not mix with events. */
	int tty = isatty(2) && (k->o->wfile || k->o->ofile);
	int idle = 0, out_ok = 1, shown = 0;
	uint64_t last = now_ms(), flushed = last;
	for (;;) {
		struct udig_evt ev;
		int rc = udig_next_wait(k->c, &ev, atomic_load(&k->producers_done) ? END_POLL_MS : POLL_MS);
		flush_file(k, rc == UDIG_TIMEOUT, now_ms(), &flushed, &out_ok);
		if (rc == UDIG_OK) {
			idle = 0;
			handle(k, &ev, &out_ok);
		} else if (rc == UDIG_TIMEOUT) {
			if (atomic_load(&k->producers_done) && ++idle >= IDLE_POLLS_TO_END)
				break;
		} else {
			cli_error("ring: %s", udig_geterr(k->c));
			k->status = 1;
			break;
		}
		if (tty && now_ms() - last >= PROGRESS_MS) {
			print_counts(k->c, 0);
			shown = 1;
			last = now_ms();
		}
	}
	if (shown)
		fputc('\n', stderr);
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
	if (k->started)
		pthread_join(k->thread, NULL);
	k->started = 0;
}

void live_consumer_report(struct live_consumer *k, const char *engine)
{
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
	if (k->d && udig_dump_close(k->d, err) != UDIG_OK) {
		cli_error("%s", err);
		status = 1;
	}
	k->d = NULL;
	if (k->out && k->out != stdout && fclose(k->out)) {
		cli_error("%s: %s", k->o->ofile, strerror(errno));
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
