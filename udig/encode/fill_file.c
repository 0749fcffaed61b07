/*
 * File family: open/openat/openat2/creat, close, the stat family, access,
 * lseek, flock, getcwd, getdents, and the one-fd / result-only events many
 * families share.
 */
#include "fill_int.h"

/* Enter paths are cut at PPM_MAX_PATH_SIZE (the driver copies them into
 * a 256-byte scratch buffer); exit paths are complete. */
#define ENTER_PATH UDIG_MAX_PATH_SIZE

/* The dev of the file the call opened, in the driver's encoding. */
static void p_opened_dev(struct fill *f)
{
	uint64_t dev, ino;

	if (fret(f) >= 0 && fill_fd_stat(f, fret(f), &dev, &ino) == 0)
		p_u32(f, xl_dev(dev));
	else
		p_u32(f, 0);
}

void fill_open_e(struct fill *f)
{
	p_ustr(f, fa(f, 0), ENTER_PATH);
	p_u32(f, xl_open_flags(fa(f, 1)));
	p_u32(f, xl_open_mode(fa(f, 1), fa(f, 2)));
}

void fill_open_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
	p_u32(f, xl_open_flags(fa(f, 1)));
	p_u32(f, xl_open_mode(fa(f, 1), fa(f, 2)));
	p_opened_dev(f);
}

void fill_openat_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), ENTER_PATH);
	p_u32(f, xl_open_flags(fa(f, 2)));
	p_u32(f, xl_open_mode(fa(f, 2), fa(f, 3)));
}

void fill_openat_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_u32(f, xl_open_flags(fa(f, 2)));
	p_u32(f, xl_open_mode(fa(f, 2), fa(f, 3)));
	p_opened_dev(f);
}

/* struct open_how: flags, mode, resolve (u64 each); an unreadable one
 * reads as all zero. */
static void p_open_how(struct fill *f)
{
	uint64_t how[3] = { 0, 0, 0 };

	if (!fill_read_all(f, how, fa(f, 2), sizeof how))
		how[0] = how[1] = how[2] = 0;
	p_u32(f, xl_open_flags(how[0]));
	p_u32(f, xl_open_mode(how[0], how[1]));
	p_u32(f, xl_openat2_resolve(how[2]));
}

void fill_openat2_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), ENTER_PATH);
	p_open_how(f);
}

void fill_openat2_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_open_how(f);
}

void fill_creat_e(struct fill *f)
{
	p_ustr(f, fa(f, 0), ENTER_PATH);
	p_u32(f, xl_open_mode(0100 /* O_CREAT */, fa(f, 1)));
}

void fill_creat_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
	p_u32(f, xl_open_mode(0100, fa(f, 1)));
	p_opened_dev(f);
}

/* close, fstat, fchdir, dup*, readv, getdents*, recvmsg, bind, ...:
 * parameter 1 is the fd argument. */
void fill_fd_e(struct fill *f) { p_fdarg(f, 0); }

/* Exits whose only parameter is the result. */
void fill_res_x(struct fill *f) { p_res(f); }

/* stat, lstat, access, chdir, chroot, mkdir, rmdir, unlink, umount:
 * result, then the path of argument 0. */
void fill_path0_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
}

void fill_access_e(struct fill *f) { p_u32(f, xl_access_mode(fa(f, 1))); }

void fill_lseek_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u64(f, fa(f, 1));
	p_u8(f, xl_lseek_whence(fa(f, 2)));
}

void fill_flock_e(struct fill *f)
{
	p_fdarg(f, 0);
	p_u32(f, xl_flock_op(fa(f, 1)));
}

/* The buffer holds a path only when the call succeeded; on failure it is
 * whatever the program had there, so we send an empty string. */
void fill_getcwd_x(struct fill *f)
{
	p_res(f);
	if (fret(f) >= 0)
		p_ustr(f, fa(f, 0), 0);
	else
		p_cstr(f, "");
}
