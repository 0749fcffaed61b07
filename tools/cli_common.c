/* Helpers shared by the subcommands. */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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

int cli_wants_gzip(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && !strcmp(path + n - 3, ".gz");
}

void cli_printer_init(struct cli_printer *p, FILE *out, int json)
{
	p->out = out;
	p->json = json;
	p->cap = 4096;
	p->buf = malloc(p->cap);
}

int cli_print_event(struct cli_printer *p, udig_capture *c, const struct udig_evt *ev)
{
	if (!p->buf)
		return -1;
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
	if (fputs(p->buf, p->out) == EOF || fputc('\n', p->out) == EOF)
		return -1;
	return 0;
}

void cli_printer_free(struct cli_printer *p)
{
	free(p->buf);
	p->buf = NULL;
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
