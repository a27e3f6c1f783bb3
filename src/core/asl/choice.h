/*
 * choice.h — Choice rules: compiling them from a definition and evaluating
 * them against a state's input.
 */
#ifndef ASL_CHOICE_H
#define ASL_CHOICE_H

#include <stdbool.h>
#include <json-c/json.h>

#include "definition.h"

/*
 * Compiles one rule found at pointer. A top-level rule (directly in Choices)
 * must have Next and may have Comment and Assign; nested rules (inside And,
 * Or, Not) must not have Next. Fills *out (zeroed first), records every
 * problem in diags and returns false when there was one. Next is left as a
 * name (out->next_name); the definition compiler resolves it to a state.
 */
bool		asl_choice_rule_compile(json_object *rule, const char *pointer, bool top_level,
									asl_choice_rule *out, asl_diags *diags);

/* Frees what a compiled rule owns (not the struct itself). */
void		asl_choice_rule_release(asl_choice_rule *rule);

/*
 * Evaluates with AWS's typing rules: a comparison whose Variable is missing,
 * or of another type than the operator's, is false; Timestamp comparisons
 * parse both sides as instants. A ...Path operand that matches nothing is a
 * States.Runtime error. Returns false with err set on error.
 */
bool		asl_choice_rule_eval(const asl_choice_rule *rule, const asl_scope *scope,
								 bool *matched, asl_error *err);

#endif
