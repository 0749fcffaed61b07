/*
 * The schema against the reference: every table entry of ours compared with
 * the tables compiled into the installed libscap.so, and every wire struct and
 * constant compared with the reference headers.  Built only where Debian's
 * libfalcosecurity0-dev is installed (configure says so otherwise and the
 * test fails, naming the package).
 */
#include <check.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "driver/ppm_events_public.h"
#include "driver/ppm_ringbuffer.h"
#include "userspace/libscap/scap.h"

#include <udig/event.h>
#include <udig/ring.h>

extern const struct ppm_event_info g_event_info[];
extern const struct syscall_evt_pair g_syscall_table[];
extern const enum ppm_syscall_code g_syscall_code_routing_table[];
extern const struct ppm_syscall_desc g_syscall_info_table[];

static void check_names(int ev, unsigned p, const struct udig_name_value *ours, const struct ppm_name_value *ref)
{
	ck_assert_msg(ours != NULL, "event %d param %u: value names missing", ev, p);
	unsigned i = 0;
	for (; ref[i].name; i++) {
		ck_assert_msg(ours[i].name != NULL, "event %d param %u: names end early at %u", ev, p, i);
		ck_assert_str_eq(ours[i].name, ref[i].name);
		ck_assert_uint_eq(ours[i].value, ref[i].value);
	}
	ck_assert_msg(ours[i].name == NULL, "event %d param %u: extra value names", ev, p);
}

START_TEST(event_table_matches)
{
	for (int id = 0; id < PPM_EVENT_MAX; id++) {
		const struct ppm_event_info *r = &g_event_info[id];
		const struct udig_event_info *o = udig_event_info((uint16_t)id);
		ck_assert_msg(o && o->name, "event %d missing", id);
		ck_assert_msg(!strcmp(o->name, r->name), "event %d: name %s, reference %s", id, o->name, r->name);
		ck_assert_msg(o->category == (unsigned)r->category, "event %d (%s): category", id, r->name);
		ck_assert_msg(o->flags == (unsigned)r->flags, "event %d (%s): flags", id, r->name);
		ck_assert_msg(o->nparams == r->nparams, "event %d (%s): nparams %u vs %u", id, r->name, o->nparams, r->nparams);
		for (unsigned j = 0; j < r->nparams; j++) {
			const struct ppm_param_info *rp = &r->params[j];
			const struct udig_param_info *op = &o->params[j];
			ck_assert_msg(!strcmp(op->name, rp->name), "event %d param %u: name %s vs %s", id, j, op->name, rp->name);
			ck_assert_msg(op->type == (unsigned)rp->type, "event %d param %u: type", id, j);
			ck_assert_msg(op->fmt == (unsigned)rp->fmt, "event %d param %u: fmt", id, j);
			if (rp->type == PT_FSRELPATH) {
				ck_assert_uint_eq(op->dirfd, (uintptr_t)rp->info);
			} else if (rp->type == PT_DYN) {
				const struct ppm_param_info *rd = rp->info;
				ck_assert_uint_eq(op->ndyn, rp->ninfo);
				for (unsigned k = 0; k < rp->ninfo; k++) {
					ck_assert_uint_eq(op->dyn[k].type, rd[k].type);
					ck_assert_uint_eq(op->dyn[k].fmt, rd[k].fmt);
				}
			} else if (rp->info) {
				check_names(id, j, op->names, rp->info);
			} else {
				ck_assert_msg(op->names == NULL, "event %d param %u: names the reference lacks", id, j);
			}
		}
	}
}
END_TEST

START_TEST(syscall_tables_match)
{
	for (int nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
		const struct udig_syscall_entry *o = &udig_syscall_table[nr];
		ck_assert_msg(o->flags == (unsigned)g_syscall_table[nr].flags, "syscall %d: flags", nr);
		ck_assert_msg(o->enter == (unsigned)g_syscall_table[nr].enter_event_type, "syscall %d: enter", nr);
		ck_assert_msg(o->exit == (unsigned)g_syscall_table[nr].exit_event_type, "syscall %d: exit", nr);
		ck_assert_msg(o->sc == (unsigned)g_syscall_code_routing_table[nr], "syscall %d: code", nr);
	}
	for (int sc = 0; sc < PPM_SC_MAX; sc++) {
		const char *rn = g_syscall_info_table[sc].name;
		ck_assert_msg(!strcmp(udig_syscall_info_table[sc].name ? udig_syscall_info_table[sc].name : "", rn ? rn : ""),
			      "syscall code %d: name", sc);
		ck_assert_uint_eq(udig_syscall_info_table[sc].category, g_syscall_info_table[sc].category);
		ck_assert_uint_eq(udig_syscall_info_table[sc].flags, g_syscall_info_table[sc].flags);
	}
}
END_TEST

