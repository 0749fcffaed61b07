/* .scap writer — placeholder until it lands. */
#include "capture-int.h"
udig_dumper *udig_dump_open(udig_capture *c, const char *path, int compress, char *err)
{ (void)c; (void)path; (void)compress; udig_errf(err, "writing is not built yet"); return NULL; }
int udig_dump(udig_dumper *d, const struct udig_evt *ev) { (void)d; (void)ev; return UDIG_FAILURE; }
int udig_dump_record(udig_dumper *d, const void *rec, uint32_t len, uint16_t cpu, uint32_t f) { (void)d; (void)rec; (void)len; (void)cpu; (void)f; return UDIG_FAILURE; }
int udig_dump_flush(udig_dumper *d) { (void)d; return UDIG_FAILURE; }
const char *udig_dump_geterr(const udig_dumper *d) { (void)d; return "writing is not built yet"; }
int udig_dump_close(udig_dumper *d, char *err) { (void)d; udig_errf(err, "writing is not built yet"); return UDIG_FAILURE; }
