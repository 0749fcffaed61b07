/* Filter fields (filter_field.c) for the filter engine (filter.c). */
#ifndef UDIG_FILTER_INT_H
#define UDIG_FILTER_INT_H

#include <stdio.h>
#include "capture-int.h"

enum filter_op { F_EQ, F_NE, F_LT, F_LE, F_GT, F_GE, F_CONTAINS, F_STARTSWITH, F_IN };

struct filter_value {
	int64_t num;
	const char *str; /* valid until the next udig_next() */
	char buf[32];    /* storage for short strings */
	char *alloc;     /* a string the extractor allocated (freed by the caller) */
};

struct filter_field {
	const char *name;
	int numeric;
	/* 1 and *v set when the event has the field, else 0 */
	int (*extract)(udig_capture *c, const struct udig_evt *ev, struct filter_value *v);
};

const struct filter_field *filter_field_find(const char *name);

#endif
