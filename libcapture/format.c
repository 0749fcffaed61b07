/* Formatters — placeholder until they land. */
#include <stdio.h>
#include "capture-int.h"
size_t udig_format_text(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size) { (void)c; return (size_t)snprintf(buf, size, "%llu", (unsigned long long)ev->num); }
size_t udig_format_args(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size) { (void)c; (void)ev; return (size_t)snprintf(buf, size, "%s", ""); }
size_t udig_format_json(udig_capture *c, const struct udig_evt *ev, char *buf, size_t size) { (void)c; return (size_t)snprintf(buf, size, "{\"evt.num\":%llu}", (unsigned long long)ev->num); }
