/*
 * dump-reference: print the reference event schema (the one compiled into the
 * installed libscap.so of Debian's libfalcosecurity0) as plain text lines, so
 * that gen-schema.py can turn it into udig's own tables.
 *
 * Maintenance tool, not part of the build:
 *   cc -I/usr/include/falcosecurity-libs dump-reference.c -lscap -o dump-reference
 *
 * Output lines (fields separated by '\t'):
 *   E  id name category flags nparams
 *   P  id index name type fmt kind extra     kind: - | names TABLE | dirfd N | dyn TABLE N
 *   S  nr flags enter exit sc               (native syscall table, x86_64)
 *   C  sc name category flags               (PPM_SC info table)
 *   N  table name value                     (flag/enum name tables, in order)
 *   D  table index name type fmt            (dynamic-parameter side tables)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver/ppm_events_public.h"
#include "userspace/libscap/scap.h"

extern const struct ppm_event_info g_event_info[];
extern const struct syscall_evt_pair g_syscall_table[];
extern const enum ppm_syscall_code g_syscall_code_routing_table[];
extern const struct ppm_syscall_desc g_syscall_info_table[];

#define T(x) { #x, x }
static const struct { const char *name; const struct ppm_name_value *tab; } tables[] = {
	T(socket_families), T(file_flags), T(flock_flags), T(clone_flags),
	T(futex_operations), T(lseek_whence), T(poll_flags), T(mount_flags),
	T(umount_flags), T(shutdown_how), T(rlimit_resources), T(fcntl_commands),
	T(sockopt_levels), T(sockopt_options), T(ptrace_requests), T(prot_flags),
	T(mmap_flags), T(splice_flags), T(quotactl_cmds), T(quotactl_types),
	T(quotactl_dqi_flags), T(quotactl_quota_fmts), T(semop_flags),
	T(semget_flags), T(semctl_commands), T(access_flags), T(pf_flags),
	T(unlinkat_flags), T(linkat_flags), T(chmod_mode), T(renameat2_flags),
	T(openat2_flags), T(execve_flags), T(execveat_flags),
};
static const struct { const char *name; const struct ppm_param_info *tab; } dyns[] = {
	T(sockopt_dynamic_param), T(ptrace_dynamic_param), T(bpf_dynamic_param),
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *table_name(const void *p)
{
	for (size_t i = 0; i < N(tables); i++)
		if (tables[i].tab == p)
			return tables[i].name;
	return NULL;
}

static const char *dyn_name(const void *p)
{
	for (size_t i = 0; i < N(dyns); i++)
		if (dyns[i].tab == p)
			return dyns[i].name;
	return NULL;
}

int main(void)
{
	for (int id = 0; id < PPM_EVENT_MAX; id++) {
		const struct ppm_event_info *e = &g_event_info[id];
		printf("E\t%d\t%s\t%d\t%d\t%u\n", id, e->name, e->category, e->flags, e->nparams);
		for (uint32_t j = 0; j < e->nparams; j++) {
			const struct ppm_param_info *p = &e->params[j];
			printf("P\t%d\t%u\t%s\t%d\t%d\t", id, j, p->name, p->type, p->fmt);
			if (p->type == PT_FSRELPATH)
				printf("dirfd\t%lu\n", (unsigned long)(uintptr_t)p->info);
			else if (p->type == PT_DYN)
				printf("dyn\t%s\t%u\n", dyn_name(p->info), p->ninfo);
			else if (p->info) {
				const char *t = table_name(p->info);
				if (!t) {
					fprintf(stderr, "event %d param %u: unknown info table\n", id, j);
					return 1;
				}
				printf("names\t%s\n", t);
			} else
				printf("-\n");
		}
	}
	for (int nr = 0; nr < SYSCALL_TABLE_SIZE; nr++)
		printf("S\t%d\t%d\t%d\t%d\t%d\n", nr, g_syscall_table[nr].flags,
		       g_syscall_table[nr].enter_event_type, g_syscall_table[nr].exit_event_type,
		       g_syscall_code_routing_table[nr]);
	for (int sc = 0; sc < PPM_SC_MAX; sc++)
		printf("C\t%d\t%s\t%d\t%d\n", sc, g_syscall_info_table[sc].name ? g_syscall_info_table[sc].name : "",
		       g_syscall_info_table[sc].category, g_syscall_info_table[sc].flags);
	for (size_t i = 0; i < N(tables); i++)
		for (const struct ppm_name_value *v = tables[i].tab; v->name; v++)
			printf("N\t%s\t%s\t%u\n", tables[i].name, v->name, v->value);
	for (size_t i = 0; i < N(dyns); i++) {
		/* the side tables have no terminator; the longest one that any event uses is the bound */
		unsigned n = 0;
		for (int id = 0; id < PPM_EVENT_MAX; id++)
			for (uint32_t j = 0; j < g_event_info[id].nparams; j++)
				if (g_event_info[id].params[j].info == dyns[i].tab && g_event_info[id].params[j].ninfo > n)
					n = g_event_info[id].params[j].ninfo;
		for (unsigned j = 0; j < n; j++)
			printf("D\t%s\t%u\t%s\t%d\t%d\n", dyns[i].name, j, dyns[i].tab[j].name,
			       dyns[i].tab[j].type, dyns[i].tab[j].fmt);
	}
	return 0;
}
