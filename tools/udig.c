/* udig — capture and inspect syscall events.  Subcommand dispatch only. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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
	{ "read", cmd_read, "read [-j] [-w OUT] FILE [FILTER]   print or rewrite a capture file" },
	{ "stats", cmd_stats, "stats FILE [FILTER]                what a capture holds: top types, processes, files, errors" },
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
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].run(argc - 1, argv + 1);
	cli_error("unknown command '%s' (try 'udig --help')", argv[1]);
	return 2;
}
