/*
 * Deciding whether a site may be rewritten, and how: a linear decode of the
 * enclosing function (bounds from .eh_frame, fde.c) with Zydis proves the
 * instruction boundaries before the `syscall`, from which we pick the patch
 * point P (urw.h says why it must start an instruction of >= 5 bytes), and
 * every instruction from P to the syscall must be one the trampoline can
 * replay at another address.
 *
 * Zydis decodes into caller-provided structures, allocates nothing and
 * takes no lock: safe in the SIGSYS handler, where this runs (under the
 * rewriter's lock, with every signal blocked).
 */
#include <string.h>
#include <Zydis/Zydis.h>
#include "urw.h"

#define MAX_FUNCTION (256u * 1024)
#define BACK 16                 /* instruction starts kept before the site */

static ZydisDecoder dec;

void urw_plan_init(void);
void urw_plan_init(void)
{
	ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
}

static int decode(uintptr_t ip, uintptr_t end, ZydisDecodedInstruction *in)
{
	ZydisDecoderContext ctx;
	size_t max = end - ip < ZYDIS_MAX_INSTRUCTION_LENGTH ? end - ip : ZYDIS_MAX_INSTRUCTION_LENGTH;

	return ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&dec, &ctx, (const void *)ip, max, in)) ? 0 : -1;
}

static int is_jcc(const ZydisDecodedInstruction *in)
{
	return (in->opcode_map == ZYDIS_OPCODE_MAP_DEFAULT && in->opcode >= 0x70 && in->opcode <= 0x7f) ||
	       (in->opcode_map == ZYDIS_OPCODE_MAP_0F && in->opcode >= 0x80 && in->opcode <= 0x8f);
}

static int rip_relative(const ZydisDecodedInstruction *in)
{
	return (in->attributes & ZYDIS_ATTRIB_HAS_MODRM) && in->raw.modrm.mod == 0 && in->raw.modrm.rm == 5 &&
	       in->raw.disp.size == 32;
}

/* May the trampoline replay this instruction elsewhere?  Control transfers
 * other than a conditional jump end the straight line from P to the
 * syscall (or, for calls, would push the trampoline's address). */
static int movable(const ZydisDecodedInstruction *in)
{
	switch (in->meta.category) {
	case ZYDIS_CATEGORY_CALL: case ZYDIS_CATEGORY_RET: case ZYDIS_CATEGORY_UNCOND_BR:
	case ZYDIS_CATEGORY_SYSCALL: case ZYDIS_CATEGORY_INTERRUPT: case ZYDIS_CATEGORY_SYSTEM:
		return 0;
	default:
		break;
	}
	if (in->attributes & ZYDIS_ATTRIB_IS_RELATIVE)
		return is_jcc(in) || (rip_relative(in) && !(in->raw.imm[0].is_relative));
	return 1;
}

int urw_plan(uintptr_t s, struct urw_plan *pl)
{
	ZydisDecodedInstruction in;
	uintptr_t fs, fe, ip, starts[BACK], p = 0;
	unsigned n = 0, k;
	int why, found = 0;

	if ((why = urw_function(s, &fs, &fe)))
		return why;
	if (fe - fs > MAX_FUNCTION)
		return URW_R_DECODE;
	for (ip = fs; ip < fe; ip += in.length) {
		if (decode(ip, fe, &in) < 0)
			return URW_R_DECODE;
		if (ip == s) {
			if (in.mnemonic != ZYDIS_MNEMONIC_SYSCALL || in.length != 2)
				return URW_R_DECODE;
			found = 1;
		} else if (ip < s) {
			starts[n++ % BACK] = ip;
			if (ip + in.length > s)
				return URW_R_DECODE;   /* the site is not a boundary of this decode */
		}
	}
	if (ip != fe || !found)
		return URW_R_DECODE;
	why = URW_R_SHORT;
	for (k = 1; k <= n && k <= BACK; k++) {
		uintptr_t b = starts[(n - k) % BACK];

		if (s - b > URW_MAX_WINDOW || decode(b, fe, &in) < 0)
			break;
		if (!movable(&in)) {
			why = URW_R_RELOC;
			break;
		}
		if (in.length >= 5) {
			p = b;
			break;
		}
	}
	if (!p)
		return why;
	/* No branch of the function may land inside the 5 bytes we change
	 * (they lie inside one instruction: it would be a decode we got wrong). */
	for (ip = fs; ip < fe; ip += in.length) {
		if (decode(ip, fe, &in) < 0)
			return URW_R_DECODE;
		if (in.raw.imm[0].is_relative) {
			uintptr_t t = ip + in.length + (uintptr_t)in.raw.imm[0].value.s;

			if (t > p && t < p + 5)
				return URW_R_TARGET;
		}
	}
	pl->p = p;
	pl->s = s;
	pl->len = 0;
	return 0;
}

static int fits32(int64_t v)
{
	return v >= INT32_MIN && v <= INT32_MAX;
}

int urw_relocate(struct urw_plan *pl, uintptr_t at)
{
	ZydisDecodedInstruction in;
	uintptr_t ip;
	size_t o = 0;

	for (ip = pl->p; ip < pl->s; ip += in.length) {
		uint8_t *out = pl->code + o;

		if (decode(ip, pl->s, &in) < 0 || o + 16 > sizeof pl->code)
			return URW_R_RELOC;
		if (is_jcc(&in)) {
			uintptr_t target = ip + in.length + (uintptr_t)in.raw.imm[0].value.s;
			int64_t rel = (int64_t)(target - (at + o + 6));
			int32_t r32 = (int32_t)rel;

			if (!fits32(rel))
				return URW_R_RELOC;
			out[0] = 0x0f;
			out[1] = (uint8_t)(0x80 | (in.opcode & 0x0f));
			memcpy(out + 2, &r32, 4);
			o += 6;
			continue;
		}
		memcpy(out, (const void *)ip, in.length);
		if (rip_relative(&in)) {
			int64_t d = in.raw.disp.value + (int64_t)(ip - (at + o));
			int32_t d32 = (int32_t)d;

			if (!fits32(d))
				return URW_R_RELOC;
			memcpy(out + in.raw.disp.offset, &d32, 4);
		}
		o += in.length;
	}
	pl->len = o;
	return 0;
}
