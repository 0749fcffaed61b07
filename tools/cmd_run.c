/*
 * `udig run [options] -- CMD [ARGS]`: run CMD under capture and print its
 * events live (sysdig text or JSON lines), or write them to a capture file.
 * CMD keeps its stdin/stdout/stderr; udig exits with CMD's status (128+N when
 * CMD died of signal N, as shells report it).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "run_child.h"

struct run_opts {
	const char *engine;
	uint32_t snaplen;
	int lossless, json, verbose;
	const char *wfile, *ofile;
	char filter[4096];
};

static void usage(FILE *f)
{
	fprintf(f, "usage: udig run [OPTIONS] -- CMD [ARGS]\n"
		   "  --engine=auto|preload   capture engine (auto: preload for dynamic programs)\n"
		   "  -s, --snaplen=N         bytes of I/O data kept per event (default 80)\n"
		   "  --lossless              make the program wait for ring space instead of dropping\n"
		   "  -j, --json              JSON lines instead of sysdig's text\n"
		   "  -w, --write=FILE[.gz]   write a capture file instead of printing\n"
		   "  -o, --output=FILE       print events to FILE instead of stdout\n"
		   "  -f, --filter=EXPR       only events matching EXPR (sysdig filter syntax)\n"
		   "  -t, --type=T[,T...]     only these event types\n"
		   "  -p, --pid=PID           only this process\n"
		   "  -c, --comm=NAME         only processes with this name\n"
		   "  -v, --verbose           say which engine runs and why\n");
}

static int add_filter(struct run_opts *o, const char *fmt, const char *val)
{
	size_t used = strlen(o->filter);
	char clause[1024];
	snprintf(clause, sizeof clause, fmt, val);
	int n = snprintf(o->filter + used, sizeof o->filter - used, "%s(%s)", used ? " and " : "", clause);
	return n < 0 || (size_t)n >= sizeof o->filter - used ? -1 : 0;
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "engine", required_argument, 0, 'E' }, { "snaplen", required_argument, 0, 's' },
		{ "lossless", no_argument, 0, 'L' },     { "json", no_argument, 0, 'j' },
		{ "write", required_argument, 0, 'w' },  { "output", required_argument, 0, 'o' },
		{ "filter", required_argument, 0, 'f' }, { "type", required_argument, 0, 't' },
		{ "pid", required_argument, 0, 'p' },    { "comm", required_argument, 0, 'c' },
		{ "verbose", no_argument, 0, 'v' },      { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int opt;
	memset(o, 0, sizeof *o);
	o->engine = "auto";
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+s:jw:o:f:t:p:c:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'E': o->engine = optarg; break;
		case 's': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || v == 0 || v > UDIG_MAX_ARG_SIZE) {
				cli_error("run: snaplen must be 1..%d, not '%s'", UDIG_MAX_ARG_SIZE, optarg);
				return -1;
			}
			o->snaplen = (uint32_t)v;
			break;
		}
		case 'L': o->lossless = 1; break;
		case 'j': o->json = 1; break;
		case 'w': o->wfile = optarg; break;
		case 'o': o->ofile = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'f': if (add_filter(o, "%s", optarg)) goto toolong; break;
		case 't': {
			char list[1024];
			snprintf(list, sizeof list, "%s", optarg);
			if (add_filter(o, "evt.type in (%s)", list)) goto toolong;
			break;
		}
		case 'p': if (add_filter(o, "proc.pid=%s", optarg)) goto toolong; break;
		case 'c': if (add_filter(o, "proc.name=%s", optarg)) goto toolong; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind >= argc) {
		cli_error("run: no command given (udig run [OPTIONS] -- CMD [ARGS])");
		return -1;
	}
	if (strcmp(o->engine, "auto") && strcmp(o->engine, "preload")) {
		cli_error("run: unknown engine '%s' (auto, preload)", o->engine);
		return -1;
	}
	if (o->wfile && (o->ofile || o->json)) {
		cli_error("run: -w writes a capture file; it does not combine with -o or -j");
		return -1;
	}
	return optind;
toolong:
	cli_error("run: filter too long");
	return -1;
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void progress(udig_capture *c, int final)
{
	struct udig_stats st;
	udig_get_stats(c, &st);
	fprintf(stderr, "%sudig: %llu events captured, %llu dropped", final ? "" : "\r",
		(unsigned long long)st.events, (unsigned long long)(st.drops_buffer + st.drops_invalid));
	if (final)
		fprintf(stderr, " (ring full %llu, invalid %llu)", (unsigned long long)st.drops_buffer,
			(unsigned long long)st.drops_invalid);
	fputs(final ? "" : " ", stderr);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	char err[UDIG_ERRBUF_SIZE], ring[128], descs[128];
	int first = parse_opts(argc, argv, &o);
	if (first < 0)
		return 2;
	char **cmd = argv + first;

	int dyn = run_is_dynamic(cmd[0]);
	if (dyn < 0) {
		cli_error("%s: command not found", cmd[0]);
		return 127;
	}
	if (!dyn) {
		cli_error("run: %s is statically linked: the preload engine cannot capture it", cmd[0]);
		return 2;
	}
	const char *lib = run_find_preload();
	if (!lib) {
		cli_error("run: libudig.so not found (set UDIG_PRELOAD)");
		return 2;
	}
	if (o.verbose)
		fprintf(stderr, "udig: engine preload (%s is dynamically linked; %s)\n", cmd[0], lib);

	int ok;
	char *fargv[] = { o.filter };
	udig_filter *flt = cli_filter(o.filter[0] ? 1 : 0, fargv, &ok);
	if (!ok)
		return 2;

	/* A private ring per run: concurrent runs and a user's own sysdig session never meet. */
	snprintf(ring, sizeof ring, "udig.%u.%d.buf", (unsigned)getuid(), (int)getpid());
	snprintf(descs, sizeof descs, "udig.%u.%d.descs", (unsigned)getuid(), (int)getpid());
	struct udig_live_opts lo = { .ring_name = ring, .descs_name = descs, .snaplen = o.snaplen,
				     .lossless = o.lossless, .private_ring = 1 };
	udig_capture *c = udig_open_live(&lo, err);
	if (!c) {
		cli_error("run: %s", err);
		udig_filter_free(flt);
		return 1;
	}
	int status = 0;
	udig_dumper *d = NULL;
	FILE *out = stdout;
	if (o.wfile && !(d = udig_dump_open(c, o.wfile, cli_wants_gzip(o.wfile), err))) {
		cli_error("%s", err);
		status = 1;
		goto done;
	}
	if (o.ofile && !(out = fopen(o.ofile, "w"))) {
		cli_error("%s: %s", o.ofile, strerror(errno));
		out = stdout;
		status = 1;
		goto done;
	}

	char e_preload[4200], e_ring[160], e_descs[160];
	snprintf(e_preload, sizeof e_preload, "LD_PRELOAD=%s", lib);
	snprintf(e_ring, sizeof e_ring, "UDIG_RING=%s", ring);
	snprintf(e_descs, sizeof e_descs, "UDIG_DESCS=%s", descs);
	char *env[] = { e_preload, e_ring, e_descs, o.lossless ? "UDIG_LOSSLESS=1" : NULL, NULL };

	/* Like system(): the terminal's ^C goes to CMD; we keep reading until it is gone. */
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t child = run_spawn(cmd, env, err, sizeof err);
	if (child < 0) {
		cli_error("%s", err);
		status = errno == ENOENT ? 127 : 126;
		goto restore;
	}

	struct cli_printer pr;
	cli_printer_init(&pr, out, o.json);
	int tty = isatty(2) && !o.ofile && o.wfile, wstatus = 0, exited = 0, idle = 0, out_ok = 1;
	uint64_t last_progress = now_ms();
	for (;;) {
		struct udig_evt ev;
		int rc = udig_next_wait(c, &ev, 50);
		if (rc == UDIG_OK) {
			idle = 0;
			if (flt && !udig_filter_match(flt, c, &ev))
				continue;
			if (d) {
				if (udig_dump(d, &ev) != UDIG_OK && out_ok) {
					cli_error("%s: %s", o.wfile, udig_dump_geterr(d));
					out_ok = 0;
					status = 1;
				}
			} else if (out_ok && cli_print_event(&pr, c, &ev)) {
				out_ok = 0; /* keep draining the ring so CMD is never blocked by us */
			}
		} else if (rc == UDIG_TIMEOUT) {
			idle++;
		} else {
			cli_error("run: %s", udig_geterr(c));
			status = 1;
			break;
		}
		if (!exited) {
			pid_t w = waitpid(child, &wstatus, WNOHANG);
			if (w == child) {
				exited = 1;
				idle = 0;
			}
		} else if (idle >= 3) {
			break; /* CMD is gone and the ring has stayed empty */
		}
		if (tty && now_ms() - last_progress >= 2000) {
			progress(c, 0);
			last_progress = now_ms();
		}
	}
	if (!exited)
		waitpid(child, &wstatus, 0);
	cli_printer_free(&pr);
	if (tty)
		fputc('\n', stderr);
	progress(c, 1);
	fprintf(stderr, ", engine preload\n");
	if (status == 0)
		status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
restore:
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
done:
	if (d && udig_dump_close(d, err) != UDIG_OK) {
		cli_error("%s", err);
		if (!status)
			status = 1;
	}
	if (out != stdout && fclose(out)) {
		cli_error("%s: %s", o.ofile, strerror(errno));
		if (!status)
			status = 1;
	}
	fflush(stdout);
	udig_close(c);
	shm_unlink(ring);
	shm_unlink(descs);
	udig_filter_free(flt);
	return status;
}