START_TEST(enums_match)
{
#define PAIR(a, b) ck_assert_msg((long)(a) == (long)(b), #a " = %ld, " #b " = %ld", (long)(a), (long)(b));
#include "enum_pairs.h"
	PAIR(UDIG_EVENT_MAX, PPM_EVENT_MAX)
	PAIR(USC_MAX, PPM_SC_MAX)
	PAIR(UDIG_PT_MAX, PT_MAX) PAIR(UDIG_PT_FSRELPATH, PT_FSRELPATH) PAIR(UDIG_PT_DYN, PT_DYN)
	PAIR(UDIG_PT_SOCKTUPLE, PT_SOCKTUPLE) PAIR(UDIG_PT_MODE, PT_MODE) PAIR(UDIG_PT_SIGSET, PT_SIGSET)
	PAIR(UDIG_PF_OCT, PF_OCT) PAIR(UDIG_PF_HEX, PF_HEX) PAIR(UDIG_PF_10_PADDED_DEC, PF_10_PADDED_DEC)
	PAIR(UDIG_EC_INTERNAL, EC_INTERNAL) PAIR(UDIG_EC_IO_OTHER, EC_IO_OTHER) PAIR(UDIG_EC_WAIT, EC_WAIT)
	PAIR(UDIG_EF_LARGE_PAYLOAD, EF_LARGE_PAYLOAD) PAIR(UDIG_EF_OLD_VERSION, EF_OLD_VERSION)
	PAIR(UDIG_EF_UNUSED, EF_UNUSED) PAIR(UDIG_EF_MODIFIES_STATE, EF_MODIFIES_STATE)
	PAIR(UDIG_UF_USED, UF_USED) PAIR(UDIG_UF_NEVER_DROP, UF_NEVER_DROP) PAIR(UDIG_UF_ALWAYS_DROP, UF_ALWAYS_DROP)
	PAIR(UDIG_MAX_EVENT_PARAMS, PPM_MAX_EVENT_PARAMS) PAIR(UDIG_MAX_PATH_SIZE, PPM_MAX_PATH_SIZE)
	PAIR(UDIG_MAX_ARG_SIZE, PPM_MAX_ARG_SIZE) PAIR(UDIG_DEFAULT_SNAPLEN, RW_SNAPLEN)
	PAIR(UDIG_SYSCALL_TABLE_SIZE, SYSCALL_TABLE_SIZE)
	PAIR(UDIG_RINGBUF_SIZE, UDIG_RING_SIZE) PAIR(UDIG_RINGBUF_SIZE, RING_BUF_SIZE)
	/* flag values producers translate to, spot-checked by their defining macros */
	PAIR(UDIG_O_RDONLY, PPM_O_RDONLY) PAIR(UDIG_O_CREAT, PPM_O_CREAT) PAIR(UDIG_O_CLOEXEC, PPM_O_CLOEXEC)
	PAIR(UDIG_O_TMPFILE, PPM_O_TMPFILE) PAIR(UDIG_CLONE_THREAD, PPM_CL_CLONE_THREAD)
	PAIR(UDIG_CLONE_VFORK, PPM_CL_CLONE_VFORK) PAIR(UDIG_AF_INET6, PPM_AF_INET6)
	PAIR(UDIG_MAP_ANONYMOUS, PPM_MAP_ANONYMOUS) PAIR(UDIG_PROT_EXEC, PPM_PROT_EXEC)
	PAIR(UDIG_F_DUPFD_CLOEXEC, PPM_FCNTL_F_DUPFD_CLOEXEC) PAIR(UDIG_POLLIN, PPM_POLLIN)
	PAIR(UDIG_EXE_WRITABLE, PPM_EXE_WRITABLE)
#undef PAIR
}
END_TEST

