/* udig — capture and inspect syscall events.  Subcommand dispatch only. */
#include "config.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <udig/capture.h>
#include "cli.h"

struct subcommand {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
};

static const struct subcommand subcommands[] = {
	{ "run", cmd_run, "run [OPTIONS] -- CMD [ARGS]        run CMD under capture, print or write its events" },
	{ "attach", cmd_attach, "attach [OPTIONS] PID                capture a running process until ^C, then detach" },
	{ "listen", cmd_listen, "listen [OPTIONS] [FILTER]          print the events of programs started with LD_PRELOAD=libudig.so" },
	{ "read", cmd_read, "read [OPTIONS] FILE [FILTER]       print or rewrite a capture file (also: udig -r FILE)" },
	{ "stats", cmd_stats, "stats FILE [FILTER]                what a capture holds: top types, processes, files, errors" },
	{ "tree", cmd_tree, "tree [-j] FILE                     the process tree of a capture: execs, argv, exits" },
	{ "events", cmd_events, "events                             print the event table (as `sysdig -L`)" },
};

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("udig: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: udig COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		fprintf(f, "  %s\n", subcommands[i].usage);
	fprintf(f, "\n  udig -r FILE [OPTIONS] [FILTER]      as sysdig -r: udig read\n"
		   "  udig help COMMAND, udig COMMAND --help, udig --version; man udig\n");
}

static const struct subcommand *find(const char *name)
{
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(name, subcommands[i].name))
			return &subcommands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("udig %s (libcapture %s)\n", PACKAGE_VERSION, udig_version());
		return 0;
	}
	if (!strcmp(argv[1], "help") && argc > 2) {
		const struct subcommand *sc = find(argv[2]);
		if (!sc) {
			cli_error("help: unknown command '%s' (try 'udig --help')", argv[2]);
			return 2;
		}
		char help[] = "--help", *hargv[] = { argv[2], help, NULL };
		return sc->run(2, hargv);
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	/* sysdig's spelling: `sysdig -r FILE ...` reads a capture */
	if (!strncmp(argv[1], "-r", 2)) {
		char read[] = "read";
		if (argv[1][2]) { /* -rFILE */
			argv[0] = read;
			argv[1] += 2;
			return cmd_read(argc, argv);
		}
		argv[1] = read;
		return cmd_read(argc - 1, argv + 1);
	}
	const struct subcommand *sc = find(argv[1]);
	if (sc)
		return sc->run(argc - 1, argv + 1);
	cli_error("unknown command '%s' (try 'udig --help')", argv[1]);
	return 2;
}
