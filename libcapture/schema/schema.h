/* Internal header of the schema tables: the public types plus the value
 * tables the event table points at. */
#ifndef UDIG_SCHEMA_H
#define UDIG_SCHEMA_H
#include <udig/event.h>
#include "schema_tables.h"
#endif
