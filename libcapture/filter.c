/* Filters — placeholder until they land. */
#include "capture-int.h"
udig_filter *udig_filter_compile(const char *expr, char *err) { (void)expr; udig_errf(err, "filters are not built yet"); return NULL; }
int udig_filter_match(const udig_filter *f, udig_capture *c, const struct udig_evt *ev) { (void)f; (void)c; (void)ev; return 1; }
void udig_filter_free(udig_filter *f) { (void)f; }
