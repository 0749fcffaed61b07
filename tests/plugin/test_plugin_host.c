/*
 * A host for libudig-falco.so that drives it as libsinsp does: dlopen, the
 * required symbols and versions, init with good and bad configs, open
 * with good and bad parameters, next_batch until TIMEOUT (idle ring) or
 * EOF (run= after the command), and every block checked against the
 * current event table (length, parameter count, fixed type widths).  The
 * whole cycle runs under ASan in the sanitizer build, leaks included.
 */
#include <check.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "plugin/api.h"
#include "plugin/convert.h"
#include "plugin/schema/table025.h"

#define PLUGIN TOP_BUILDDIR "/plugin/.libs/libudig-falco.so"
#define UDIG TOP_BUILDDIR "/tools/udig"

static void *dl;

#define SYM(type, name) ((type)dlsym(dl, "plugin_" name))
typedef const char *(*str_fn)(void);
typedef ss_plugin_t *(*init_fn)(const ss_plugin_init_input *, ss_plugin_rc *);
typedef void (*destroy_fn)(ss_plugin_t *);
typedef const char *(*lasterr_fn)(ss_plugin_t *);
typedef ss_instance_t *(*open_fn)(ss_plugin_t *, const char *, ss_plugin_rc *);
typedef void (*close_fn)(ss_plugin_t *, ss_instance_t *);
typedef ss_plugin_rc (*next_fn)(ss_plugin_t *, ss_instance_t *, uint32_t *, ss_plugin_event ***);
typedef ss_plugin_metric *(*metrics_fn)(ss_plugin_t *, uint32_t *);

static void setup(void)
{
	dl = dlopen(PLUGIN, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(dl != NULL, "dlopen: %s", dlerror());
}

static void teardown(void)
{
	dlclose(dl);
}

static ss_plugin_t *init(const char *config, ss_plugin_rc *rc)
{
	ss_plugin_init_input in = { .config = config };
	return SYM(init_fn, "init")(&in, rc);
}

START_TEST(symbols_and_versions)
{
	/* The loader's required symbols, and the sourcing set. */
	static const char *const need[] = { "get_required_api_version", "get_version", "get_name",
					    "get_description", "get_contact", "init", "destroy",
					    "get_last_error", "get_init_schema", "get_id", "open", "close",
					    "next_batch", "get_progress", "list_open_params",
					    "event_to_string", "get_metrics",
					    "get_required_event_schema_version" };
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		char sym[64];
		snprintf(sym, sizeof sym, "plugin_%s", need[i]);
		ck_assert_msg(dlsym(dl, sym) != NULL, "%s missing", sym);
	}
	unsigned maj, min, pat;
	ck_assert_int_eq(sscanf(SYM(str_fn, "get_required_api_version")(), "%u.%u.%u", &maj, &min, &pat), 3);
	ck_assert_uint_eq(maj, 3);
	/* id 0 and no event source: libsinsp's syscall source. */
	ck_assert_uint_eq(SYM(uint32_t(*)(void), "get_id")(), 0);
	str_fn src = SYM(str_fn, "get_event_source");
	ck_assert(!src || !*src());
	ss_plugin_schema_type st = SS_PLUGIN_SCHEMA_NONE;
	const char *schema = SYM(const char *(*)(ss_plugin_schema_type *), "get_init_schema")(&st);
	ck_assert_int_eq(st, SS_PLUGIN_SCHEMA_JSON);
	ck_assert_ptr_nonnull(strstr(schema, "\"snaplen\""));
	ck_assert_str_eq(SYM(const char *(*)(ss_plugin_t *), "get_required_event_schema_version")(NULL),
			 T025_SCHEMA_VERSION);
	ss_plugin_rc rc;
	const char *list = SYM(const char *(*)(ss_plugin_t *, ss_plugin_rc *), "list_open_params")(NULL, &rc);
	ck_assert_int_eq(rc, SS_PLUGIN_SUCCESS);
	ck_assert_ptr_nonnull(strstr(list, "run="));
}
END_TEST