#define SAME_FIELD(ours, ref, f_o, f_r)                                                        \
	do {                                                                                    \
		ck_assert_uint_eq(offsetof(ours, f_o), offsetof(ref, f_r));                     \
		ck_assert_uint_eq(sizeof(((ours *)0)->f_o), sizeof(((ref *)0)->f_r));           \
	} while (0)

START_TEST(wire_structs_match)
{
	ck_assert_uint_eq(sizeof(struct udig_evt_hdr), sizeof(struct ppm_evt_hdr));
	ck_assert_uint_eq(UDIG_HDR_SIZE, sizeof(struct ppm_evt_hdr));
	SAME_FIELD(struct udig_evt_hdr, struct ppm_evt_hdr, ts, ts);
	SAME_FIELD(struct udig_evt_hdr, struct ppm_evt_hdr, tid, tid);
	SAME_FIELD(struct udig_evt_hdr, struct ppm_evt_hdr, len, len);
	SAME_FIELD(struct udig_evt_hdr, struct ppm_evt_hdr, type, type);
	SAME_FIELD(struct udig_evt_hdr, struct ppm_evt_hdr, nparams, nparams);

	ck_assert_uint_eq(sizeof(struct udig_ring_info), sizeof(struct ppm_ring_buffer_info));
	SAME_FIELD(struct udig_ring_info, struct ppm_ring_buffer_info, head, head);
	SAME_FIELD(struct udig_ring_info, struct ppm_ring_buffer_info, tail, tail);
	SAME_FIELD(struct udig_ring_info, struct ppm_ring_buffer_info, n_evts, n_evts);
	SAME_FIELD(struct udig_ring_info, struct ppm_ring_buffer_info, n_drops_buffer, n_drops_buffer);
	SAME_FIELD(struct udig_ring_info, struct ppm_ring_buffer_info, n_drops_pf, n_drops_pf);

	ck_assert_uint_eq(sizeof(struct udig_ring_status), sizeof(struct udig_ring_buffer_status));
	ck_assert_uint_eq(sizeof(struct udig_ring_info) + sizeof(struct udig_ring_buffer_status), UDIG_DESCS_SIZE);
	SAME_FIELD(struct udig_ring_status, struct udig_ring_buffer_status, buffer_lock, m_buffer_lock);
	SAME_FIELD(struct udig_ring_status, struct udig_ring_buffer_status, initialized, m_initialized);
	SAME_FIELD(struct udig_ring_status, struct udig_ring_buffer_status, capturing_pid, m_capturing_pid);
	SAME_FIELD(struct udig_ring_status, struct udig_ring_buffer_status, stopped, m_stopped);
	SAME_FIELD(struct udig_ring_status, struct udig_ring_buffer_status, last_print_time, m_last_print_time);
	SAME_FIELD(struct udig_ring_status, struct udig_ring_buffer_status, consumer, m_consumer);

	ck_assert_uint_eq(sizeof(struct udig_consumer), sizeof(struct udig_consumer_t));
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, snaplen, snaplen);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, sampling_ratio, sampling_ratio);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, do_dynamic_snaplen, do_dynamic_snaplen);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, sampling_interval, sampling_interval);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, is_dropping, is_dropping);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, dropping_mode, dropping_mode);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, need_to_insert_drop_e, need_to_insert_drop_e);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, need_to_insert_drop_x, need_to_insert_drop_x);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, fullcapture_port_range_start, fullcapture_port_range_start);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, fullcapture_port_range_end, fullcapture_port_range_end);
	SAME_FIELD(struct udig_consumer, struct udig_consumer_t, statsd_port, statsd_port);
	ck_assert_str_eq(UDIG_RING_NAME_DEFAULT, UDIG_RING_SM_FNAME);
	ck_assert_str_eq(UDIG_DESCS_NAME_DEFAULT, UDIG_RING_DESCS_SM_FNAME);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reference");
	TCase *tc = tcase_create("schema");
	tcase_add_test(tc, event_table_matches);
	tcase_add_test(tc, syscall_tables_match);
	tcase_add_test(tc, enums_match);
	tcase_add_test(tc, wire_structs_match);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
