/* Ring writer — placeholder until it lands: never active. */
#include "ring_writer.h"
#include <string.h>
int udig_rw_open(struct udig_ring_writer *w, const char *r, const char *d, char *err) { (void)r; (void)d; memset(w, 0, sizeof *w); if (err) strcpy(err, "ring writer not built yet"); return -1; }
void udig_rw_close(struct udig_ring_writer *w) { (void)w; }
int udig_rw_active(const struct udig_ring_writer *w) { (void)w; return 0; }
uint32_t udig_rw_snaplen(const struct udig_ring_writer *w) { (void)w; return 80; }
int udig_rw_wants(const struct udig_ring_writer *w, uint16_t t) { (void)w; (void)t; return 1; }
enum udig_rw_result udig_rw_write(struct udig_ring_writer *w, const void *r, uint32_t l) { (void)w; (void)r; (void)l; return UDIG_RW_INACTIVE; }
void udig_rw_after_fork(struct udig_ring_writer *w) { (void)w; }
