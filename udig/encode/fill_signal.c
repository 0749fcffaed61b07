/*
 * Signal family: kill, tkill, tgkill (the exits are the result only).
 */
#include "fill_int.h"

/* kill and tkill: target id, signal number. */
void fill_kill_e(struct fill *f)
{
	p_s64(f, fa32(f, 0));
	p_u8(f, fa(f, 1));
}

void fill_tgkill_e(struct fill *f)
{
	p_s64(f, fa32(f, 0));
	p_s64(f, fa32(f, 1));
	p_u8(f, fa(f, 2));
}
