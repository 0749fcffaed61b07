/*
 * The rest, by theme: polling and waiting (poll, ppoll, epoll_wait,
 * nanosleep, futex), tracing (ptrace), credentials (set*id/get*id),
 * process groups, resource limits, namespaces (setns, unshare), seccomp,
 * bpf, System V semaphores, quotactl.
 */
#include "fill_int.h"

/* ---- polling and waiting */

void fill_poll_e(struct fill *f)
{
	p_fdlist(f, fa(f, 0), fa(f, 1), 0);
	p_s64(f, fa32(f, 2));
}

/* poll and ppoll exit: only the fds that reported something. */
void fill_poll_x(struct fill *f)
{
	p_res(f);
	p_fdlist(f, fa(f, 0), fa(f, 1), 1);
}

void fill_ppoll_e(struct fill *f)
{
	uint64_t mask = 0;

	p_fdlist(f, fa(f, 0), fa(f, 1), 0);
	p_timespec(f, fa(f, 2));
	if (!fa(f, 3) || !fill_read_all(f, &mask, fa(f, 3), sizeof mask))
		mask = 0;
	p_u32(f, mask); /* the low 32 signals, as PT_SIGSET */
}

void fill_epoll_wait_e(struct fill *f) { p_s64(f, fa32(f, 2)); }

void fill_nanosleep_e(struct fill *f) { p_timespec(f, fa(f, 0)); }

void fill_futex_e(struct fill *f)
{
	p_u64(f, fa(f, 0));
	p_u16(f, xl_futex_op(fa(f, 1)));
	p_u64(f, fa(f, 2));
}

/* ---- ptrace */

enum { PTRACE_IDX_UINT64 = 0, PTRACE_IDX_SIGTYPE = 1 };

static void p_dyn_u64(struct fill *f, uint8_t idx, uint64_t v)
{
	uint8_t b[9];

	b[0] = idx;
	for (int i = 0; i < 8; i++)
		b[1 + i] = (uint8_t)(v >> (8 * i));
	udig_enc_raw(&f->e, b, 9);
}

void fill_ptrace_e(struct fill *f)
{
	p_u16(f, xl_ptrace_request(fa(f, 0)));
	p_s64(f, fa32(f, 1));
}

void fill_ptrace_x(struct fill *f)
{
	uint16_t req = xl_ptrace_request(fa(f, 0));

	p_res(f);
	if (fret(f) < 0) {
		p_dyn_u64(f, PTRACE_IDX_UINT64, 0);
		p_dyn_u64(f, PTRACE_IDX_UINT64, 0);
		return;
	}
	p_dyn_u64(f, PTRACE_IDX_UINT64, fa(f, 2));
	switch (req) {
	case UDIG_PTRACE_PEEKTEXT:
	case UDIG_PTRACE_PEEKDATA:
	case UDIG_PTRACE_PEEKUSR: {
		/* The raw syscall stores the peeked word at *data. */
		uint64_t w = 0;
		if (!fill_read_all(f, &w, fa(f, 3), sizeof w))
			w = 0;
		p_dyn_u64(f, PTRACE_IDX_UINT64, w);
		break;
	}
	case UDIG_PTRACE_CONT:
	case UDIG_PTRACE_SINGLESTEP:
	case UDIG_PTRACE_DETACH:
	case UDIG_PTRACE_SYSCALL: {
		uint8_t b[2] = { PTRACE_IDX_SIGTYPE, (uint8_t)fa(f, 3) };
		udig_enc_raw(&f->e, b, 2);
		break;
	}
	default:
		p_dyn_u64(f, PTRACE_IDX_UINT64, fa(f, 3));
	}
}

/* ---- credentials and process groups */

void fill_id_e(struct fill *f) { p_u32(f, fa(f, 0)); }

void fill_id3_e(struct fill *f)
{
	p_u32(f, fa(f, 0));
	p_u32(f, fa(f, 1));
	p_u32(f, fa(f, 2));
}

/* getuid & co.: the id is the result. */
void fill_id_ret_x(struct fill *f) { p_u32(f, (uint64_t)fret(f)); }

/* getresuid/getresgid: the three ids the kernel stored; 0xffffffff
 * ("none") for one that cannot be read. */
void fill_getresid_x(struct fill *f)
{
	p_res(f);
	for (unsigned i = 0; i < 3; i++) {
		uint32_t id;
		if (!fill_read_all(f, &id, fa(f, i), sizeof id))
			id = 0xffffffffu;
		p_u32(f, id);
	}
}

void fill_setpgid_e(struct fill *f)
{
	p_s64(f, fa32(f, 0));
	p_s64(f, fa32(f, 1));
}

/* ---- resource limits */

void fill_rlimit_e(struct fill *f) { p_u8(f, xl_rlimit_resource(fa(f, 0))); }

static void p_rlimit_at(struct fill *f, uint64_t addr, int use)
{
	int64_t rl[2] = { -1, -1 };

	if (!use || !fill_read_all(f, rl, addr, sizeof rl))
		rl[0] = rl[1] = -1;
	p_s64(f, rl[0]);
	p_s64(f, rl[1]);
}

/* getrlimit: the limits read back on success; setrlimit: the limits the
 * caller asked for, whatever the result (driver). */
void fill_rlimit_x(struct fill *f)
{
	p_res(f);
	p_rlimit_at(f, fa(f, 1), fret(f) >= 0 || f->sc->nr == 160 /* setrlimit */);
}

void fill_prlimit_e(struct fill *f)
{
	p_s64(f, fa32(f, 0));
	p_u8(f, xl_rlimit_resource(fa(f, 1)));
}

