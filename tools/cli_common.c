/* Helpers shared by the subcommands. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

udig_filter *cli_filter(int argc, char **argv, int *ok)
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
	udig_filter *f = udig_filter_compile(expr, err);
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

/* The event's I/O buffer: its BYTEBUF parameter named data. */
static int data_param(const struct udig_evt *ev, const uint8_t **v, uint32_t *len)
{
	const struct udig_event_info *info = udig_event_info(ev->type);
	for (uint32_t i = 0; info && i < ev->nvals && i < info->nparams; i++) {
		if (info->params[i].type == UDIG_PT_BYTEBUF && !strcmp(info->params[i].name, "data")) {
			*v = ev->val[i];
			*len = ev->vlen[i];
			return 1;
		}
	}
	return 0;
}

/* sysdig's rendering (non-printable bytes as '.') cut at -s N bytes; with
 * -A (sysdig's --print-ascii) only the text, newlines echoed. */
static int put_data(struct cli_printer *p, const uint8_t *v, uint32_t len)
{
	uint32_t n = len < (p->datalen ? p->datalen : 80) ? len : (p->datalen ? p->datalen : 80);
	if (fputs(" data=", p->out) == EOF)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		int printable = v[i] >= 0x20 && v[i] < 0x7f;
		if (p->ascii && !printable && v[i] != '\n')
			continue;
		if (fputc(printable || p->ascii ? v[i] : '.', p->out) == EOF)
			return -1;
	}
	return 0;
}

int cli_printer_format(struct cli_printer *p, const char *cmd, const char *format)
{
	char err[UDIG_ERRBUF_SIZE];
	udig_format_free(p->format);
	if (!(p->format = udig_format_compile(format, err))) {
		cli_error("%s: %s", cmd, err);
		return -1;
	}
	return 0;
}

/* -p: sysdig prints an event only when it has every field (unless the
 * format starts with '*'). */
static int print_formatted(struct cli_printer *p, udig_capture *c, const struct udig_evt *ev)
{
	size_t need;
	int shown = udig_format_event(p->format, c, ev, p->buf, p->cap, &need);
	if (shown == 1 && need >= p->cap) {
		char *n = realloc(p->buf, need + 1);
		if (!n)
			return -1;
		p->buf = n;
		p->cap = need + 1;
		shown = udig_format_event(p->format, c, ev, p->buf, p->cap, &need);
	}
	if (shown != 1)
		return shown < 0 ? -1 : 0;
	return fputs(p->buf, p->out) == EOF || fputc('\n', p->out) == EOF ? -1 : 0;
}

int cli_print_event(struct cli_printer *p, udig_capture *c, const struct udig_evt *ev)
{
	if (!p->buf)
		return -1;
	if (p->format)
		return print_formatted(p, c, ev);
	for (;;) {
		size_t need = p->json ? udig_format_json(c, ev, p->buf, p->cap) : udig_format_text(c, ev, p->buf, p->cap);
		if (need < p->cap)
			break;
		char *n = realloc(p->buf, need + 1);
		if (!n)
			return -1;
		p->buf = n;
		p->cap = need + 1;
	}
	const char *line = p->buf;
	if (p->tstamp == 3 && !p->json) {
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
	char *data = (p->ascii || p->datalen) && !p->json ? strstr(line, " data=") : NULL;
	const uint8_t *raw = NULL;
	uint32_t rawlen = 0;
	if (data && data_param(ev, &raw, &rawlen))
		*data = 0; /* the line up to data=, then the buffer as asked */
	else
		data = NULL;
	if (fputs(line, p->out) == EOF)
		return -1;
	if (data && put_data(p, raw, rawlen) < 0)
		return -1;
	if (p->latency && !p->json && !udig_event_is_enter(ev->type)) {
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