START_TEST(bad_init_config)
{
	static const struct { const char *cfg, *want; } bad[] = {
		{ "{\"snaplen\": 0}", "\"snaplen\" must be an integer" },
		{ "{\"snaplen\": \"x\"}", "\"snaplen\" must be an integer" },
		{ "{\"lossless\": 1}", "\"lossless\" must be true or false" },
		{ "{\"engine\": \"kmod\"}", "\"engine\" must be auto, preload, ptrace or unotify" },
		{ "{\"event_types\": [\"openat\", \"nosuchcall\"]}", "unknown event type 'nosuchcall'" },
		{ "{\"colour\": 1}", "unknown key \"colour\"" },
		{ "{\"snaplen\": 80", "expected ',' or '}'" },
		{ "[1,2]", "expected a JSON object" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ss_plugin_rc rc = SS_PLUGIN_SUCCESS;
		ss_plugin_t *s = init(bad[i].cfg, &rc);
		ck_assert_int_eq(rc, SS_PLUGIN_FAILURE);
		ck_assert_ptr_nonnull(s);
		const char *e = SYM(lasterr_fn, "get_last_error")(s);
		ck_assert_msg(strstr(e, bad[i].want), "config %s: error '%s', expected '%s'", bad[i].cfg, e,
			      bad[i].want);
		SYM(destroy_fn, "destroy")(s);
	}
	ss_plugin_rc rc;
	ss_plugin_t *s = init("{\"snaplen\": 256, \"lossless\": true, \"event_types\": [\"openat\"]}", &rc);
	ck_assert_int_eq(rc, SS_PLUGIN_SUCCESS);
	SYM(destroy_fn, "destroy")(s);
}
END_TEST

START_TEST(bad_open_params)
{
	static const struct { const char *p, *want; } bad[] = {
		{ "bogus", "unknown open parameter 'bogus'" },
		{ "attach=abc", "expected a process id" },
		{ "attach=1073741822", "no such process" },
		{ "run=", "no command given" },
		{ "run=sh -c 'unterminated", "unterminated quote" },
		{ "run=/nonexistent/cmd", "command not found" },
		{ "ring=a/b", "ring=: expected BUF or BUF,DESCS" },
		{ "ring=noderivation", "ring=: expected BUF or BUF,DESCS" },
	};
	ss_plugin_rc rc;
	ss_plugin_t *s = init("{\"udig\": \"" UDIG "\"}", &rc);
	ck_assert_int_eq(rc, SS_PLUGIN_SUCCESS);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ss_instance_t *h = SYM(open_fn, "open")(s, bad[i].p, &rc);
		ck_assert_int_eq(rc, SS_PLUGIN_FAILURE);
		ck_assert_ptr_null(h);
		const char *e = SYM(lasterr_fn, "get_last_error")(s);
		ck_assert_msg(strstr(e, bad[i].want), "open %s: error '%s', expected '%s'", bad[i].p, e, bad[i].want);
	}
	SYM(destroy_fn, "destroy")(s);
	/* The launcher itself missing. */
	s = init("{\"udig\": \"/nonexistent/udig\"}", &rc);
	ck_assert_ptr_null(SYM(open_fn, "open")(s, "run=true", &rc));
	ck_assert_ptr_nonnull(strstr(SYM(lasterr_fn, "get_last_error")(s), "the udig program is not at"));
	SYM(destroy_fn, "destroy")(s);
}
END_TEST

/* One block against the current table. */
static void check_block(const ss_plugin_event *e)
{
	ss_plugin_event h;
	memcpy(&h, e, sizeof h);
	ck_assert_uint_lt(h.type, T025_EVENT_MAX);
	const struct t025_event *te = &t025_events[h.type];
	ck_assert_msg(!(te->flags & (T025_EF_UNUSED | T025_EF_OLD_VERSION)), "%s: not a current event", te->ppme);
	ck_assert_msg(h.nparams == te->nparams, "%s: %u parameters, the table has %u", te->ppme, h.nparams,
		      te->nparams);
	size_t lsz = te->flags & T025_EF_LARGE_PAYLOAD ? 4 : 2, off = 26 + lsz * h.nparams;
	ck_assert_uint_ge(h.len, off);
	const uint8_t *p = (const uint8_t *)e;
	for (uint32_t i = 0; i < h.nparams; i++) {
		uint32_t l = 0;
		memcpy(&l, p + 26 + lsz * i, lsz);
		unsigned w = cv_type_width(te->params[i].type);
		ck_assert_msg(!w || l == 0 || l == w, "%s.%s: %u bytes, type width %u", te->ppme, te->params[i].name,
			      l, w);
		if (l && (te->params[i].type == T025_PT_CHARBUF || te->params[i].type == T025_PT_FSPATH ||
			  te->params[i].type == T025_PT_FSRELPATH))
			ck_assert_msg(p[off + l - 1] == 0, "%s.%s: string not terminated", te->ppme,
				      te->params[i].name);
		off += l;
	}
	ck_assert_msg(off == h.len, "%s: len %u, parameters end at %zu", te->ppme, h.len, off);
}

