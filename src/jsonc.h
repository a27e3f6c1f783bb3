/*
 * jsonc.h — json-c inside host code.
 *
 * PostgreSQL declares a SQL-callable function named json_object
 * (utils/fmgrprotos.h); json-c names its value type json_object. Host files
 * include this header instead of <json-c/json.h>: it takes PostgreSQL's
 * declaration first, then renames json-c's type for this translation unit.
 * Only the type's name changes, so the core links unchanged.
 */
#ifndef BOOKING_JSONC_H
#define BOOKING_JSONC_H

#include "postgres.h"
#include "utils/fmgrprotos.h"

#define json_object booking_json_object
#include <json-c/json.h>

#endif
