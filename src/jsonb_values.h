/*
 * jsonb_values.h — jsonb straight to the JSONata evaluator's values and back,
 * without json-c between (booking.jsonata()).
 */
#ifndef BOOKING_JSONB_VALUES_H
#define BOOKING_JSONB_VALUES_H

#include "postgres.h"

#include "utils/jsonb.h"

#include "jsonc.h"
#include "core/jsonata/jn_value.h"

/*
 * jb as values in arena a (strings and names copied: nothing refers to jb
 * afterwards). Raises a number a double cannot hold (naming where it
 * stands), nesting deeper than jsonb_to_jsonc allows, and more than the
 * arena's limit; polls for a query cancel.
 */
jv		   *booking_jsonb_to_jv(jn_arena *a, Jsonb *jb);

/*
 * v as a new jsonb, written as jv_to_json_ext and booking_jsonc_to_jsonb
 * wrote it: undefined array items null, undefined members left out,
 * functions "", integers below 2^53 as integers, other numbers with
 * JavaScript's digits, non-finite ones null (or their names, when
 * nonfinite_as_string). NULL with w->stopped set when w stopped the walk
 * (deeper than JN_MAX_NESTING, over w->budget bytes, or w's poll); raises
 * what jsonb cannot hold (NUL in a string).
 */
Jsonb	   *booking_jv_to_jsonb(const jv *v, bool nonfinite_as_string, jv_walk *w);

#endif
