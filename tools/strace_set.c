/* strace's `-e trace=SET` and syscall names over udig's events (strace_set.h). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <udig/capture.h>
#include <udig/event.h>
#include "strace_set.h"

static const struct {
	const char *name;
	uint32_t classes;
} class_names[] = {
	{ "%file", SC_FILE },       { "%ipc", SC_IPC },           { "%network", SC_NETWORK },
	{ "%net", SC_NETWORK },     { "%process", SC_PROCESS },   { "%signal", SC_SIGNAL },
	{ "%desc", SC_DESC },       { "%memory", SC_MEMORY },     { "%creds", SC_CREDS },
	{ "%clock", SC_CLOCK },     { "%stat", SC_STAT },         { "%lstat", SC_LSTAT },
	{ "%fstat", SC_FSTAT },     { "%%stat", SC_STAT_LIKE },   { "%statfs", SC_STATFS },
	{ "%fstatfs", SC_FSTATFS }, { "%%statfs", SC_STATFS_LIKE }, { "%pure", SC_PURE },
};

static void set_nr(struct strace_set *s, unsigned nr, int on)
{
	if (on)
		s->nr[nr >> 3] |= (uint8_t)(1u << (nr & 7));
	else
		s->nr[nr >> 3] &= (uint8_t)~(1u << (nr & 7));
}

int strace_set_has(const struct strace_set *s, unsigned nr)
{
	return nr < STRACE_NR_MAX && (s->nr[nr >> 3] >> (nr & 7)) & 1;
}

/* One element of SET: a name, a class, all or none.  Returns how many
 * syscalls it named (0: unknown). */
static int add_element(struct strace_set *s, const char *w, size_t len)
{
	int n = 0;
	if ((len == 3 && !strncmp(w, "all", 3)) || (len == 4 && !strncmp(w, "none", 4))) {
		for (unsigned nr = 0; nr < STRACE_NR_MAX; nr++)
			if (strace_syscalls[nr].name)
				set_nr(s, nr, w[0] == 'a');
		return 1;
	}
	if (w[0] == '%') {
		for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++) {
			if (strlen(class_names[i].name) != len || strncmp(class_names[i].name, w, len))
				continue;
			for (unsigned nr = 0; nr < STRACE_NR_MAX; nr++)
				if (strace_syscalls[nr].classes & class_names[i].classes)
					set_nr(s, nr, 1), n++;
			return n ? n : 1;
		}
		return 0;
	}
	for (unsigned nr = 0; nr < STRACE_NR_MAX; nr++) {
		const char *name = strace_syscalls[nr].name;
		if (name && strlen(name) == len && !strncmp(name, w, len))
			set_nr(s, nr, 1), n++;
	}
	return n;
}

int strace_set_parse(const char *arg, struct strace_set *s, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	if (eq) {
		size_t q = (size_t)(eq - arg);
		if (!((q == 5 && !strncmp(arg, "trace", 5)) || (q == 1 && arg[0] == 't'))) {
			snprintf(err, errlen, "-e %.*s=: only strace's -e trace=SET is supported (%.*s= is not)",
				 (int)q, arg, (int)q, arg);
			return -1;
		}
		arg = eq + 1;
	}
	int neg = 0;
	if (*arg == '!') {
		neg = 1;
		arg++;
	}
	struct strace_set one;
	memset(&one, 0, sizeof one);
	const char *p = arg;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len && !add_element(&one, p, len)) {
			snprintf(err, errlen, "-e trace=: unknown syscall or class '%.*s'", (int)len, p);
			return -1;
		}
		p += len;
		p += *p == ',';
	}
	/* strace: the first trace= sets the selection, later ones add to it */
	int first = !s->negated;
	for (size_t i = 0; i < sizeof s->nr && first; i++)
		first = !s->nr[i];
	if (first) {
		*s = one;
		s->negated = neg;
		return 0;
	}
	if (neg != s->negated) {
		snprintf(err, errlen, "-e trace=: a negated set (!SET) does not combine with a plain one");
		return -1;
	}
	for (size_t i = 0; i < sizeof s->nr; i++)
		s->nr[i] |= one.nr[i];
	return 0;
}