START_TEST(idle_ring_times_out)
{
	char open[128];
	snprintf(open, sizeof open, "ring=udig-plugin-test.%d.buf", (int)getpid());
	ss_plugin_rc rc;
	ss_plugin_t *s = init("{\"batch_ms\": 5}", &rc);
	ss_instance_t *h = SYM(open_fn, "open")(s, open, &rc);
	ck_assert_msg(h != NULL, "open: %s", SYM(lasterr_fn, "get_last_error")(s));
	uint32_t n = 1;
	ss_plugin_event **ev;
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(SYM(next_fn, "next_batch")(s, h, &n, &ev), SS_PLUGIN_TIMEOUT);
		ck_assert_uint_eq(n, 0);
	}
	/* One capture at a time. */
	ck_assert_ptr_null(SYM(open_fn, "open")(s, open, &rc));
	ck_assert_int_eq(rc, SS_PLUGIN_FAILURE);
	SYM(close_fn, "close")(s, h);
	SYM(destroy_fn, "destroy")(s);
	char name[128];
	snprintf(name, sizeof name, "udig-plugin-test.%d.buf", (int)getpid());
	shm_unlink(name);
	snprintf(name, sizeof name, "udig-plugin-test.%d.descs", (int)getpid());
	shm_unlink(name);
}
END_TEST

START_TEST(run_to_eof)
{
	ss_plugin_rc rc;
	ss_plugin_t *s = init("{\"udig\": \"" UDIG "\"}", &rc);
	ck_assert_int_eq(rc, SS_PLUGIN_SUCCESS);
	ss_instance_t *h = SYM(open_fn, "open")(s, "run=sh -c 'cat /etc/hostname >/dev/null; echo x | cat >/dev/null'", &rc);
	ck_assert_msg(h != NULL, "open: %s", SYM(lasterr_fn, "get_last_error")(s));
	uint64_t total = 0, loops = 0;
	int saw_exec = 0, saw_openat = 0, saw_exit = 0;
	for (;;) {
		uint32_t n = 0;
		ss_plugin_event **ev;
		rc = SYM(next_fn, "next_batch")(s, h, &n, &ev);
		if (rc == SS_PLUGIN_EOF)
			break;
		ck_assert_msg(rc == SS_PLUGIN_SUCCESS || rc == SS_PLUGIN_TIMEOUT, "next_batch %d: %s", rc,
			      SYM(lasterr_fn, "get_last_error")(s));
		ck_assert_msg(++loops < 100000, "no EOF");
		for (uint32_t i = 0; i < n; i++) {
			check_block(ev[i]);
			uint16_t t;
			memcpy(&t, (const uint8_t *)ev[i] + 20, 2);
			saw_exec |= !strcmp(t025_events[t].name, "execve");
			saw_openat |= !strcmp(t025_events[t].name, "openat");
			saw_exit |= !strcmp(t025_events[t].name, "procexit");
		}
		total += n;
	}
	ck_assert_uint_gt(total, 10);
	ck_assert(saw_exec && saw_openat && saw_exit);
	/* EOF stays EOF. */
	uint32_t n = 1;
	ss_plugin_event **ev;
	ck_assert_int_eq(SYM(next_fn, "next_batch")(s, h, &n, &ev), SS_PLUGIN_EOF);
	uint32_t nm = 0;
	ss_plugin_metric *m = SYM(metrics_fn, "get_metrics")(s, &nm);
	ck_assert_uint_ge(nm, 5);
	ck_assert_str_eq(m[0].name, "udig.n_evts");
	ck_assert_uint_eq(m[0].value.u64, total);
	uint32_t pct;
	ck_assert_ptr_nonnull(SYM(const char *(*)(ss_plugin_t *, ss_instance_t *, uint32_t *), "get_progress")(s, h, &pct));
	SYM(close_fn, "close")(s, h);
	SYM(destroy_fn, "destroy")(s);
}
END_TEST

/* Closing while the command still runs stops it (and its group). */
START_TEST(close_stops_command)
{
	ss_plugin_rc rc;
	ss_plugin_t *s = init("{\"udig\": \"" UDIG "\", \"open\": \"run=sleep 600\"}", &rc);
	ss_instance_t *h = SYM(open_fn, "open")(s, "", &rc);
	ck_assert_msg(h != NULL, "open: %s", SYM(lasterr_fn, "get_last_error")(s));
	uint32_t n;
	ss_plugin_event **ev;
	for (int i = 0; i < 5; i++)
		ck_assert_int_ne(SYM(next_fn, "next_batch")(s, h, &n, &ev), SS_PLUGIN_FAILURE);
	SYM(close_fn, "close")(s, h);
	SYM(destroy_fn, "destroy")(s);
}
END_TEST

