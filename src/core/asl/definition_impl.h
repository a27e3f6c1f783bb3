/*
 * definition_impl.h — private to the definition compiler (definition*.c,
 * resource.c): the build context and the helpers its files share.
 *
 * Validation never stops at the first problem: every helper reports what it
 * finds into the build's diagnostics and tells the caller whether the value
 * is usable, so the caller can carry on with the next field.
 */
#ifndef ASL_DEFINITION_IMPL_H
#define ASL_DEFINITION_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "definition.h"

/* Largest value AWS accepts for its integer second/attempt counts. */
#define ASL_MAX_COUNT INT64_C(99999999)

/* Deepest nesting of Parallel/Map sub-graphs we compile (stack safety). */
#define ASL_MAX_GRAPH_DEPTH 64

/* Deepest JSON the warning walkers descend into. */
#define ASL_MAX_WALK_DEPTH 256

typedef struct asl_build
{
	asl_diags  *diags;
	asl_state **all;			/* every state, in definition order */
	size_t		n_all;
	size_t		cap_all;
	asl_graph **graphs;			/* every graph, root first */
	bool	   *opaque;			/* per graph: its edges are not fully known */
	size_t		n_graphs;
	size_t		cap_graphs;
	int			depth;			/* current sub-graph nesting */
	bool		oom;			/* an allocation failed somewhere */
	bool		jsonata;		/* the machine's QueryLanguage is JSONata */
} asl_build;

/* Frees that accept NULL whatever the owning module does with it. */
static inline void
asl_drop_path(asl_path *p)
{
	if (p != NULL)
		asl_path_free(p);
}

static inline void
asl_drop_template(asl_template *t)
{
	if (t != NULL)
		asl_template_free(t);
}

static inline void
asl_drop_intrinsic(asl_intrinsic *fn)
{
	if (fn != NULL)
		asl_intrinsic_free(fn);
}

/* ---- diagnostics (definition_fields.c) ---- */

/* Reports at base + "/" + field (field NULL: at base itself). */
void		asl_build_error(asl_build *b, const char *code, const char *base,
							const char *field, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));
void		asl_build_warning(asl_build *b, const char *code, const char *base,
							  const char *field, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));

/* asl_pointer_join that tolerates a NULL base and records OOM. */
char	   *asl_build_pointer(asl_build *b, const char *base, const char *token);
char	   *asl_build_pointer_index(asl_build *b, const char *base, size_t index);
char	   *asl_build_strdup(asl_build *b, const char *s);

/* ---- typed field readers (definition_fields.c) ----
 * Each reads obj[field]. Absent: returns false without a report. Present but
 * unusable: reports (WRONG_TYPE, INVALID_VALUE, ...) and returns false.
 */
json_object *asl_field(json_object *obj, const char *field);
bool		asl_read_string(asl_build *b, json_object *obj, const char *base,
							const char *field, const char **out);
bool		asl_read_bool(asl_build *b, json_object *obj, const char *base,
						  const char *field, bool *out);
bool		asl_read_int(asl_build *b, json_object *obj, const char *base,
						 const char *field, int64_t min, int64_t max, int64_t *out);
bool		asl_read_number(asl_build *b, json_object *obj, const char *base,
							const char *field, double min, double max, double *out);
bool		asl_read_object(asl_build *b, json_object *obj, const char *base,
							const char *field, json_object **out);
bool		asl_read_path(asl_build *b, json_object *obj, const char *base,
						  const char *field, asl_path_flavor flavor, asl_path **out);
void		asl_read_opt_path(asl_build *b, json_object *obj, const char *base,
							  const char *field, asl_path_flavor flavor, asl_opt_path *out);

/* ResultPath: a reference path into the input ($...), or null. */
void		asl_read_result_path(asl_build *b, json_object *obj, const char *base,
								 const char *field, asl_opt_path *out);

/* A payload template; must be a JSON object. */
asl_template *asl_read_template(asl_build *b, json_object *obj, const char *base,
								const char *field);

/* Assign: a template whose keys are variable names. */
asl_template *asl_read_assign(asl_build *b, json_object *obj, const char *base,
							  const char *field);

/*
 * A number given literally (lit) or through a reference path (path_field),
 * at most one of them. integer demands a whole number.
 */
