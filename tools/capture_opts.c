/* Option parsing of `udig run` and `udig attach`. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <udig/event.h>
#include "capture_opts.h"
#include "cli.h"
#include "run_feed.h"

void capture_opts_usage(FILE *f, int which)
{
	if (which == CAPTURE_OPTS_RUN)
		fprintf(f, "usage: udig run [OPTIONS] -- CMD [ARGS]\n"
			   "  --engine=ENGINE         auto (default), preload, ptrace or unotify:\n"
			   "                          auto = preload for dynamic programs (with ptrace following\n"
			   "                          execs into static ones), ptrace for static programs,\n"
			   "                          unotify when ptrace is unavailable\n");
	else
		fprintf(f, "usage: udig attach [OPTIONS] PID\n"
			   "  captures PID's threads and the processes it creates until SIGINT/SIGTERM,\n"
			   "  then detaches and leaves it running (ptrace engine)\n");
	fprintf(f, "  -s, --snaplen=N         bytes of I/O data kept per event (default %d)\n"
		   "  --drop                  drop events when the ring is full (counted) instead of\n"
		   "                          making the program wait for udig, as the kernel drivers\n"
		   "                          do; by default nothing is lost (--lossless, accepted)\n"
		   "  -j, --json              JSON lines instead of sysdig's text\n"
		   "  -w, --write=FILE[.gz]   write a capture file instead of printing\n"
		   "  -o, --output=FILE       print events to FILE instead of stdout\n"
		   "  -f, --filter=EXPR       only events matching EXPR (sysdig filter syntax)\n"
		   "  -t, --type=T[,T...]     only these event types\n"
		   "  -p, --pid=PID           only this process\n"
		   "  -c, --comm=NAME         only processes with this name\n"
		   "  -v, --verbose           say which engine runs and why\n",
		UDIG_DEFAULT_SNAPLEN);
}

/* Each clause is parenthesised so that user expressions cannot change the
 * meaning of the others. */
static int add_filter(struct capture_opts *o, const char *fmt, const char *val)
{
	size_t used = strlen(o->filter);
	char clause[1024];
	int n = snprintf(clause, sizeof clause, fmt, val);
	if (n < 0 || (size_t)n >= sizeof clause)
		return -1;
	n = snprintf(o->filter + used, sizeof o->filter - used, "%s(%s)", used ? " and " : "", clause);
	return n < 0 || (size_t)n >= sizeof o->filter - used ? -1 : 0;
}

static int parse_snaplen(const char *s, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || !*s || *s == '-' || v == 0 || v > UDIG_MAX_ARG_SIZE)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int capture_opts_parse(int argc, char **argv, struct capture_opts *o, int which)
{
	static const struct option longopts[] = {
		{ "engine", required_argument, 0, 'E' }, { "snaplen", required_argument, 0, 's' },
		{ "lossless", no_argument, 0, 'L' },     { "drop", no_argument, 0, 'D' },
		{ "json", no_argument, 0, 'j' },
		{ "write", required_argument, 0, 'w' },  { "output", required_argument, 0, 'o' },
		{ "filter", required_argument, 0, 'f' }, { "type", required_argument, 0, 't' },
		{ "pid", required_argument, 0, 'p' },    { "comm", required_argument, 0, 'c' },
		{ "verbose", no_argument, 0, 'v' },      { "help", no_argument, 0, 'h' },
		{ "ring", required_argument, 0, 'R' },
		{ 0, 0, 0, 0 },
	};
	const char *cmd = which == CAPTURE_OPTS_RUN ? "run" : "attach";
	int opt;
	memset(o, 0, sizeof *o);
	o->engine = "auto";
	/* Lossless unless asked: the program waits for our consumer, as
	 * under strace (a user tracing one program expects every syscall). */
	o->lossless = 1;
	optind = 1;
	opterr = 1;
	while ((opt = getopt_long(argc, argv, "+s:jw:o:f:t:p:c:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'E':
			if (which != CAPTURE_OPTS_RUN) {
				cli_error("attach: the engine is always ptrace; --engine is for udig run");
				return -1;
			}
			o->engine = optarg;
			break;
		case 's':
			if (parse_snaplen(optarg, &o->snaplen)) {
				cli_error("%s: snaplen must be 1..%d, not '%s'", cmd, UDIG_MAX_ARG_SIZE, optarg);
				return -1;
			}
			break;
		case 'R': if (capture_opts_feed(o, optarg, which)) return -1; break;
		case 'L': o->lossless = 1; break; /* the default; kept for compatibility */
		case 'D': o->lossless = 0; break;
		case 'j': o->json = 1; break;
		case 'w': o->wfile = optarg; break;
		case 'o': o->ofile = optarg; break;
		case 'v': o->verbose = 1; break;
		case 'f': if (add_filter(o, "%s", optarg)) goto toolong; break;
		case 't': {
			size_t used = strlen(o->types);
			int n = snprintf(o->types + used, sizeof o->types - used, "%s%s", used ? "," : "", optarg);
			if (n < 0 || (size_t)n >= sizeof o->types - used || add_filter(o, "evt.type in (%s)", optarg))
				goto toolong;
			break;
		}
		case 'p': if (add_filter(o, "proc.pid=%s", optarg)) goto toolong; break;
		case 'c': if (add_filter(o, "proc.name=%s", optarg)) goto toolong; break;
		case 'h': capture_opts_usage(stdout, which); exit(0);
		default: capture_opts_usage(stderr, which); return -1;
		}
	}
	if (optind >= argc) {
		if (which == CAPTURE_OPTS_RUN)
			cli_error("run: no command given (udig run [OPTIONS] -- CMD [ARGS])");
		else
			cli_error("attach: no pid given (udig attach [OPTIONS] PID)");
		return -1;
	}
	inject_mask_all(o->syscalls);
	if (o->types[0]) {
		char err[256];
		if (capture_types_masks(o->types, o->evmask, o->syscalls, err, sizeof err) < 0) {
			cli_error("%s: %s", cmd, err);
			return -1;
		}
	}
	if (o->wfile && (o->ofile || o->json)) {
		cli_error("%s: -w writes a capture file; it does not combine with -o or -j", cmd);
		return -1;
	}
	return optind;
toolong:
	cli_error("%s: filter too long", cmd);
	return -1;
}
