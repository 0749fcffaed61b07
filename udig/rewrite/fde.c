/*
 * The enclosing function of a site, from its object's .eh_frame_hdr: the
 * FDE search table gives [pc_begin, pc_begin + pc_range), which is where a
 * linear decode may start and must end (plan.c).
 *
 * _dl_find_object (glibc >= 2.35) is lock-free and documented as safe in
 * signal handlers, unlike dl_iterate_phdr, which takes the loader's lock:
 * we run inside the SIGSYS handler, possibly of a thread that is inside
 * dlopen.
 */
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include "urw.h"

#define DW_EH_PE_omit 0xff

static int read_enc(const uint8_t **pp, uint8_t enc, uintptr_t datarel, uintptr_t *out)
{
	const uint8_t *p = *pp;
	uintptr_t base;
	uint64_t v;

	switch (enc & 0x70) {
	case 0x00: base = 0; break;
	case 0x10: base = (uintptr_t)p; break;     /* pcrel */
	case 0x30: base = datarel; break;          /* datarel: the header */
	default: return -1;
	}
	switch (enc & 0x0f) {
	case 0x00: case 0x04: case 0x0c: memcpy(&v, p, 8); p += 8; break;
	case 0x02: { uint16_t u; memcpy(&u, p, 2); v = u; p += 2; break; }
	case 0x0a: { int16_t s; memcpy(&s, p, 2); v = (uint64_t)(int64_t)s; p += 2; break; }
	case 0x03: { uint32_t u; memcpy(&u, p, 4); v = u; p += 4; break; }
	case 0x0b: { int32_t s; memcpy(&s, p, 4); v = (uint64_t)(int64_t)s; p += 4; break; }
	default: return -1;
	}
	*out = base + (uintptr_t)v;
	*pp = p;
	return 0;
}

static uint64_t uleb(const uint8_t **pp)
{
	const uint8_t *p = *pp;
	uint64_t v = 0;
	unsigned sh = 0;

	do {
		if (sh < 64)
			v |= (uint64_t)(*p & 0x7f) << sh;
		sh += 7;
	} while (*p++ & 0x80);
	*pp = p;
	return v;
}

/* The FDE pointer encoding of the CIE at `cie` ('R' augmentation). */
static int cie_fde_enc(const uint8_t *cie, uint8_t *enc)
{
	const uint8_t *p = cie + 4, *aug;
	uint32_t len;
	uint8_t version;

	memcpy(&len, cie, 4);
	if (len == 0xffffffffu)
		return -1;
	p += 4;                         /* CIE id */
	version = *p++;
	aug = p;
	p += strlen((const char *)aug) + 1;
	uleb(&p);                       /* code alignment */
	uleb(&p);                       /* data alignment (sleb: same length) */
	if (version == 1)
		p++;
	else
		uleb(&p);
	*enc = 0;                       /* absptr without 'R' */
	if (aug[0] != 'z')
		return 0;
	uleb(&p);
	for (aug++; *aug; aug++) {
		uintptr_t skip;

		switch (*aug) {
		case 'R': *enc = *p++; break;
		case 'L': p++; break;
		case 'P': {
			uint8_t pe = *p++;

			if (read_enc(&p, (uint8_t)(pe & 0x7f), 0, &skip) < 0)
				return -1;
			break;
		}
		case 'S': case 'B': break;
		default: return -1;
		}
	}
	return 0;
}

int urw_function(uintptr_t pc, uintptr_t *start, uintptr_t *end)
{
	struct dl_find_object fo;
	const uint8_t *hdr, *p, *tab, *fde, *q;
	uintptr_t ehp, count, begin, range, cie;
	uint8_t ptr_enc, cnt_enc, tab_enc, fenc;
	size_t lo, hi;
	int32_t e[2];
	uint32_t len, cieoff;

	if (_dl_find_object((void *)pc, &fo) != 0)
		return URW_R_OBJECT;
	if (urw_g.vdso && (uintptr_t)fo.dlfo_map_start == urw_g.vdso)
		return URW_R_VDSO;
	if (fo.dlfo_link_map && fo.dlfo_link_map->l_name && !fo.dlfo_link_map->l_name[0])
		return URW_R_MAIN;
	hdr = fo.dlfo_eh_frame;
	if (!hdr || hdr[0] != 1)
		return URW_R_FDE;
	ptr_enc = hdr[1];
	cnt_enc = hdr[2];
	tab_enc = hdr[3];
	/* The binary search table: what every Debian linker writes. */
	if (cnt_enc == DW_EH_PE_omit || tab_enc != 0x3b)
		return URW_R_FDE;
	p = hdr + 4;
	if (read_enc(&p, ptr_enc, (uintptr_t)hdr, &ehp) < 0 || read_enc(&p, cnt_enc, (uintptr_t)hdr, &count) < 0 ||
	    !count)
		return URW_R_FDE;
	tab = p;
	lo = 0;
	hi = count;
	while (hi - lo > 1) {           /* last entry with initial location <= pc */
		size_t mid = lo + (hi - lo) / 2;

		memcpy(e, tab + mid * 8, 8);
		if ((uintptr_t)hdr + (intptr_t)e[0] <= pc)
			lo = mid;
		else
			hi = mid;
	}
	memcpy(e, tab + lo * 8, 8);
	fde = hdr + (intptr_t)e[1];
	memcpy(&len, fde, 4);
	if (len == 0xffffffffu || len < 8)
		return URW_R_FDE;
	memcpy(&cieoff, fde + 4, 4);
	cie = (uintptr_t)(fde + 4) - cieoff;
	if (cie_fde_enc((const uint8_t *)cie, &fenc) < 0)
		return URW_R_FDE;
	q = fde + 8;
	if (read_enc(&q, fenc, 0, &begin) < 0 || read_enc(&q, (uint8_t)(fenc & 0x0f), 0, &range) < 0)
		return URW_R_FDE;
	if (pc < begin || pc - begin >= range)
		return URW_R_FDE;
	*start = begin;
	*end = begin + range;
	return 0;
}
