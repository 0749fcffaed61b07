/*
 * `udig stats FILE [FILTER]`: what a capture holds — event counts per type,
 * per process, the files most read and written, and the failed syscalls.
 * The tally itself (cli_summary_*) is shared with `udig listen -c`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>
#include "../cli.h"

struct counter {
	char *key;
	uint64_t n, bytes;
	UT_hash_handle hh;
};

static struct counter *bump(struct counter **tab, const char *key, uint64_t bytes)
{
	struct counter *c;
	HASH_FIND_STR(*tab, key, c);
	if (!c) {
		c = calloc(1, sizeof *c);
		if (!c || !(c->key = strdup(key))) {
			free(c);
			return NULL;
		}
		HASH_ADD_KEYPTR(hh, *tab, c->key, strlen(c->key), c);
	}
	c->n++;
	c->bytes += bytes;
	return c;
}

static int by_count(struct counter *a, struct counter *b)
{
	return a->n < b->n ? 1 : a->n > b->n ? -1 : strcmp(a->key, b->key);
}

static int by_bytes(struct counter *a, struct counter *b)
{
	return a->bytes < b->bytes ? 1 : a->bytes > b->bytes ? -1 : strcmp(a->key, b->key);
}

static void print_top(const char *title, struct counter **tab, int bytes, unsigned max)
{
	struct counter *c, *tmp;
	unsigned i = 0;
	if (bytes)
		HASH_SORT(*tab, by_bytes);
	else
		HASH_SORT(*tab, by_count);
	printf("\n%s\n", title);
	HASH_ITER(hh, *tab, c, tmp) {
		if (i++ == max)
			break;
		if (bytes)
			printf("  %12llu bytes %8llu calls  %s\n", (unsigned long long)c->bytes, (unsigned long long)c->n, c->key);
		else
			printf("  %12llu  %s\n", (unsigned long long)c->n, c->key);
	}
	if (!*tab)
		printf("  (none)\n");
}

static void free_tab(struct counter **tab)
{
	struct counter *c, *tmp;
	HASH_ITER(hh, *tab, c, tmp) {
		HASH_DEL(*tab, c);
		free(c->key);
		free(c);
	}
}

static const char *errno_name(int e)
{
	const char *n = strerrorname_np(e);
	return n ? n : "E?";
}

/* The event's name as sysdig shows evt.type (generic events: the syscall's). */
static const char *event_name(const struct udig_evt *ev)
{
	if (ev->type == UEV_GENERIC_E || ev->type == UEV_GENERIC_X)
		return udig_syscall_name((uint16_t)udig_evt_uint(ev, 0, 0));
	return udig_event_info(ev->type)->name;
}

struct cli_summary {
	struct counter *types, *procs, *io, *opened, *errors;
	uint64_t first, last, shown;
};

struct cli_summary *cli_summary_new(void)
{
	return calloc(1, sizeof(struct cli_summary));
}

void cli_summary_add(struct cli_summary *s, udig_capture *c, const struct udig_evt *ev)
{
	char key[512];
	if (!s->shown++)
		s->first = ev->ts;
	s->last = ev->ts;
	const struct udig_event_info *info = udig_event_info(ev->type);
	const char *name = event_name(ev);
	int enter = udig_event_is_enter(ev->type);
	snprintf(key, sizeof key, "%c %s", enter ? '>' : '<', name);
	bump(&s->types, key, 0);
	const struct udig_threadinfo *ti = udig_get_thread(c, (int64_t)ev->tid);
	snprintf(key, sizeof key, "%s (%lld)", ti ? ti->comm : "<NA>", ti ? (long long)ti->pid : (long long)ev->tid);
	bump(&s->procs, key, 0);
	if (enter || ev->nvals == 0)
		return;
	int64_t res = udig_evt_int(ev, 0, 0);
	uint8_t t0 = info->params[0].type;
	if (res < 0 && (t0 == UDIG_PT_ERRNO || t0 == UDIG_PT_FD) && res > -4096) {
		snprintf(key, sizeof key, "%s %s", name, errno_name((int)-res));
		bump(&s->errors, key, 0);
	}
	if ((info->flags & (UDIG_EF_READS_FROM_FD | UDIG_EF_WRITES_TO_FD)) && res > 0) {
		int64_t fd = udig_evt_fd(c, ev);
		const struct udig_fdinfo *fi = fd >= 0 ? udig_get_fd(c, (int64_t)ev->tid, fd) : NULL;
		snprintf(key, sizeof key, "%s %s", info->flags & UDIG_EF_READS_FROM_FD ? "read " : "write",
			 fi && fi->name[0] ? fi->name : "<unknown fd>");
		bump(&s->io, key, (uint64_t)res);
	}
	if ((info->flags & UDIG_EF_CREATES_FD) && res >= 0) {
		for (uint32_t i = 1; i < ev->nvals; i++) {
			uint8_t t = info->params[i].type;
			const char *str = udig_evt_str(ev, i);
			if ((t == UDIG_PT_FSPATH || t == UDIG_PT_FSRELPATH) && str) {
				bump(&s->opened, str, 0);
				break;
			}
		}
	}
}

void cli_summary_print(struct cli_summary *s)
{
	printf("events: %llu  duration: %.6f s\n", (unsigned long long)s->shown,
	       s->shown ? (double)(s->last - s->first) / 1e9 : 0.0);
	print_top("events by type:", &s->types, 0, 40);
	print_top("events by process:", &s->procs, 0, 20);
	print_top("files opened:", &s->opened, 0, 20);
	print_top("bytes by file:", &s->io, 1, 20);
	print_top("failed syscalls:", &s->errors, 0, 20);
}

void cli_summary_free(struct cli_summary *s)
{
	if (!s)
		return;
	free_tab(&s->types);
	free_tab(&s->procs);
	free_tab(&s->io);
	free_tab(&s->opened);
	free_tab(&s->errors);
	free(s);
}

int cmd_stats(int argc, char **argv)
{
	char err[UDIG_ERRBUF_SIZE];
	int ok, status = 0;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: udig stats FILE [FILTER]\n"
			"  what a capture holds (FILE - : stdin): events by type and by process, files\n"
			"  opened, bytes by file, failed syscalls\n");
		return argc < 2 ? 2 : 0;
	}
	udig_filter *flt = cli_filter(argc - 2, argv + 2, 0, &ok);
	if (!ok)
		return 2;
	struct cli_summary *sum = cli_summary_new();
	if (!sum) {
		cli_error("out of memory");
		udig_filter_free(flt);
		return 1;
	}
	udig_capture *c = cli_open_capture(argv[1], err);
	if (!c) {
		cli_error("%s", err);
		cli_summary_free(sum);
		udig_filter_free(flt);
		return 1;
	}
	struct udig_evt ev;
	int rc;
	while ((rc = udig_next(c, &ev)) == UDIG_OK) {
		if (flt && !udig_filter_match(flt, c, &ev))
			continue;
		cli_summary_add(sum, c, &ev);
	}
	if (rc != UDIG_OK && rc != UDIG_EOF) {
		cli_error("%s: %s (statistics cover the events before it)", argv[1], udig_geterr(c));
		status = 1;
	}
	cli_summary_print(sum);
	cli_summary_free(sum);
	udig_close(c);
	udig_filter_free(flt);
	return status;
}
