/*
 * `udig listen [OPTIONS] [FILTER]`: the consumer of a named live ring — the
 * default one (udig_buf, udig_descs) or one of the user's naming (--ring) —
 * into which every program started with LD_PRELOAD=libudig.so writes, as
 * `sysdig -u` is for the kernel-less ring.  Prints events as `udig read`
 * does until SIGINT, SIGTERM or SIGHUP, then releases the ring (producers
 * stop writing) and removes the objects it created itself, unless --keep.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uthash.h>
#include "../cli.h"
#include "../ring_janitor.h"
#include "../run/child.h"
#include "udig/encode/ring_shm.h"
#include "udig/ring.h"

/* The wait between looks at the stop flag: a signal interrupts only the
 * ring's current nap, not the whole wait. */
#define POLL_MS 100
/* A capture file reaches the disk at least this often while events flow
 * (and soon after they stop), as with `udig run -w`: a killed listen leaves
 * a readable file. */
#define FLUSH_MS 1000
#define IDLE_FLUSH_MS 100
#define PROGRESS_MS 2000
/* Processes named one by one in the final statistics line. */
#define WRITERS_SHOWN 8

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

struct listen_opts {
	int json, quiet, summary, verbose, shared, keep;
	uint32_t snaplen;
	unsigned long long limit;
	const char *wfile;
	const char *format;  /* -p: sysdig's %field lines */
	char ring[256], descs[256];
};

/* A process seen writing into the ring, and how many events it wrote. */
struct writer {
	int64_t pid;
	uint64_t n;
	char comm[32];
	UT_hash_handle hh;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: udig listen [OPTIONS] [FILTER]\n"
		"  Becomes the consumer of a live ring and prints the events of every program\n"
		"  started with LD_PRELOAD=libudig.so (before or after it), until ^C.\n"
		"  -j, --json          one JSON object per event, of the fields of the format (sysdig -j)\n"
		"  -p, --print=FORMAT  print fields as sysdig -p does, e.g. \"%%evt.num %%proc.name %%fd.name\"\n"
		"  -q, --quiet         track state, print nothing (statistics line only)\n"
		"  -w, --write=FILE    write the selected events to a capture (gzip if FILE ends in .gz;\n"
		"                      -w -: to stdout)\n"
		"  -n, --count=COUNT   stop after COUNT selected events\n"
		"  -c, --summary       print no events; at the end, what `udig stats` prints\n"
		"  -s, --snaplen=N     bytes of I/O data kept per event (default %d)\n"
		"  -r, --ring=NAME     use the ring NAME.buf, NAME.descs instead of udig_buf,\n"
		"                      udig_descs: start programs with UDIG_RING=NAME.buf\n"
		"                      UDIG_DESCS=NAME.descs; one capture per ring name\n"
		"      --shared        create the ring mode 0666 (or accept one others may open):\n"
		"                      any user's programs may write, if started with\n"
		"                      UDIG_SHARED_RING=1 (default: 0600, your programs only)\n"
		"      --keep          leave the ring's objects in /dev/shm at exit (default:\n"
		"                      remove those this listen created)\n"
		"  -v, --verbose       say on stderr when a process starts writing\n"
		"  FILTER              e.g. \"evt.type in (open,openat) and proc.name=cat\"\n"
		"  $UDIG_RING / $UDIG_DESCS name the ring when --ring is not given.\n",
		UDIG_DEFAULT_SNAPLEN);
}

static int parse_count(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || !*s || *s == '-' || v == 0)
		return -1;
	*out = v;
	return 0;
}

/* NAME becomes NAME.buf / NAME.descs: one path component, short enough
 * for the mask object (NAME.descs.mask) too. */
static int set_ring_names(struct listen_opts *o, const char *base)
{
	if (!*base || strchr(base, '/') || !strcmp(base, ".") || !strcmp(base, "..") || strlen(base) > 200) {
		cli_error("listen: --ring wants a name without '/' (at most 200 bytes), not '%s'", base);
		return -1;
	}
	snprintf(o->ring, sizeof o->ring, "%s.buf", base);
	snprintf(o->descs, sizeof o->descs, "%s.descs", base);
	return 0;
}