/* A process that opens /etc/hostname every 10 ms until killed. */
static pid_t start_opener(void)
{
	pid_t p = fork();
	ck_assert_int_ge(p, 0);
	if (p == 0) {
		/* Yama's ptrace_scope 1 would let only our ancestors trace us. */
		prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
		struct timespec t = { 0, 10 * 1000 * 1000 };
		for (;;) {
			int fd = open("/etc/hostname", O_RDONLY);
			if (fd >= 0)
				close(fd);
			nanosleep(&t, NULL);
		}
	}
	return p;
}

/* The tracer of a process: its TracerPid, or -1. */
static long tracer_of(pid_t p)
{
	char path[64], line[256];
	long t = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)p);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %ld", &t) == 1)
			break;
	if (f)
		fclose(f);
	return t;
}

/* attach=: a running process's events arrive; closing the capture detaches
 * and leaves it running, untraced. */
START_TEST(attach_then_detach)
{
	pid_t target = start_opener();
	char open[64];
	snprintf(open, sizeof open, "attach=%d", (int)target);
	ss_plugin_rc rc;
	ss_plugin_t *s = init("{\"udig\": \"" UDIG "\"}", &rc);
	ss_instance_t *h = SYM(open_fn, "open")(s, open, &rc);
	ck_assert_msg(h != NULL, "open: %s", SYM(lasterr_fn, "get_last_error")(s));
	int opens = 0;
	for (int loops = 0; opens < 3; loops++) {
		uint32_t n = 0;
		ss_plugin_event **ev;
		rc = SYM(next_fn, "next_batch")(s, h, &n, &ev);
		ck_assert_msg(rc == SS_PLUGIN_SUCCESS || rc == SS_PLUGIN_TIMEOUT, "next_batch %d: %s", rc,
			      SYM(lasterr_fn, "get_last_error")(s));
		ck_assert_msg(loops < 100000, "no openat of the attached process");
		for (uint32_t i = 0; i < n; i++) {
			check_block(ev[i]);
			uint16_t t;
			uint64_t tid;
			memcpy(&t, (const uint8_t *)ev[i] + 20, 2);
			memcpy(&tid, (const uint8_t *)ev[i] + 8, 8);
			if (!strcmp(t025_events[t].name, "openat") && tid == (uint64_t)target)
				opens++;
		}
	}
	SYM(close_fn, "close")(s, h);
	SYM(destroy_fn, "destroy")(s);
	ck_assert_int_eq(kill(target, 0), 0);
	ck_assert_int_eq(tracer_of(target), 0);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
}
END_TEST

/* The conversion plan: every event udig's table has either converts to
 * the current layout or is refused for a stated reason (listed). */
static void refused(void *arg, uint16_t t, const char *msg)
{
	(*(int *)arg)++;
	fprintf(stderr, "not converted: %u %s: %s\n", t, udig_event_info(t)->name, msg);
}

START_TEST(plan)
{
	static struct cv_plan p;
	int nrefused = 0;
	cv_plan_build(&p, refused, &nrefused);
	/* The events every capture has must convert. */
	static const uint16_t must[] = { UEV_SYSCALL_OPENAT_2_X, UEV_SYSCALL_EXECVE_19_X, UEV_SYSCALL_CLONE_20_X,
					 UEV_PROCEXIT_1_E, UEV_SYSCALL_READ_X, UEV_SYSCALL_CLOSE_X };
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
		ck_assert_int_eq(p.ev[must[i]].action, CV_EMIT);
	ck_assert_int_eq(p.ev[UEV_SYSCALL_OPENAT_2_E].action, CV_STORE);
}
END_TEST

int main(void)
{
	if (access(PLUGIN, R_OK)) {
		fprintf(stderr, "%s not built\n", PLUGIN);
		return 77;
	}
	Suite *su = suite_create("plugin_host");
	TCase *tc = tcase_create("host");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, symbols_and_versions);
	tcase_add_test(tc, bad_init_config);
	tcase_add_test(tc, bad_open_params);
	tcase_add_test(tc, idle_ring_times_out);
	tcase_add_test(tc, run_to_eof);
	tcase_add_test(tc, close_stops_command);
	tcase_add_test(tc, attach_then_detach);
	tcase_add_test(tc, plan);
	suite_add_tcase(su, tc);
	SRunner *sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
