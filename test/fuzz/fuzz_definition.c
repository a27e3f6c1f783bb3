/*
 * fuzz_definition.c — libFuzzer target: bytes → JSON → asl_machine_compile.
 *
 * Whatever the bytes, compiling must neither crash nor leak, and a machine
 * that compiles must find each of its states by name.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/asl/definition.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_tokener *tok = json_tokener_new();
	json_object *def;
	asl_diags	diags;
	asl_machine *m;

	if (tok == NULL)
		return 0;
	def = json_tokener_parse_ex(tok, (const char *) data, (int) (size > INT32_MAX ? INT32_MAX : size));
	json_tokener_free(tok);
	asl_diags_init(&diags);
	m = asl_machine_compile(def, &diags);
	if (m != NULL)
	{
		if (diags.errors != 0)
			__builtin_trap();
		for (size_t i = 0; i < m->n_all; i++)
			if (asl_machine_find(m, m->by_name[i]->name) == NULL)
				__builtin_trap();
	}
	else if (diags.errors == 0)
		__builtin_trap();
	for (size_t i = 0; i < diags.count; i++)
		if (diags.items[i].code == NULL || diags.items[i].location == NULL ||
			diags.items[i].message == NULL)
			__builtin_trap();
	asl_machine_free(m);
	asl_diags_free(&diags);
	json_object_put(def);
	return 0;
}