/* Returns the index of the first FILTER word, or -1 after printing why. */
static int parse_opts(int argc, char **argv, struct listen_opts *o)
{
	enum { OPT_SHARED = 256, OPT_KEEP };
	static const struct option longopts[] = {
		{ "json", no_argument, 0, 'j' },        { "quiet", no_argument, 0, 'q' },
		{ "write", required_argument, 0, 'w' }, { "count", required_argument, 0, 'n' },
		{ "summary", no_argument, 0, 'c' },     { "snaplen", required_argument, 0, 's' },
		{ "ring", required_argument, 0, 'r' },  { "shared", no_argument, 0, OPT_SHARED },
		{ "keep", no_argument, 0, OPT_KEEP },   { "verbose", no_argument, 0, 'v' },
		{ "print", required_argument, 0, 'p' }, { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int opt, named = 0;
	memset(o, 0, sizeof *o);
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "+jqw:n:cs:r:vp:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j': o->json = 1; break;
		case 'p': o->format = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'w': o->wfile = optarg; break;
		case 'c': o->summary = 1; break;
		case 'v': o->verbose = 1; break;
		case OPT_SHARED: o->shared = 1; break;
		case OPT_KEEP: o->keep = 1; break;
		case 'n':
			if (parse_count(optarg, &o->limit)) {
				cli_error("listen: -n wants a positive count, not '%s'", optarg);
				return -1;
			}
			break;
		case 's': {
			unsigned long long v;
			if (parse_count(optarg, &v) || v > UDIG_MAX_ARG_SIZE) {
				cli_error("listen: snaplen must be 1..%d, not '%s'", UDIG_MAX_ARG_SIZE, optarg);
				return -1;
			}
			o->snaplen = (uint32_t)v;
			break;
		}
		case 'r':
			if (set_ring_names(o, optarg))
				return -1;
			named = 1;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (o->wfile && o->json) {
		cli_error("listen: -w writes a capture file; it does not combine with -j");
		return -1;
	}
	if (o->summary && (o->json || o->quiet || o->format)) {
		cli_error("listen: -c prints a summary instead of events; it does not combine with -j, -p or -q");
		return -1;
	}
	if (o->summary && o->wfile && !strcmp(o->wfile, "-")) {
		cli_error("listen: -w - writes the capture to stdout, where -c would print its summary");
		return -1;
	}
	if (o->format && o->wfile) {
		cli_error("listen: -p formats the printed events; it does not combine with -w");
		return -1;
	}
	if (!named) {
		/* What the producers started from this environment would use. */
		const char *rn = getenv(UDIG_ENV_RING_NAME), *dn = getenv(UDIG_ENV_DESCS_NAME);
		snprintf(o->ring, sizeof o->ring, "%s", rn && *rn ? rn : UDIG_RING_NAME_DEFAULT);
		snprintf(o->descs, sizeof o->descs, "%s", dn && *dn ? dn : UDIG_DESCS_NAME_DEFAULT);
	}
	return optind;
}

/*
 * Creates one object with O_EXCL, exactly `mode` and sized, so that we know
 * for certain whether it is ours to remove at exit.  Returns 0 with *made
 * set when we made it and clear when it existed (udig_open_live then
 * applies the trust rule to it), or -1 with a message.
 */
static int create_object(const char *name, size_t size, mode_t mode, int *made)
{
	char path[300];
	*made = 0;
	if (udig_shm_path(name, path, sizeof path) < 0) {
		cli_error("listen: ring name too long: %s", name);
		return -1;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		cli_error("listen: can't create %s: %s", path, strerror(errno));
		return -1;
	}
	/* The umask must not decide who may write: the mode is exactly ours. */
	if (fchmod(fd, mode) < 0 || ftruncate(fd, (off_t)size) < 0) {
		cli_error("listen: can't set up %s: %s", path, strerror(errno));
		unlink(path);
		close(fd);
		return -1;
	}
	close(fd);
	*made = 1;
	return 0;
}

struct ring_names {
	const char *name[2];
	int made[2];
	int n_made;
	int janitor_fd;
};

/*
 * Removes the objects we created.  The janitor is told first and does it;
 * we wait until the names are gone before going on: a janitor still
 * pending could otherwise remove the objects of the next `udig listen` on
 * the same names (and for the same reason we do not unlink them again once
 * it has).  Without a janitor, or one that does not answer, we do it.
 */
static void remove_ours(struct ring_names *rn)
{
	char path[2][300];
	for (int i = 0; i < 2; i++)
		udig_shm_path(rn->name[i], path[i], sizeof path[i]);
	if (rn->janitor_fd >= 0) {
		close(rn->janitor_fd);
		rn->janitor_fd = -1;
		struct stat st;
		for (int tries = 0; tries < 2000; tries++) {
			int left = 0;
			for (int i = 0; i < 2; i++)
				left += rn->made[i] && lstat(path[i], &st) == 0;
			if (!left) {
				rn->n_made = 0;
				return;
			}
			struct timespec ms = { 0, 1000000 };
			nanosleep(&ms, NULL);
		}
	}
	for (int i = 0; i < 2; i++)
		if (rn->made[i])
			unlink(path[i]);
	rn->n_made = 0;
}

static int make_ring(const struct listen_opts *o, struct ring_names *rn)
{
	mode_t mode = o->shared ? 0666 : 0600;
	memset(rn, 0, sizeof *rn);
	rn->janitor_fd = -1;
	rn->name[0] = o->ring;
	rn->name[1] = o->descs;
	if (create_object(o->ring, UDIG_RINGBUF_SIZE, mode, &rn->made[0]) < 0 ||
	    create_object(o->descs, UDIG_DESCS_SIZE, mode, &rn->made[1]) < 0) {
		remove_ours(rn);
		return -1;
	}
	const char *ours[2];
	for (int i = 0; i < 2; i++)
		if (rn->made[i])
			ours[rn->n_made++] = rn->name[i];
	if (rn->n_made && !o->keep) {
		/* From here on the names go whenever we die, SIGKILL included
		 * (a kill in the instant between their creation and this is the
		 * one case that leaves them). */
		char jerr[256];
		if (ring_janitor_start(ours, rn->n_made, &rn->janitor_fd, jerr, sizeof jerr) < 0) {
			cli_error("listen: %s", jerr);
			remove_ours(rn);
			return -1;
		}
	}
	return 0;
}

/* The stderr line that tells a user how to feed this listen. */
static void say_listening(const struct listen_opts *o, const struct ring_names *rn)
{
	struct stat st;
	char path[300];
	const char *lib = run_find_preload();
	int named = strcmp(o->ring, UDIG_RING_NAME_DEFAULT) || strcmp(o->descs, UDIG_DESCS_NAME_DEFAULT);
	udig_shm_path(o->descs, path, sizeof path);
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 0777 : (o->shared ? 0666 : 0600);
	fprintf(stderr, "udig: listening on ring %s, %s (%s, mode 0%03o%s); start programs with ", o->ring, o->descs,
		rn->n_made == 2 ? "created" : rn->n_made ? "partly created" : "existing", (unsigned)mode,
		mode & 077 ? "" : ": your programs only");
	if (mode & 077)
		fputs("UDIG_SHARED_RING=1 ", stderr);
	if (named)
		fprintf(stderr, "UDIG_RING=%s UDIG_DESCS=%s ", o->ring, o->descs);
	fprintf(stderr, "LD_PRELOAD=%s\n", lib ? lib : "libudig.so");
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* Counts the event for its process; with -v, says when a process starts
 * writing and when it becomes another program (execve). */
static void note_writer(struct writer **tab, udig_capture *c, const struct udig_evt *ev, int verbose)
{
	const struct udig_threadinfo *ti = udig_get_thread(c, (int64_t)ev->tid);
	int64_t pid = ti ? ti->pid : (int64_t)ev->tid;
	const char *comm = ti ? ti->comm : "<NA>";
	struct writer *w;
	HASH_FIND(hh, *tab, &pid, sizeof pid, w);
	if (!w) {
		if (!(w = calloc(1, sizeof *w)))
			return;
		w->pid = pid;
		snprintf(w->comm, sizeof w->comm, "%s", comm);
		HASH_ADD(hh, *tab, pid, sizeof w->pid, w);
		if (verbose)
			fprintf(stderr, "udig: process %lld (%s) is writing\n", (long long)pid, comm);
	} else if (strncmp(w->comm, comm, sizeof w->comm - 1)) {
		if (verbose && ti)
			fprintf(stderr, "udig: process %lld is now %s (was %s)\n", (long long)pid, comm, w->comm);
		snprintf(w->comm, sizeof w->comm, "%s", comm);
	}
	w->n++;
}

static int by_events(struct writer *a, struct writer *b)
{
	return a->n < b->n ? 1 : a->n > b->n ? -1 : (a->pid > b->pid) - (a->pid < b->pid);
}

/* "udig: N events captured, M dropped (ring full F, invalid I), from 2
 * processes: cat (1234) 12, sh (1233) 7" — on stderr; stdout is events. */
static void report(udig_capture *c, struct writer **tab)
{
	struct udig_stats st;
	udig_get_stats(c, &st);
	fprintf(stderr, "udig: %llu events captured, %llu dropped (ring full %llu, invalid %llu), from %u process%s",
		(unsigned long long)st.events, (unsigned long long)(st.drops_buffer + st.drops_invalid),
		(unsigned long long)st.drops_buffer, (unsigned long long)st.drops_invalid, HASH_COUNT(*tab),
		HASH_COUNT(*tab) == 1 ? "" : "es");
	HASH_SORT(*tab, by_events);
	struct writer *w, *tmp;
	unsigned i = 0;
	HASH_ITER(hh, *tab, w, tmp) {
		if (i == WRITERS_SHOWN) {
			fprintf(stderr, ", and %u more", HASH_COUNT(*tab) - i);
			break;
		}
		fprintf(stderr, "%s%s (%lld) %llu", i++ ? ", " : ": ", w->comm, (long long)w->pid,
			(unsigned long long)w->n);
	}
	fputc('\n', stderr);
}

static void free_writers(struct writer **tab)
{
	struct writer *w, *tmp;
	HASH_ITER(hh, *tab, w, tmp) {
		HASH_DEL(*tab, w);
		free(w);
	}
}

struct session {
	const struct listen_opts *o;
	udig_capture *c;
	udig_filter *flt;
	udig_dumper *d;
	struct cli_summary *sum;
	struct cli_printer pr;
	struct writer *writers;
	unsigned long long shown;
	int out_ok, status;
	int unflushed; /* events printed since stdout was last flushed */
};

/* One event through filter, tally and output.  Returns 1 when -n is reached. */
static int handle(struct session *s, const struct udig_evt *ev)
{
	note_writer(&s->writers, s->c, ev, s->o->verbose);
	if (s->flt && !udig_filter_match(s->flt, s->c, ev))
		return 0;
	if (s->sum)
		cli_summary_add(s->sum, s->c, ev);
	if (s->d) {
		if (s->out_ok && udig_dump(s->d, ev) != UDIG_OK) {
			cli_error("%s: %s", s->o->wfile, udig_dump_geterr(s->d));
			s->out_ok = 0;
			s->status = 1;
			stop_requested = 1;
		}
	} else if (!s->o->quiet && !s->sum && s->out_ok && !(ev->dump_flags & UDIG_DF_STATE_ONLY)) {
		s->unflushed = 1;
		if (cli_print_event(&s->pr, s->c, ev)) {
			/* A reader that went away (udig listen | head) ends the
			 * capture, as it would end sysdig's; not an error. */
			if (errno != EPIPE) {
				cli_error("writing output: %s", strerror(errno));
				s->status = 1;
			}
			s->out_ok = 0;
			stop_requested = 1;
		}
	}
	return s->o->limit && ++s->shown >= s->o->limit;
}

static void flush_file(struct session *s, int idle, uint64_t now, uint64_t *flushed)
{
	if (!s->d || !s->out_ok || now - *flushed < (idle ? IDLE_FLUSH_MS : FLUSH_MS))
		return;
	*flushed = now;
	if (udig_dump_flush(s->d) != UDIG_OK) {
		cli_error("%s: %s", s->o->wfile, udig_dump_geterr(s->d));
		s->out_ok = 0;
		s->status = 1;
		stop_requested = 1;
	}
}

static void flush_stdout(struct session *s)
{
	if (!s->unflushed || !s->out_ok)
		return;
	s->unflushed = 0;
	if (fflush(stdout) == EOF) {
		if (errno != EPIPE) {
			cli_error("writing output: %s", strerror(errno));
			s->status = 1;
		}
		s->out_ok = 0;
		stop_requested = 1;
	}
}

static void consume(struct session *s)
{
	int tty = isatty(2) && (s->o->wfile || s->o->quiet || s->o->summary);
	uint64_t last = now_ms(), flushed = last;
	int progress = 0, limit_reached = 0;
	struct udig_evt ev;
	int rc = UDIG_OK;
	while (!stop_requested) {
		/* Whenever the ring runs dry, what was printed goes out: a
		 * reader of a pipe or file sees events live, in whole bursts. */
		rc = udig_next_wait(s->c, &ev, 0);
		if (rc == UDIG_TIMEOUT) {
			flush_stdout(s);
			rc = udig_next_wait(s->c, &ev, POLL_MS);
		}
		uint64_t now = now_ms();
		flush_file(s, rc == UDIG_TIMEOUT, now, &flushed);
		if (rc == UDIG_OK) {
			if (handle(s, &ev)) {
				limit_reached = 1;
				break;
			}
		} else if (rc != UDIG_TIMEOUT) {
			break;
		}
		if (tty && now - last >= PROGRESS_MS) {
			struct udig_stats st;
			udig_get_stats(s->c, &st);
			fprintf(stderr, "\rudig: %llu events captured, %llu dropped", (unsigned long long)st.events,
				(unsigned long long)(st.drops_buffer + st.drops_invalid));
			progress = 1;
			last = now;
		}
	}
	if (progress)
		fputc('\n', stderr);
	if (rc != UDIG_OK && rc != UDIG_TIMEOUT) {
		cli_error("ring: %s", rc == UDIG_EOF ? "the capture ended" : udig_geterr(s->c));
		s->status = 1;
		return;
	}
	if (limit_reached || !s->out_ok)
		return;
	/* Stopped by a signal: producers stop writing now, and what they wrote
	 * before is still shown (the ring holds at most 8 MiB of it). */
	udig_stop(s->c);
	while (udig_next_wait(s->c, &ev, 0) == UDIG_OK && s->out_ok)
		if (handle(s, &ev))
			break;
	/* The stop flag lives in the shared block: cleared again before we
	 * release the ring, so that a next consumer that does not clear it
	 * (whatever its make) does not find its producers silenced. */
	udig_start(s->c);
}

int cmd_listen(int argc, char **argv)
{
	struct listen_opts o;
	struct ring_names rn;
	char err[UDIG_ERRBUF_SIZE];
	int first = parse_opts(argc, argv, &o), ok;
	if (first < 0)
		return 2;
	struct session s = { .o = &o, .out_ok = 1 };
	s.flt = cli_filter(argc - first, argv + first, o.json ? UDIG_FORMAT_JSON : 0, &ok);
	if (!ok)
		return 2;
	/* Every argument is checked before a ring is made. */
	cli_printer_init(&s.pr, stdout, o.json);
	if (cli_printer_format(&s.pr, "listen", o.format) < 0) {
		cli_printer_free(&s.pr);
		udig_filter_free(s.flt);
		return 2;
	}
	if (o.summary && !(s.sum = cli_summary_new())) {
		cli_error("out of memory");
		cli_printer_free(&s.pr);
		udig_filter_free(s.flt);
		return 1;
	}
	/* Caught before the ring is ours: from then on a signal must not kill
	 * us with the ring held.  No SA_RESTART: the wait returns to look. */
	struct sigaction sa = { .sa_handler = on_stop }, old[3], oldpipe;
	static const int stops[3] = { SIGINT, SIGTERM, SIGHUP };
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &sa, &old[i]);
	struct sigaction ign = { .sa_handler = SIG_IGN };
	sigaction(SIGPIPE, &ign, &oldpipe);

	if (make_ring(&o, &rn) < 0) {
		s.status = 1;
		goto out;
	}
	struct udig_live_opts lo = { .ring_name = o.ring, .descs_name = o.descs, .snaplen = o.snaplen,
				     .shared_ring = o.shared };
	s.c = udig_open_live(&lo, err);
	if (!s.c) {
		cli_error("listen: %s", err);
		if (!rn.n_made)
			fprintf(stderr, "udig: for a capture of your own, name another ring: udig listen --ring NAME, "
					"and start programs with UDIG_RING=NAME.buf UDIG_DESCS=NAME.descs%s\n",
				strstr(err, "has mode") ? " (or accept this one with --shared)" : "");
		s.status = 1;
		goto out;
	}
	if (o.wfile && !(s.d = cli_dump_open(s.c, o.wfile, err))) {
		cli_error("%s", err);
		s.status = 1;
		goto out;
	}
	say_listening(&o, &rn);
	consume(&s);
	report(s.c, &s.writers);
	if (s.sum)
		cli_summary_print(s.sum);
out:
	if (s.d && udig_dump_close(s.d, err) != UDIG_OK) {
		cli_error("%s", err);
		s.status = 1;
	}
	if (fflush(stdout) == EOF && errno != EPIPE && !s.status) {
		cli_error("writing output: %s", strerror(errno));
		s.status = 1;
	}
	/* The names go first, the ring last: a listen started meanwhile finds
	 * either no names (and makes its own ring) or a ring still held (and
	 * says so), never a ring whose names are about to vanish under it. */
	if (rn.n_made && !o.keep)
		remove_ours(&rn);
	else if (s.c && !rn.n_made && !o.keep)
		/* Programs that still map them would lose their way to the next
		 * listen if we took the names away. */
		fprintf(stderr, "udig: left ring %s, %s in /dev/shm: they existed before this listen\n", o.ring,
			o.descs);
	if (s.c)
		udig_close(s.c);
	free_writers(&s.writers);
	cli_summary_free(s.sum);
	cli_printer_free(&s.pr);
	udig_filter_free(s.flt);
	for (int i = 0; i < 3; i++)
		sigaction(stops[i], &old[i], NULL);
	sigaction(SIGPIPE, &oldpipe, NULL);
	return s.status;
}