/* The evt.type a native syscall's events carry. */
static const char *udig_type_name(unsigned nr)
{
	if (nr >= UDIG_SYSCALL_TABLE_SIZE)
		return NULL;
	const struct udig_syscall_entry *e = &udig_syscall_table[nr];
	if (e->enter != UEV_GENERIC_E)
		return udig_event_info(e->enter)->name;
	return e->sc != USC_UNKNOWN ? udig_syscall_name(e->sc) : NULL;
}

int strace_set_filter(const struct strace_set *s, char *out, size_t size)
{
	int n = snprintf(out, size, "%sevt.type in (", s->negated ? "not " : "");
	size_t used = n > 0 ? (size_t)n : 0, listed = 0;
	const char *names[STRACE_NR_MAX];
	for (unsigned nr = 0; nr < STRACE_NR_MAX && used < size; nr++) {
		const char *name = strace_set_has(s, nr) ? udig_type_name(nr) : NULL;
		int dup = 0;
		for (size_t i = 0; name && i < listed && !dup; i++)
			dup = !strcmp(names[i], name);
		if (!name || dup)
			continue;
		names[listed] = name;
		n = snprintf(out + used, size - used, "%s%s", listed++ ? "," : "", name);
		used += n > 0 ? (size_t)n : 0;
	}
	/* An empty selection (trace=none) matches nothing: no syscall is "syscall" */
	if (!listed && used < size)
		used += (size_t)snprintf(out + used, size - used, "syscall");
	if (used < size)
		used += (size_t)snprintf(out + used, size - used, ")");
	return used < size ? 0 : -1;
}

/* Which native syscall each event type (enter types) and each generic
 * syscall code stands for: its number, -1 for none, -2 when several
 * syscalls share it (dup and dup2 are one "dup" event). */
static int16_t nr_of_type[UDIG_EVENT_MAX], nr_of_sc[USC_MAX];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void note(int16_t *slot, unsigned nr)
{
	*slot = *slot == -1 ? (int16_t)nr : -2;
}

static void build_maps(void)
{
	memset(nr_of_type, 0xff, sizeof nr_of_type);
	memset(nr_of_sc, 0xff, sizeof nr_of_sc);
	for (unsigned nr = 0; nr < UDIG_SYSCALL_TABLE_SIZE; nr++) {
		const struct udig_syscall_entry *e = &udig_syscall_table[nr];
		if (e->enter != UEV_GENERIC_E && e->enter < UDIG_EVENT_MAX)
			note(&nr_of_type[e->enter], nr);
		else if (e->sc != USC_UNKNOWN && e->sc < USC_MAX)
			note(&nr_of_sc[e->sc], nr);
	}
}

const char *strace_event_name(const struct udig_evt *ev)
{
	pthread_once(&once, build_maps);
	int nr;
	const char *own;
	if (ev->type == UEV_GENERIC_E && ev->nvals >= 2) {
		/* the enter names the native call, even one the table does not know */
		uint64_t native = udig_evt_uint(ev, 1, UINT64_MAX);
		if (native < STRACE_NR_MAX && strace_syscalls[native].name)
			return strace_syscalls[native].name;
	}
	if (ev->type == UEV_GENERIC_E || ev->type == UEV_GENERIC_X) {
		uint64_t sc = udig_evt_uint(ev, 0, USC_UNKNOWN);
		if (sc == USC_UNKNOWN || sc >= USC_MAX)
			return NULL;
		nr = nr_of_sc[sc];
		own = udig_syscall_name((uint16_t)sc);
	} else {
		uint16_t t = ev->type & (uint16_t)~1u;
		if (t >= UDIG_EVENT_MAX)
			return NULL;
		nr = nr_of_type[t];
		if (nr == -1)
			return NULL;
		own = udig_event_info(t)->name;
	}
	if (nr >= 0 && nr < STRACE_NR_MAX && strace_syscalls[nr].name)
		return strace_syscalls[nr].name;
	return own;
}
