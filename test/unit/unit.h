/*
 * unit.h — the smallest test harness that does the job.
 *
 * Each test/unit/test_*.c is its own program, built with AddressSanitizer and
 * UndefinedBehaviorSanitizer. CHECK* count passes and failures; UNIT_MAIN
 * prints "<name>: N passed, N failed" and exits non-zero on any failure.
 */
#ifndef BOOKING_UNIT_H
#define BOOKING_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	unit_passed;
static int	unit_failed;

#define CHECK(cond) \
	do { \
		if (cond) unit_passed++; \
		else { unit_failed++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
	} while (0)

#define CHECK_MSG(cond, ...) \
	do { \
		if (cond) unit_passed++; \
		else { unit_failed++; fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond); \
			   fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
	} while (0)

#define CHECK_STR(actual, expected) \
	do { \
		const char *a_ = (actual), *e_ = (expected); \
		if (a_ && e_ && strcmp(a_, e_) == 0) unit_passed++; \
		else { unit_failed++; fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", \
									 __FILE__, __LINE__, e_ ? e_ : "(null)", a_ ? a_ : "(null)"); } \
	} while (0)

#define CHECK_INT(actual, expected) \
	do { \
		long long a_ = (long long) (actual), e_ = (long long) (expected); \
		if (a_ == e_) unit_passed++; \
		else { unit_failed++; fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", \
									 __FILE__, __LINE__, #actual, e_, a_); } \
	} while (0)

/* Compares a json-c value with expected JSON text, structurally. */
#define CHECK_JSON(actual, expected_text) \
	do { \
		json_object *e_ = json_tokener_parse(expected_text); \
		json_object *a_ = (actual); \
		if (json_object_equal(a_, e_)) unit_passed++; \
		else { unit_failed++; fprintf(stderr, "%s:%d: expected %s, got %s\n", __FILE__, __LINE__, \
									 expected_text, a_ ? json_object_to_json_string(a_) : "null"); } \
		json_object_put(e_); \
	} while (0)

#define UNIT_MAIN(name, body) \
	int main(void) \
	{ \
		body; \
		printf("%s: %d passed, %d failed\n", name, unit_passed, unit_failed); \
		return unit_failed ? 1 : 0; \
	}

#endif
