/* Option parsing of `udig run` and `udig attach`. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <udig/event.h>
#include "capture_opts.h"
#include "cli.h"
#include "run/feed.h"

void capture_opts_usage(FILE *f, int which)
{
	if (which == CAPTURE_OPTS_RUN)
		fprintf(f, "usage: udig run [OPTIONS] -- CMD [ARGS]\n"
			   "       udig run [OPTIONS] -p PID      (strace -p: same as udig attach PID)\n"
			   "  events go to stderr (as strace's), never into CMD's stdout; -o FILE or -w FILE\n"
			   "  elsewhere\n"
			   "  --engine=ENGINE         auto (default), preload, ptrace or unotify:\n"
			   "                          auto = preload for dynamic programs (with ptrace following\n"
			   "                          execs into static ones), ptrace for static programs,\n"
			   "                          unotify when ptrace is unavailable\n"
			   "  --no-rewrite            preload: keep every syscall on the trap path (no fast path;\n"
			   "                          same as UDIG_REWRITE=0)\n");
	else
		fprintf(f, "usage: udig attach [OPTIONS] PID\n"
			   "  captures PID's threads and the processes it creates until SIGINT/SIGTERM,\n"
			   "  then detaches and leaves it running (ptrace engine)\n");
	fprintf(f, "  -s, --snaplen=N         bytes of I/O data kept per event (default %d)\n"
		   "  --drop                  drop events when the ring is full (counted) instead of\n"
		   "                          making the program wait for udig, as the kernel drivers\n"
		   "                          do; by default nothing is lost (--lossless, accepted)\n"
		   "  --sampling=N            keep 1/N of each second's events (N = 1, 2, 4 ... 128), and\n"
		   "                          always those that keep state; drop events mark the gaps\n"
		   "  --suppress-comm=NAME    capture nothing of processes named NAME (repeatable, <= 32)\n"
		   "  --dynamic-snaplen       keep more I/O data of known protocols (HTTP, MySQL, ...)\n"
		   "  --fullcapture-ports=LO-HI  keep up to 16000 bytes of I/O on these TCP/UDP ports\n"
		   "  --simple                only the syscalls that keep process and fd state (and -t's)\n"
		   "  -j, --json              JSON lines instead of sysdig's text\n"
		   "  -w, --write=FILE[.gz]   write a capture file instead of printing (-w -: to stdout;\n"
		   "                          CMD's stdout then goes to stderr)\n"
		   "  -o, --output=FILE       print events (or the -c table) to FILE (-o -: stdout)\n"
		   "  --filter=EXPR           only events matching EXPR (sysdig filter syntax)\n"
		   "  -t, --type=T[,T...]     only these event types (sysdig's names, udig events)\n"
		   "  --pid-filter=PID        only this process (udig run -p used to mean this)\n"
		   "  --comm=NAME             only processes with this name (udig run -c used to mean this)\n"
		   " strace's spellings:\n"
		   "  -f                      accepted: children are always followed\n"
		   "  -e trace=SET            only these syscalls: names, !SET, %%file %%process %%network\n"
		   "                          %%signal %%desc %%memory %%ipc %%creds ... (as strace)\n"
		   "  -p PID                  attach to PID (run: instead of a command)\n"
		   "  -c                      no events: a table of calls, errors and time per syscall\n"
		   "                          at the end (strace -c; time is wall time, as strace -w)\n"
		   "  -C                      events and the table\n"
		   "  -tt                     accepted: the time of day is always shown (ns)\n"
		   "  -ttt                    seconds since the epoch instead of the time of day\n"
		   "  -T                      time spent in each call, <s.us> at the end of exit lines\n"
		   "  -y                      accepted: fds always show their names\n"
		   "  --tree                  run: no events; the process tree at the end (udig tree)\n"
		   "  -v, --verbose           say which engine runs and why, and per process how many\n"
		   "                          syscall sites the preload fast path rewrote or refused\n",
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

/* The capture-control options; the ranges are libcapture's (it checks
 * them again), said here in the options' own words. */
