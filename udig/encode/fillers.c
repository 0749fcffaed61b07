/* Fillers — placeholder until they land: generic events only. */
#include <udig/encode.h>
#include "fillers.h"
uint16_t udig_fill_enter_type(long nr) { (void)nr; return UEV_GENERIC_E; }
uint16_t udig_fill_exit_type(long nr) { (void)nr; return UEV_GENERIC_X; }
size_t udig_fill_enter(const struct udig_syscall_ctx *sc, void *buf, size_t cap)
{
	struct udig_enc e;
	uint16_t code = (sc->nr >= 0 && sc->nr < UDIG_SYSCALL_TABLE_SIZE) ? udig_syscall_table[sc->nr].sc : 0;
	udig_enc_begin(&e, buf, cap, UEV_GENERIC_E, sc->ts, (uint64_t)sc->tid);
	udig_enc_u16(&e, code);
	udig_enc_u16(&e, (uint16_t)sc->nr);
	return udig_enc_end(&e);
}
size_t udig_fill_exit(const struct udig_syscall_ctx *sc, void *buf, size_t cap)
{
	struct udig_enc e;
	uint16_t code = (sc->nr >= 0 && sc->nr < UDIG_SYSCALL_TABLE_SIZE) ? udig_syscall_table[sc->nr].sc : 0;
	udig_enc_begin(&e, buf, cap, UEV_GENERIC_X, sc->ts, (uint64_t)sc->tid);
	udig_enc_u16(&e, code);
	return udig_enc_end(&e);
}
size_t udig_fill_procexit(uint64_t ts, int64_t tid, int wstatus, void *buf, size_t cap)
{
	struct udig_enc e;
	udig_enc_begin(&e, buf, cap, UEV_PROCEXIT_1_E, ts, (uint64_t)tid);
	udig_enc_s64(&e, wstatus);
	udig_enc_s64(&e, (wstatus >> 8) & 0xff);
	udig_enc_u8(&e, (uint8_t)(wstatus & 0x7f));
	udig_enc_u8(&e, (uint8_t)((wstatus & 0x80) != 0));
	return udig_enc_end(&e);
}