void		asl_read_num_or_path(asl_build *b, json_object *obj, const char *base,
								 const char *lit, const char *path_field,
								 double min, double max, bool integer,
								 asl_num_or_path *out);

/* Reports MUTUALLY_EXCLUSIVE_FIELDS at base when both fields are given. */
bool		asl_exclusive(asl_build *b, json_object *obj, const char *base,
						  const char *a, const char *c);

/* Reports UNKNOWN_FIELD for every key of obj not in allowed (NULL-ended). */
void		asl_check_keys(asl_build *b, json_object *obj, const char *base,
						   const char *what, const char *const *allowed);

void		asl_opt_path_release(asl_opt_path *p);

/* ---- warnings (definition_warn.c) ---- */

/* PASS_RESULT_IS_STATIC: a Pass Result that tries to use paths. */
void		asl_warn_static_result(asl_build *b, json_object *result, const char *pointer);

/* ---- graphs and states ---- */

/*
 * Parses {StartAt, States, Comment} (plus the extra keys, which the caller
 * handles) into a new graph registered with the build. NULL when obj is not
 * an object or nesting is too deep (reported).
 */
asl_graph  *asl_parse_graph(asl_build *b, json_object *obj, const char *pointer,
							const asl_state *owner, const char *const *extra);
void		asl_graph_free(asl_graph *graph);

/* Marks graph index gi as having edges we could not read. */
void		asl_graph_set_opaque(asl_build *b, size_t gi);

/* definition_states.c: parses one state; never NULL unless out of memory. */
asl_state  *asl_parse_state(asl_build *b, size_t gi, const char *name,
							json_object *def, const char *pointer);
void		asl_state_free(asl_state *st);

/* definition_states.c: Next / End */
void		asl_parse_transition(asl_build *b, size_t gi, asl_state *st, json_object *def);

/* definition_jsonata.c: a state whose QueryLanguage is JSONata */
void		asl_parse_jsonata_state(asl_build *b, size_t gi, asl_state *st, json_object *def);
void		asl_jsonata_state_release(asl_state *st);

/*
 * definition_choices.c: a Choice state's Default and Choices. read_rule reads
 * one rule (an object, the index-th) at pointer at into out and returns false when the
 * rule's Next is unknown, which leaves the graph's edges unknown too.
 */
typedef bool (*asl_rule_reader) (asl_build *b, json_object *rule, const char *at,
								 size_t index, asl_choice_rule *out);
void		asl_parse_choices(asl_build *b, size_t gi, asl_state *st, json_object *def,
							  asl_rule_reader read_rule);

/* definition_task.c */
void		asl_parse_task(asl_build *b, asl_state *st, json_object *def);

/* A Task written in JSONata: Resource, literal timeouts, the request in Arguments. */
void		asl_parse_task_jsonata(asl_build *b, asl_state *st, json_object *def);

/* Parallel's Branches (definition_states.c). */
void		asl_parse_parallel(asl_build *b, asl_state *st, json_object *def);

/* definition_map.c */
void		asl_parse_map(asl_build *b, asl_state *st, json_object *def);

/* ItemProcessor (or Iterator) with its ProcessorConfig */
void		asl_parse_map_processor(asl_build *b, asl_state *st, json_object *def);

/*
 * ItemReader, ItemBatcher, ResultWriter: validated (JSONata's form when
 * jsonata: Arguments, numbers literal or {% %}) and kept as given in st->map.
 */
void		asl_parse_map_sources(asl_build *b, asl_state *st, json_object *def, bool jsonata);
void		asl_map_config_release(asl_map_config *map);

/* definition_errors.c: Retry and Catch */
void		asl_parse_retry(asl_build *b, asl_state *st, json_object *def);
void		asl_parse_catch(asl_build *b, size_t gi, asl_state *st, json_object *def);
void		asl_retriers_free(asl_retrier *r, size_t n);
void		asl_catchers_free(asl_catcher *c, size_t n);

/* ---- resources (resource.c) ---- */

/*
 * Parses a Task Resource ARN. On failure returns false, *code is
 * INVALID_RESOURCE or UNSUPPORTED_RESOURCE and *why a static explanation.
 */
bool		asl_resource_parse(const char *arn, asl_resource *out,
							   const char **code, const char **why);
void		asl_resource_release(asl_resource *res);

#endif