static int parse_control(struct capture_opts *o, int opt, const char *arg, const char *cmd)
{
	char *end;
	unsigned long v, w;
	switch (opt) {
	case 'S':
		errno = 0;
		v = strtoul(arg, &end, 10);
		if (errno || *end || end == arg || v == 0 || v > 128 || (v & (v - 1))) {
			cli_error("%s: --sampling takes 1, 2, 4, 8, 16, 32, 64 or 128, not '%s'", cmd, arg);
			return -1;
		}
		o->sampling = (uint32_t)v;
		return 0;
	case 'C':
		if (!*arg || strlen(arg) > 15) {
			cli_error("%s: --suppress-comm takes a process name of 1 to 15 bytes (a comm), not '%s'", cmd, arg);
			return -1;
		}
		if (o->n_suppress >= (int)(sizeof o->suppress / sizeof o->suppress[0])) {
			cli_error("%s: at most %zu --suppress-comm", cmd, sizeof o->suppress / sizeof o->suppress[0]);
			return -1;
		}
		o->suppress[o->n_suppress++] = arg;
		return 0;
	case 'Y':
		o->dyn_snaplen = 1;
		return 0;
	case 'P':
		errno = 0;
		v = strtoul(arg, &end, 10);
		w = v;
		if (!errno && *end == '-')
			w = strtoul(end + 1, &end, 10);
		if (errno || *end || v == 0 || v > w || w > 65535) {
			cli_error("%s: --fullcapture-ports takes LO-HI (1 <= LO <= HI <= 65535) or a port, not '%s'", cmd, arg);
			return -1;
		}
		o->fc_lo = (uint16_t)v;
		o->fc_hi = (uint16_t)w;
		o->dyn_snaplen = 1; /* the drivers apply the range only with it */
		return 0;
	case 'M':
		o->simple = 1;
		return 0;
	}
	return -1;
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

/* Values of the long-only options of this file's own; far above any char. */
enum {
	OPT_FIRST = 0x1000, OPT_FILTER = OPT_FIRST, OPT_COMM, OPT_PID_FILTER, OPT_OLD_PID, OPT_TREE,
	OPT_SUMMARY_BOTH,
};

/* strace's options: 0 when opt was one of them, 1 when it
 * is not, -1 after printing an error. */
static int strace_opt(struct capture_opts *o, int opt, const char *arg, int which)
{
	const char *cmd = which == CAPTURE_OPTS_RUN ? "run" : "attach";
	char err[256];
	switch (opt) {
	case 'f': case 'y': return 0; /* always so */
	case 'T': o->latency = 1; return 0;
	case 'c': o->summary = 1; return 0;
	case OPT_SUMMARY_BOTH: o->summary = 2; return 0;
	case OPT_TREE:
		if (which != CAPTURE_OPTS_RUN) {
			cli_error("attach: --tree is for udig run (or udig tree FILE)");
			return -1;
		}
		o->tree = 1;
		return 0;
	case 'e':
		if (strace_set_parse(arg, &o->trace, err, sizeof err)) {
			cli_error("%s: %s", cmd, err);
			return -1;
		}
		o->have_trace = 1;
		return 0;
	case 'p': {
		char *end;
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || *end || !*arg || v <= 0 || v > 0x3fffffff) {
			cli_error("%s: -p takes a process id to attach to (strace -p), not '%s'; the pid "
				  "filter is --pid-filter=PID", cmd, arg);
			return -1;
		}
		if (o->attach_pid) {
			cli_error("%s: one -p PID at a time", cmd);
			return -1;
		}
		o->attach_pid = (int)v;
		return 0;
	}
	case OPT_OLD_PID:
		cli_error("%s: --pid is ambiguous since -p became strace's attach: use -p PID (or "
			  "--attach=PID) to attach, --pid-filter=PID to keep only that process's events", cmd);
		return -1;
	}
	return 1;
}

/* What only the whole command line tells: old spellings whose argument is
 * now taken for the command, and combinations that make no sense. */
static int strace_after(struct capture_opts *o, int argc, char **argv, int saw_f, int saw_c, int which)
{
	const char *cmd = which == CAPTURE_OPTS_RUN ? "run" : "attach";
	int dashdash_later = 0;
	if (optind < argc && strcmp(argv[optind - 1], "--"))
		for (int i = optind + 1; i < argc && !dashdash_later; i++)
			dashdash_later = !strcmp(argv[i], "--");
	if (which == CAPTURE_OPTS_RUN && dashdash_later && (saw_f || saw_c)) {
		cli_error("run: '%s' comes before '--': %s", argv[optind],
			  saw_f ? "-f is strace's now (follow children, always done) and takes no argument; "
				  "the filter is --filter=EXPR"
				: "-c is strace's now (the summary table) and takes no argument; the comm "
				  "filter is --comm=NAME");
		return -1;
	}
	if (o->attach_pid && which == CAPTURE_OPTS_RUN && optind < argc) {
		cli_error("run: -p PID attaches to a running process; it does not combine with a command");
		return -1;
	}
	if (o->attach_pid && which == CAPTURE_OPTS_ATTACH && optind < argc) {
		cli_error("attach: the pid is given twice (-p %d and '%s')", o->attach_pid, argv[optind]);
		return -1;
	}
	if ((o->summary || o->tree) && o->wfile) {
		cli_error("%s: -c, -C and --tree print; -w writes a capture file (udig stats or udig tree "
			  "read it afterwards)", cmd);
		return -1;
	}
	if (o->summary && o->tree) {
		cli_error("%s: -c and --tree are two different reports; choose one", cmd);
		return -1;
	}
	return 0;
}