void fill_prlimit_x(struct fill *f)
{
	p_res(f);
	p_rlimit_at(f, fa(f, 2), fret(f) >= 0);
	p_rlimit_at(f, fa(f, 3), 1);
}

/* ---- namespaces, seccomp, bpf */

void fill_setns_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, xl_clone_flags(fa(f, 1)));
}

void fill_unshare_e(struct fill *f) { p_u32(f, xl_clone_flags(fa(f, 0))); }

void fill_seccomp_e(struct fill *f) { p_u64(f, fa(f, 0)); }

void fill_bpf_e(struct fill *f) { p_s64(f, fa32(f, 0)); }

/* res_or_fd: index 0 = an fd (success), 1 = an errno. */
void fill_bpf_x(struct fill *f) { p_dyn_u64(f, fret(f) >= 0 ? 0 : 1, (uint64_t)fret(f)); }

/* ---- System V semaphores */

void fill_semget_e(struct fill *f)
{
	p_u32(f, fa(f, 0));
	p_u32(f, fa(f, 1));
	p_u32(f, xl_semget_flags(fa(f, 2)));
}

void fill_semop_e(struct fill *f) { p_u32(f, fa(f, 0)); }

struct usembuf {
	uint16_t num;
	int16_t op;
	int16_t flg;
};

/* semop exit: the first two operations of a successful call, zeros
 * otherwise. */
void fill_semop_x(struct fill *f)
{
	struct usembuf s[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	uint64_t nsops = fa(f, 2);

	p_res(f);
	p_u32(f, nsops);
	if (fret(f) == 0 && fa(f, 1) && nsops) {
		size_t n = nsops == 1 ? 1 : 2;
		if (!fill_read_all(f, s, fa(f, 1), n * sizeof s[0]))
			s[0] = s[1] = (struct usembuf){ 0, 0, 0 };
	}
	for (unsigned i = 0; i < 2; i++) {
		p_u16(f, s[i].num);
		p_u16(f, (uint16_t)s[i].op);
		p_u16(f, xl_semop_flags((uint16_t)s[i].flg));
	}
}

/* semctl enter: the value argument only for SETVAL (16). */
void fill_semctl_e(struct fill *f)
{
	p_u32(f, fa(f, 0));
	p_u32(f, fa(f, 1));
	p_u16(f, xl_semctl_cmd(fa(f, 2)));
	p_u32(f, fa(f, 2) == 16 ? fa(f, 3) : 0);
}

/* ---- quotactl */

void fill_quotactl_e(struct fill *f)
{
	uint16_t cmd = xl_quotactl_cmd(fa(f, 0));
	int with_id = cmd == UDIG_Q_GETQUOTA || cmd == UDIG_Q_SETQUOTA || cmd == UDIG_Q_XGETQUOTA || cmd == UDIG_Q_XSETQLIM;

	p_u16(f, cmd);
	p_u8(f, xl_quotactl_type(fa(f, 0)));
	/* id names a user or group only for the per-id commands */
	p_u32(f, with_id ? fa(f, 2) : 0);
	p_u8(f, cmd == UDIG_Q_QUOTAON ? xl_quotactl_fmt(fa(f, 2)) : UDIG_QFMT_NOT_USED);
}

/* struct if_dqblk / if_dqinfo (linux/quota.h). */
struct udqblk {
	uint64_t bhardlimit, bsoftlimit, curspace, ihardlimit, isoftlimit, curinodes, btime, itime;
	uint32_t valid, pad;
};

struct udqinfo {
	uint64_t bgrace, igrace;
	uint32_t flags, valid;
};

void fill_quotactl_x(struct fill *f)
{
	uint16_t cmd = xl_quotactl_cmd(fa(f, 0));
	struct udqblk b = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct udqinfo in = { 0, 0, 0, 0 };
	uint32_t fmt = 0;
	uint8_t fmt_out = UDIG_QFMT_NOT_USED;

	p_res(f);
	p_ustr(f, fa(f, 1), 0);
	if (cmd == UDIG_Q_QUOTAON)
		p_ustr(f, fa(f, 3), 0);
	else
		p_cstr(f, NULL);
	if ((cmd == UDIG_Q_GETQUOTA || cmd == UDIG_Q_SETQUOTA) && !fill_read_all(f, &b, fa(f, 3), sizeof b))
		b.valid = 0;
	p_u64(f, (b.valid & 1) ? b.bhardlimit : 0);    /* QIF_BLIMITS */
	p_u64(f, (b.valid & 1) ? b.bsoftlimit : 0);
	p_u64(f, (b.valid & 2) ? b.curspace : 0);      /* QIF_SPACE */
	p_u64(f, (b.valid & 4) ? b.ihardlimit : 0);    /* QIF_ILIMITS */
	p_u64(f, (b.valid & 4) ? b.isoftlimit : 0);
	p_u64(f, (b.valid & 16) ? b.btime : 0);        /* QIF_BTIME */
	p_u64(f, (b.valid & 32) ? b.itime : 0);        /* QIF_ITIME */
	if ((cmd == UDIG_Q_GETINFO || cmd == UDIG_Q_SETINFO) && !fill_read_all(f, &in, fa(f, 3), sizeof in))
		in.valid = 0;
	p_u64(f, (in.valid & 1) ? in.bgrace : 0);      /* IIF_BGRACE */
	p_u64(f, (in.valid & 2) ? in.igrace : 0);      /* IIF_IGRACE */
	p_u8(f, (in.valid & 4) ? in.flags : 0);        /* IIF_FLAGS */
	if (cmd == UDIG_Q_GETFMT && fill_read_all(f, &fmt, fa(f, 3), sizeof fmt))
		fmt_out = xl_quotactl_fmt(fmt);
	p_u8(f, fmt_out);
}
