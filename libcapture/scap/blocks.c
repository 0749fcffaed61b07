/* The .scap block ids (specs/scap-file.md §3), with the pre-release aliases
 * the reference still accepts. */
#include "format.h"

/* Event blocks first: the reader looks one up per event. */
static const struct scap_block_type block_types[] = {
	{ 0x216, SK_EV, 2, 0, "event (v2)" },
	{ 0x217, SK_EV, 2, SB_DUMPFLAGS, "event with flags (v2)" },
	{ 0x221, SK_EV, 2, SB_LARGE, "large event (v2)" },
	{ 0x222, SK_EV, 2, SB_LARGE | SB_DUMPFLAGS, "large event with flags (v2)" },
	{ 0x204, SK_EV, 1, SB_V1EVENT, "event (v1)" },
	{ 0x8010ABCD, SK_EV, 1, SB_V1EVENT, "event (v1)" },
	{ 0x208, SK_EV, 1, SB_V1EVENT | SB_DUMPFLAGS, "event with flags (v1)" },
	{ SCAP_SHB_ID, SK_SHB, 1, 0, "section header" },
	{ 0x201, SK_MI, 1, 0, "machine info" },
	{ 0x8002ABCD, SK_MI, 1, 0, "machine info" },
	{ 0x202, SK_PL, 1, 0, "process list (v1)" },
	{ 0x8000ABCD, SK_PL, 1, 0, "process list (v1)" },
	{ 0x207, SK_PL, 2, 0, "process list (v2)" },
	{ 0x8013ABCD, SK_PL, 2, 0, "process list (v2)" },
	{ 0x209, SK_PL, 3, 0, "process list (v3)" },
	{ 0x8014ABCD, SK_PL, 3, 0, "process list (v3)" },
	{ 0x210, SK_PL, 4, 0, "process list (v4)" },
	{ 0x211, SK_PL, 5, 0, "process list (v5)" },
	{ 0x212, SK_PL, 6, 0, "process list (v6)" },
	{ 0x213, SK_PL, 7, 0, "process list (v7)" },
	{ 0x214, SK_PL, 8, 0, "process list (v8)" },
	{ 0x215, SK_PL, 9, SB_ENTRYLEN, "process list (v9)" },
	{ 0x203, SK_FDL, 1, 0, "fd list (v1)" },
	{ 0x8001ABCD, SK_FDL, 1, 0, "fd list (v1)" },
	{ 0x218, SK_FDL, 2, SB_ENTRYLEN, "fd list (v2)" },
	{ 0x205, SK_IL, 1, 0, "interface list (v1)" },
	{ 0x8011ABCD, SK_IL, 1, 0, "interface list (v1)" },
	{ 0x219, SK_IL, 2, SB_ENTRYLEN, "interface list (v2)" },
	{ 0x206, SK_UL, 1, 0, "user list (v1)" },
	{ 0x8012ABCD, SK_UL, 1, 0, "user list (v1)" },
	{ 0x220, SK_UL, 2, SB_ENTRYLEN, "user list (v2)" },
};

const struct scap_block_type *scap_block_lookup(uint32_t id)
{
	for (size_t i = 0; i < sizeof block_types / sizeof block_types[0]; i++)
		if (block_types[i].id == id)
			return &block_types[i];
	return NULL;
}