int capture_opts_parse(int argc, char **argv, struct capture_opts *o, int which)
{
	static const struct option longopts[] = {
		{ "engine", required_argument, 0, 'E' }, { "snaplen", required_argument, 0, 's' },
		{ "lossless", no_argument, 0, 'L' },     { "drop", no_argument, 0, 'D' },
		{ "json", no_argument, 0, 'j' },
		{ "write", required_argument, 0, 'w' },  { "output", required_argument, 0, 'o' },
		{ "filter", required_argument, 0, OPT_FILTER }, { "type", required_argument, 0, 't' },
		{ "attach", required_argument, 0, 'p' }, { "comm", required_argument, 0, OPT_COMM },
		{ "pid-filter", required_argument, 0, OPT_PID_FILTER },
		{ "pid", required_argument, 0, OPT_OLD_PID },
		{ "tree", no_argument, 0, OPT_TREE },
		{ "verbose", no_argument, 0, 'v' },      { "help", no_argument, 0, 'h' },
		{ "ring", required_argument, 0, 'R' },
		{ "no-rewrite", no_argument, 0, 'N' },
		{ "sampling", required_argument, 0, 'S' },
		{ "suppress-comm", required_argument, 0, 'C' },
		{ "dynamic-snaplen", no_argument, 0, 'Y' },
		{ "fullcapture-ports", required_argument, 0, 'P' },
		{ "simple", no_argument, 0, 'M' },
		{ 0, 0, 0, 0 },
	};
	const char *cmd = which == CAPTURE_OPTS_RUN ? "run" : "attach";
	int opt, li, saw_f = 0, saw_c = 0;
	memset(o, 0, sizeof *o);
	o->engine = "auto";
	/* Lossless unless asked: the program waits for our consumer, as
	 * under strace (a user tracing one program expects every syscall). */
	o->lossless = 1;
	optind = 1;
	opterr = 1;
	while ((li = -1, opt = getopt_long(argc, argv, "+s:jw:o:ft:p:cCTye:vh", longopts, &li)) != -1) {
		/* -C is strace's; 'C' is also --suppress-comm's value */
		if (opt == 'C' && li < 0)
			opt = OPT_SUMMARY_BOTH;
		int sr = strace_opt(o, opt, optarg, which);
		if (sr < 0)
			return -1;
		if (sr == 0) {
			saw_f |= opt == 'f';
			saw_c |= opt == 'c';
			continue;
		}
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
		/* The preloaded library reads these from the environment the
		 * command inherits (udig/rewrite). */
		case 'v': o->verbose = 1; setenv("UDIG_REWRITE_VERBOSE", "1", 1); break;
		case 'N':
			if (which != CAPTURE_OPTS_RUN) {
				cli_error("attach: --no-rewrite is for udig run (the preload engine)");
				return -1;
			}
			setenv("UDIG_REWRITE", "0", 1);
			break;
		case OPT_FILTER: if (add_filter(o, "%s", optarg)) goto toolong; break;
		case 't': {
			if (optarg[0] == 't' && strspn(optarg, "t") == strlen(optarg) && strlen(optarg) <= 2) {
				int ts = 1 + (int)strlen(optarg); /* -tt, -ttt: the finer one wins */
				o->tstamp = ts > o->tstamp ? ts : o->tstamp;
				break;
			}
			if (optarg[0] == '-') {
				cli_error("%s: -t takes event types (-t open,openat), not '%s'; strace's time stamps "
					  "are -tt (time of day, always shown) and -ttt (seconds since the epoch)",
					  cmd, optarg);
				return -1;
			}
			size_t used = strlen(o->types);
			int n = snprintf(o->types + used, sizeof o->types - used, "%s%s", used ? "," : "", optarg);
			if (n < 0 || (size_t)n >= sizeof o->types - used || add_filter(o, "evt.type in (%s)", optarg))
				goto toolong;
			break;
		}
		case OPT_PID_FILTER: if (add_filter(o, "proc.pid=%s", optarg)) goto toolong; break;
		case OPT_COMM: if (add_filter(o, "proc.name=%s", optarg)) goto toolong; break;
		case 'S':
		case 'C':
		case 'Y':
		case 'P':
		case 'M':
			if (parse_control(o, opt, optarg, cmd))
				return -1;
			break;
		case 'h': capture_opts_usage(stdout, which); exit(0);
		default: capture_opts_usage(stderr, which); return -1;
		}
	}
	if (strace_after(o, argc, argv, saw_f, saw_c, which) < 0)
		return -1;
	if (optind >= argc && !o->attach_pid) {
		if (which == CAPTURE_OPTS_RUN)
			cli_error("run: no command given (udig run [OPTIONS] -- CMD [ARGS])");
		else
			cli_error("attach: no pid given (udig attach [OPTIONS] PID)");
		return -1;
	}
	inject_mask_all(o->syscalls);
	if (o->types[0] || (o->have_trace && !o->trace.negated)) {
		char err[256];
		if (capture_types_masks(o->types, o->evmask, o->syscalls, err, sizeof err) < 0) {
			cli_error("%s: %s", cmd, err);
			return -1;
		}
		o->masked = 1;
		for (unsigned nr = 0; o->have_trace && nr < STRACE_NR_MAX; nr++)
			if (strace_set_has(&o->trace, nr))
				capture_types_add_syscall(nr, o->evmask, o->syscalls);
	}
	if (o->have_trace) {
		char clause[sizeof o->filter];
		if (strace_set_filter(&o->trace, clause, sizeof clause) || add_filter(o, "%s", clause))
			goto toolong;
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
