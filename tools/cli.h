/* Shared declarations of the udig command-line tool. */
#ifndef UDIG_CLI_H
#define UDIG_CLI_H
#include <stdio.h>
#include <udig/capture.h>

/* Each subcommand: argv[0] is the subcommand name; returns the exit status. */
int cmd_events(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_listen(int argc, char **argv);
int cmd_tree(int argc, char **argv);

/* Prints the usage of a subcommand; 0 when there is one of that name. */
int cli_usage_of(const char *cmd, FILE *f);

/* Prints "udig: <message>" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Catches sig with a handler that does nothing (SA_RESTART): the signal no
 * longer kills us, yet a command we exec gets the default action back (an
 * exec resets a caught signal but keeps an ignored one).  *old (may be
 * NULL): the action before. */
struct sigaction;
void cli_survive_signal(int sig, struct sigaction *old);

/* Joins argv[0..argc) with spaces into one filter expression and compiles it
 * (flags: UDIG_FORMAT_* of the output, whose buffer rendering sysdig's
 * filters share); NULL filter (and *ok = 1) when argc is 0.  On error
 * prints and sets *ok = 0. */
udig_filter *cli_filter(int argc, char **argv, unsigned flags, int *ok);

/* Opens a capture file; "-" reads stdin. */
udig_capture *cli_open_capture(const char *path, char *err);

/* Does a path name a gzip output (ends in .gz)? */
int cli_wants_gzip(const char *path);

/* Opens a capture file for writing: gzip when the name ends in .gz; "-"
 * writes plain .scap to stdout, which stays open (the dumper does not own
 * it), so that a pipe or a socket on stdout works as well as a file. */
udig_dumper *cli_dump_open(udig_capture *c, const char *path, char *err);

/* Event printing shared by `read`, `listen` and `run`: sysdig's default
 * line, or a compiled format (-p FORMAT, -j, -A, -s). */
struct cli_printer {
	FILE *out;
	int json;
	char *buf;
	size_t cap;
	int tstamp;         /* 3: seconds since the epoch in the time column (-ttt) */
	udig_field *latency; /* -T: " <s.us>" after exit lines */
	int ascii;          /* read -A: buffers as sysdig -A shows them */
	uint32_t datalen;   /* read -s N: bytes of each data buffer shown; 0: sysdig's 80 */
	udig_format *format; /* NULL: udig_format_text's line */
	int custom;         /* format is -p's, not sysdig's default */
};
void cli_printer_init(struct cli_printer *p, FILE *out, int json);
/* The printer's format, after json, ascii and datalen are set: -p FORMAT,
 * or with NULL sysdig's default (compiled when -j, -A or -s need it);
 * -1 after printing why not. */
int cli_printer_format(struct cli_printer *p, const char *cmd, const char *format);
/* Turns -T on; -1 after printing why not. */
int cli_printer_latency(struct cli_printer *p);
/* Prints one event line; returns 0, or -1 when the output failed. */
int cli_print_event(struct cli_printer *p, udig_capture *c, const struct udig_evt *ev);
void cli_printer_free(struct cli_printer *p);

/* What `udig stats` prints about a capture, tallied event by event (shared
 * by `stats` and `listen -c`).  new: NULL when out of memory; print: on
 * stdout. */
struct cli_summary;
struct cli_summary *cli_summary_new(void);
void cli_summary_add(struct cli_summary *s, udig_capture *c, const struct udig_evt *ev);
void cli_summary_print(struct cli_summary *s);
void cli_summary_free(struct cli_summary *s);

#endif
