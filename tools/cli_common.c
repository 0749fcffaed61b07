/* Helpers shared by the subcommands. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

udig_filter *cli_filter(int argc, char **argv, unsigned flags, int *ok)
{
	char err[UDIG_ERRBUF_SIZE];
	size_t len = 1;
	*ok = 1;
	if (argc <= 0)
		return NULL;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *expr = malloc(len);
	if (!expr) {
		cli_error("out of memory");
		*ok = 0;
		return NULL;
	}
	expr[0] = 0;
	for (int i = 0; i < argc; i++) {
		if (i)
			strcat(expr, " ");
		strcat(expr, argv[i]);
	}
	udig_filter *f = udig_filter_compile_flags(expr, flags, err);
	if (!f) {
		cli_error("%s", err);
		*ok = 0;
	}
	free(expr);
	return f;
}

udig_capture *cli_open_capture(const char *path, char *err)
{
	if (strcmp(path, "-"))
		return udig_open_file(path, err);
	int fd = dup(0);
	if (fd < 0) {
		snprintf(err, UDIG_ERRBUF_SIZE, "stdin: %s", strerror(errno));
		return NULL;
	}
	return udig_open_fd(fd, err);
}

int cli_wants_gzip(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && !strcmp(path + n - 3, ".gz");
}

udig_dumper *cli_dump_open(udig_capture *c, const char *path, char *err)
{
	if (!strcmp(path, "-")) {
		fflush(stdout);
		return udig_dump_open_fd(c, STDOUT_FILENO, 0, err);
	}
	return udig_dump_open(c, path, cli_wants_gzip(path), err);
}

void cli_printer_init(struct cli_printer *p, FILE *out, int json)
{
	memset(p, 0, sizeof *p);
	p->out = out;
	p->json = json;
	p->cap = 4096;
	p->buf = malloc(p->cap);
}

int cli_printer_format(struct cli_printer *p, const char *cmd, const char *format)
{
	char err[UDIG_ERRBUF_SIZE];
	udig_format_free(p->format);
	p->format = NULL;
	p->custom = format != NULL;
	/* the plain text line has its own fast formatter (udig_format_text) */
	if (!format && !p->json && !p->ascii && !p->datalen)
		return 0;
	unsigned flags = (p->json ? UDIG_FORMAT_JSON : 0) | (p->ascii ? UDIG_FORMAT_ASCII : 0);
	if (!(p->format = udig_format_compile_flags(format ? format : UDIG_FORMAT_DEFAULT, flags, err))) {
		cli_error("%s: %s", cmd, err);
		return -1;
	}
	udig_format_set_datalen(p->format, p->datalen);
	return 0;
}

/* The event's line (or JSON object) into p->buf: 1 when it is to be shown,
 * 0 when not (a -p format whose fields the event lacks), -1 out of memory. */
static int render(struct cli_printer *p, udig_capture *c, const struct udig_evt *ev)
{
	for (;;) {
		size_t need;
		int shown = 1;
		if (p->format)
			shown = udig_format_event(p->format, c, ev, p->buf, p->cap, &need);
		else
			need = udig_format_text(c, ev, p->buf, p->cap);
		if (shown != 1 || need < p->cap)
			return shown;
		char *n = realloc(p->buf, need + 1);
		if (!n)
			return -1;
		p->buf = n;
		p->cap = need + 1;
	}
}

int cli_print_event(struct cli_printer *p, udig_capture *c, const struct udig_evt *ev)
{
	if (!p->buf)
		return -1;
	int shown = render(p, c, ev);
	if (shown != 1)
		return shown < 0 ? -1 : 0;
	const char *line = p->buf;
	/* -ttt and -T change sysdig's default line only */
	int plain = !p->custom && !p->json;
	if (p->tstamp == 3 && plain) {
		/* "num time rest": the time column becomes epoch seconds */
		char *t = strchr(p->buf, ' '), *rest = t ? strchr(t + 1, ' ') : NULL;
		if (!rest)
			return -1;
		*t = 0;
		if (fprintf(p->out, "%s %llu.%09llu", p->buf, (unsigned long long)(ev->ts / 1000000000u),
			    (unsigned long long)(ev->ts % 1000000000u)) < 0)
			return -1;
		line = rest;
	}
	if (fputs(line, p->out) == EOF)
		return -1;
	if (p->latency && plain && !udig_event_is_enter(ev->type)) {
		struct udig_field_value v;
		memset(&v, 0, sizeof v);
		if (udig_field_extract(c, ev, p->latency, &v) == 1 &&
		    fprintf(p->out, " <%llu.%06llu>", (unsigned long long)(v.u / 1000000000u),
			    (unsigned long long)(v.u % 1000000000u / 1000u)) < 0) {
			udig_field_value_done(&v);
			return -1;
		}
		udig_field_value_done(&v);
	}
	return fputc('\n', p->out) == EOF ? -1 : 0;
}

int cli_printer_latency(struct cli_printer *p)
{
	char err[UDIG_ERRBUF_SIZE];
	if (!(p->latency = udig_field_compile("evt.latency", err))) {
		cli_error("-T: %s", err);
		return -1;
	}
	return 0;
}

void cli_printer_free(struct cli_printer *p)
{
	free(p->buf);
	p->buf = NULL;
	udig_field_free(p->latency);
	p->latency = NULL;
	udig_format_free(p->format);
	p->format = NULL;
}

static void survive(int sig)
{
	(void)sig;
}

void cli_survive_signal(int sig, struct sigaction *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = survive;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, old);
}
