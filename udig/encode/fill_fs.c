/*
 * File-system namespace family: mkdir/rmdir/unlink/rename/link/symlink
 * (plain and *at), chmod family, mount/umount.  Most of these events carry
 * everything in the exit record (the enter records are empty), as the
 * driver does.
 */
#include "fill_int.h"

/* mkdir enter: the driver's table fills the mode with a constant 0. */
void fill_mkdir_e(struct fill *f) { p_u32(f, 0); }

void fill_mkdirat_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_u32(f, (uint32_t)fa(f, 2)); /* raw mode, as the driver */
}

void fill_unlinkat_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_u32(f, xl_unlinkat_flags(fa(f, 2)));
}

/* rename, link, symlink: result, then the strings of arguments 0 and 1. */
void fill_path01_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
	p_ustr(f, fa(f, 1), 0);
}

void fill_renameat_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_fdarg(f, 2);
	p_ustr(f, fa(f, 3), 0);
}

/* RENAME_NOREPLACE/EXCHANGE/WHITEOUT are 1/2/4 both natively and in PPM:
 * the driver passes the value through. */
void fill_renameat2_x(struct fill *f)
{
	fill_renameat_x(f);
	p_u32(f, (uint32_t)fa(f, 4));
}

void fill_linkat_x(struct fill *f)
{
	fill_renameat_x(f);
	p_u32(f, xl_linkat_flags(fa(f, 4)));
}

void fill_symlinkat_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
	p_fdarg(f, 1);
	p_ustr(f, fa(f, 2), 0);
}

void fill_chmod_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
	p_u32(f, xl_chmod_mode(fa(f, 1)));
}

void fill_fchmod_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_u32(f, xl_chmod_mode(fa(f, 1)));
}

void fill_fchmodat_x(struct fill *f)
{
	p_res(f);
	p_fdarg(f, 0);
	p_ustr(f, fa(f, 1), 0);
	p_u32(f, xl_chmod_mode(fa(f, 2)));
}

void fill_mount_e(struct fill *f) { p_u32(f, xl_mount_flags(fa(f, 3))); }

void fill_mount_x(struct fill *f)
{
	p_res(f);
	p_ustr(f, fa(f, 0), 0);
	p_ustr(f, fa(f, 1), 0);
	p_ustr(f, fa(f, 2), 0);
}

/* umount2 enter: the raw flags (MNT_FORCE 1, MNT_DETACH 2, MNT_EXPIRE 4,
 * UMOUNT_NOFOLLOW 8 are the PPM values too). */
void fill_umount_e(struct fill *f) { p_u32(f, (uint32_t)fa(f, 1)); }
