/* The filter engine's view of the field table (fields/). */
#ifndef UDIG_FILTER_INT_H
#define UDIG_FILTER_INT_H

#include <stdio.h>
#include "fields/fields-int.h"

enum filter_op {
	F_EQ, F_NE, F_LT, F_LE, F_GT, F_GE, /* the numeric ones first: op <= F_GE */
	F_CONTAINS, F_ICONTAINS, F_STARTSWITH, F_ENDSWITH, F_GLOB, F_IN, F_PMATCH, F_EXISTS,
};

/* A value of a check, parsed once for the field's type. */
struct filter_operand {
	char *str; /* the text (strings) */
	int64_t i;
	uint64_t u;
	uint8_t ip[16];
	uint32_t ip_len;
};

#endif
