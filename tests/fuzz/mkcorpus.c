/*
 * mkcorpus DIR [hostile] — writes the seed captures of the fuzz corpus
 * (tests/fuzz/corpus/scap/ is this program's output): the shared sample in every
 * block version, gzip, two sections.  With "hostile", writes instead the
 * hand-made broken files replayed by `make check`: cuts, absurd block and
 * entry lengths, bad magic and versions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../scap/sgx.h"

static const char *dir;

static void out(const char *name, const struct sgbuf *b)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(b->p, 1, b->len, f) != b->len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static struct sgbuf sample(const struct sgx_opts *o)
{
	struct scapgen g;
	sg_init(&g, NULL, 0);
	sgx_sample(&g, o);
	return g.out;
}

static void seed(const char *name, const struct sgx_opts *o)
{
	struct sgbuf b = sample(o);
	out(name, &b);
	sgb_free(&b);
}

static void put32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i); }

static void seeds(void)
{
	static const uint32_t ev_ids[] = { 0x216, 0x217, 0x221, 0x222, 0x204, 0x208 };
	char name[64];
	for (unsigned v = 1; v <= 9; v++) {
		struct sgx_opts o = { .pl_version = v, .fdl_v1 = v < 5, .il_v1 = v < 5, .ul_v1 = v < 5 };
		snprintf(name, sizeof name, "pl%u.scap", v);
		seed(name, &o);
	}
	for (size_t i = 0; i < sizeof ev_ids / sizeof ev_ids[0]; i++) {
		struct sgx_opts o = { .ev_id = ev_ids[i], .flags = 1, .no_meta = 1 };
		snprintf(name, sizeof name, "ev%x.scap", ev_ids[i]);
		seed(name, &o);
	}
	/* Two sections, the second with metadata of its own. */
	struct sgx_opts o = { 0 };
	struct scapgen g;
	sg_init(&g, NULL, 0);
	sgx_sample(&g, &o);
	sgx_sample(&g, &o);
	out("two_sections.scap", &g.out);
	sgb_free(&g.out);
	/* Every fd type. */
	sg_init(&g, NULL, 0);
	sg_shb(&g, 1, 2);
	struct sg_thread th = { .tid = 7, .pid = 7, .comm = "f", .loginuid = -1 };
	sgx_pl(&g, 0x215, 9, &th, 1, 1);
	struct sgx_fd fds[17];
	memset(fds, 0, sizeof fds);
	for (int i = 0; i < 17; i++) {
		fds[i].fd = i;
		fds[i].type = (uint8_t)i;
		fds[i].name = "/n";
		fds[i].sip[0] = 10;
		fds[i].sport = (uint16_t)(1000 + i);
	}
	sgx_fdl(&g, 0x218, 7, fds, 17);
	sgx_fdl(&g, 0x203, 7, fds, 17);
	o.no_meta = 1;
	sgx_sample_events(&g, &o);
	out("fdtypes.scap", &g.out);
	sgb_free(&g.out);
}

static void hostile(void)
{
	struct sgx_opts o = { 0 };
	struct sgbuf b = sample(&o);
	char name[64];
	/* Cuts at a spread of offsets. */
	for (size_t cut = 7; cut < b.len; cut += b.len / 16) {
		struct sgbuf c = b;
		c.len = cut;
		snprintf(name, sizeof name, "cut_%zu.scap", cut);
		out(name, &c);
	}
	/* Every block's length set to absurd values, one block at a time. */
	static const uint32_t lens[] = { 0, 4, 13, 0x10004, 0x7FFFFFFF, 0xFFFFFFFF };
	size_t off = 0;
	for (int k = 0; off + 8 <= b.len && k < 24; k++) {
		uint32_t l = b.p[off + 4] | b.p[off + 5] << 8 | b.p[off + 6] << 16 | (uint32_t)b.p[off + 7] << 24;
		for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
			put32(b.p + off + 4, lens[i]);
			snprintf(name, sizeof name, "blocklen_%zu_%x.scap", off, lens[i]);
			out(name, &b);
			/* The first entry length or field after the header, too. */
			uint32_t keep = b.p[off + 8] | b.p[off + 9] << 8 | b.p[off + 10] << 16 | (uint32_t)b.p[off + 11] << 24;
			put32(b.p + off + 4, l);
			if (off + 12 <= b.len) {
				put32(b.p + off + 8, lens[i]);
				snprintf(name, sizeof name, "entrylen_%zu_%x.scap", off, lens[i]);
				out(name, &b);
				put32(b.p + off + 8, keep);
			}
		}
		off += l;
	}
	struct sgbuf c = b;
	c.p = malloc(b.len);
	memcpy(c.p, b.p, b.len);
	put32(c.p + 8, 0x4D3C2B1A);
	out("magic_swapped.scap", &c);
	memcpy(c.p, b.p, b.len);
	c.p[12] = 2;
	out("major2.scap", &c);
	free(c.p);
	sgb_free(&b);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: mkcorpus DIR [hostile]\n");
		return 2;
	}
	dir = argv[1];
	if (argc > 2 && !strcmp(argv[2], "hostile"))
		hostile();
	else
		seeds();
	return 0;
}
