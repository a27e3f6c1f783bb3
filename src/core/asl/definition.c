/*
 * definition.c — the definition compiler's top level: the machine object,
 * graphs (the top level, Parallel branches, Map processors), the name index,
 * Next resolution and reachability.
 *
 * Work happens in passes so that every problem is found at once: parse every
 * graph and state (definition_states.c and friends), index every name, then
 * resolve each graph's transitions and walk it from StartAt. A graph whose
 * edges could not all be read (a state with an unknown Type, say) is
 * "opaque": we skip its reachability and end-state checks rather than report
 * consequences of a problem already reported.
 */
#include "definition_impl.h"

#include <stdlib.h>
#include <string.h>

static const char *const root_extra[] = {"Version", "TimeoutSeconds", "QueryLanguage", NULL};

/* ---- graphs ---- */

/*
 * Adds a graph to the build (with its opaque flag) and sets *gi to its
 * index; false when out of memory.
 */
static bool
register_graph(asl_build *b, asl_graph *g, size_t *gi)
{
	if (b->n_graphs == b->cap_graphs)
	{
		size_t		cap = b->cap_graphs ? b->cap_graphs * 2 : 8;
		asl_graph **graphs = realloc(b->graphs, cap * sizeof(asl_graph *));
		bool	   *opaque;

		if (graphs == NULL)
			return false;
		b->graphs = graphs;
		opaque = realloc(b->opaque, cap * sizeof(bool));
		if (opaque == NULL)
			return false;
		b->opaque = opaque;
		b->cap_graphs = cap;
	}
	*gi = b->n_graphs++;
	b->graphs[*gi] = g;
	b->opaque[*gi] = false;
	return true;
}

void
asl_graph_set_opaque(asl_build *b, size_t gi)
{
	if (gi < b->n_graphs)
		b->opaque[gi] = true;
}

/*
 * Adds st to its graph and to the build's list of every state; false when
 * out of memory.
 */
static bool
append_state(asl_build *b, asl_graph *g, asl_state *st)
{
	asl_state **states;

	if (b->n_all == b->cap_all)
	{
		size_t		cap = b->cap_all ? b->cap_all * 2 : 16;
		asl_state **all = realloc(b->all, cap * sizeof(asl_state *));

		if (all == NULL)
			return false;
		b->all = all;
		b->cap_all = cap;
	}
	states = realloc(g->states, (g->n_states + 1) * sizeof(asl_state *));
	if (states == NULL)
		return false;
	g->states = states;
	st->index = g->n_states;
	g->states[g->n_states++] = st;
	b->all[b->n_all++] = st;
	return true;
}

/* AWS: 1 to 80 characters, no control characters. */
static const char *
state_name_problem(const char *name)
{
	size_t		chars = 0;

	if (name[0] == '\0')
		return "must not be empty";
	for (const unsigned char *p = (const unsigned char *) name; *p; p++)
	{
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return "must not contain control characters";
	}
	if (chars > ASL_MAX_STATE_NAME)
		return "must be at most 80 characters";
	return NULL;
}

/*
 * Parses each member of a States object into a state of graph gi, after
 * checking its name.
 */
static void
parse_states(asl_build *b, size_t gi, json_object *states, const char *where)
{
	asl_graph  *g = b->graphs[gi];

	json_object_object_foreach(states, name, def)
	{
		char	   *at = asl_build_pointer(b, where, name);
		const char *problem = state_name_problem(name);
		asl_state  *st;

		if (at == NULL)
			return;
		if (problem != NULL)
			asl_build_error(b, "INVALID_STATE_NAME", at, NULL, "state name \"%s\" %s", name, problem);
		st = asl_parse_state(b, gi, name, def, at);
		free(at);
		if (st == NULL || !append_state(b, g, st))
		{
			b->oom = true;
			asl_state_free(st);
			asl_graph_set_opaque(b, gi);
			return;
		}
	}
}

asl_graph  *
asl_parse_graph(asl_build *b, json_object *obj, const char *pointer,
				const asl_state *owner, const char *const *extra)
{
	const char *const base_fields[] = {"StartAt", "States", "Comment"};
	const char *allowed[16];
	size_t		n_allowed = 0;
	asl_graph  *g;
	size_t		gi;
	const char *text;
	json_object *states;
	char	   *where;

	if (!json_object_is_type(obj, json_type_object))
	{
		asl_build_error(b, "WRONG_TYPE", pointer, NULL,
						"%s must be an object with StartAt and States",
						owner ? "a branch or item processor" : "a definition");
		return NULL;
	}
	if (b->depth >= ASL_MAX_GRAPH_DEPTH)
	{
		asl_build_error(b, "UNSUPPORTED_FEATURE", pointer, NULL,
						"Parallel and Map states are nested more than %d deep", ASL_MAX_GRAPH_DEPTH);
		return NULL;
	}
	for (size_t i = 0; i < 3; i++)
		allowed[n_allowed++] = base_fields[i];
	for (const char *const *e = extra; e && *e && n_allowed < 15; e++)
		allowed[n_allowed++] = *e;
	allowed[n_allowed] = NULL;
	asl_check_keys(b, obj, pointer, owner ? "a branch or item processor" : "a definition", allowed);

	g = calloc(1, sizeof(asl_graph));
	if (g == NULL || (g->pointer = asl_build_strdup(b, pointer)) == NULL ||
		!register_graph(b, g, &gi))
	{
		b->oom = true;
		if (g)
			free(g->pointer);
		free(g);
		return NULL;
	}
	g->owner = owner;
	asl_read_string(b, obj, pointer, "Comment", &text);
	if (!json_object_object_get_ex(obj, "StartAt", NULL))
		asl_build_error(b, "MISSING_FIELD", pointer, NULL, "StartAt is required");
	else if (asl_read_string(b, obj, pointer, "StartAt", &text))
		g->start_name = asl_build_strdup(b, text);

	if (!json_object_object_get_ex(obj, "States", NULL))
	{
		asl_build_error(b, "MISSING_FIELD", pointer, NULL, "States is required");
		asl_graph_set_opaque(b, gi);
		return g;
	}
	if (!asl_read_object(b, obj, pointer, "States", &states))
	{
		asl_graph_set_opaque(b, gi);
		return g;
	}
	where = asl_build_pointer(b, pointer, "States");
	if (where == NULL)
		return g;
	if (json_object_object_length(states) == 0)
	{
		asl_build_error(b, "INVALID_VALUE", where, NULL, "States must hold at least one state");
		asl_graph_set_opaque(b, gi);
	}
	b->depth++;
	parse_states(b, gi, states, where);
	b->depth--;
	free(where);
	return g;
}

void
asl_graph_free(asl_graph *graph)
{
	if (graph == NULL)
		return;
	for (size_t i = 0; i < graph->n_states; i++)
		asl_state_free(graph->states[i]);
	free(graph->states);
	free(graph->start_name);
	free(graph->pointer);
	free(graph);
}

/* ---- the name index ---- */

typedef struct ranked
{
	asl_state  *st;
	size_t		seq;			/* definition order, to report the later
								 * duplicate */
} ranked;

/* qsort order of states: by name, then by position in the definition. */
static int
cmp_ranked(const void *a, const void *b)
{
	const ranked *x = a;
	const ranked *y = b;
	int			c = strcmp(x->st->name, y->st->name);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts every state by name into m->by_name; reports duplicate names. */
static void
build_index(asl_build *b, asl_machine *m)
{
	ranked	   *r;
	size_t		n = 0;

	r = calloc(b->n_all ? b->n_all : 1, sizeof(ranked));
	m->by_name = calloc(b->n_all ? b->n_all : 1, sizeof(asl_state *));
	if (r == NULL || m->by_name == NULL)
	{
		b->oom = true;
		free(r);
		return;
	}
	for (size_t i = 0; i < b->n_all; i++)
		if (b->all[i]->name != NULL)
		{
			r[n].st = b->all[i];
			r[n].seq = i;
			n++;
		}
	qsort(r, n, sizeof(ranked), cmp_ranked);
	for (size_t i = 0; i < n; i++)
	{
		m->by_name[i] = r[i].st;
		if (i > 0 && strcmp(r[i].st->name, r[i - 1].st->name) == 0)
			asl_build_error(b, "DUPLICATE_STATE_NAME", r[i].st->pointer, NULL,
							"state name \"%s\" is already used at %s: names must be unique across the whole machine, branches included",
							r[i].st->name, r[i - 1].st->pointer);
	}
	m->n_all = n;
	free(r);
}

/* First index in by_name whose name is >= name. */
static size_t
lower_bound(const asl_machine *m, const char *name)
{
	size_t		lo = 0;
	size_t		hi = m->n_all;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (strcmp(m->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const asl_state *
asl_machine_find(const asl_machine *machine, const char *name)
{
	size_t		i;

	if (machine == NULL || name == NULL || machine->by_name == NULL)
		return NULL;
	i = lower_bound(machine, name);
	if (i < machine->n_all && strcmp(machine->by_name[i]->name, name) == 0)
		return machine->by_name[i];
	return NULL;
}

/* ---- transitions ---- */

/*
 * The state named name in graph g. A name that exists only in another graph
 * is reported as such: Next never crosses into or out of a branch.
 */
static const asl_state *
resolve(asl_build *b, const asl_machine *m, const asl_graph *g, const char *name,
		const char *base, const char *field)
{
	const asl_state *elsewhere = NULL;

	if (name == NULL || m->by_name == NULL)
		return NULL;
	for (size_t i = lower_bound(m, name);
		 i < m->n_all && strcmp(m->by_name[i]->name, name) == 0; i++)
	{
		if (m->by_name[i]->graph == g)
			return m->by_name[i];
		elsewhere = m->by_name[i];
	}
	if (elsewhere != NULL)
		asl_build_error(b, "MISSING_TRANSITION_TARGET", base, field,
						"state \"%s\" is in another scope (%s): a transition may only target a state of its own %s",
						name, elsewhere->graph && elsewhere->graph->pointer[0] ? elsewhere->graph->pointer : "the top level",
						g->owner ? "branch or item processor" : "top-level States");
	else
		asl_build_error(b, "MISSING_TRANSITION_TARGET", base, field,
						"there is no state named \"%s\"", name);
	return NULL;
}

/* Resolves entry i's Next of a list field (Choices, Catch) of st. */
static const asl_state *
resolve_entry(asl_build *b, const asl_machine *m, const asl_state *st,
			  const char *list, size_t i, const char *name)
{
	char	   *base = asl_build_pointer(b, st->pointer, list);
	char	   *at = base ? asl_build_pointer_index(b, base, i) : NULL;
	const asl_state *target = NULL;

	if (at != NULL)
		target = resolve(b, m, st->graph, name, at, "Next");
	free(at);
	free(base);
	return target;
}

/*
 * Resolves the state names st refers to (Next, Default, each choice's and
 * catcher's Next) within its graph.
 */
static void
resolve_state(asl_build *b, const asl_machine *m, asl_state *st)
{
	st->next = resolve(b, m, st->graph, st->next_name, st->pointer, "Next");
	st->default_state = resolve(b, m, st->graph, st->default_name, st->pointer, "Default");
	for (size_t i = 0; i < st->n_choices; i++)
		st->choices[i].next = resolve_entry(b, m, st, "Choices", i, st->choices[i].next_name);
	for (size_t i = 0; i < st->n_catchers; i++)
		st->catchers[i].next = resolve_entry(b, m, st, "Catch", i, st->catchers[i].next_name);
}

/* Whether a state ends its graph (End, Succeed or Fail). */
static bool
is_terminal(const asl_state *st)
{
	return st->end || st->type == ASL_STATE_SUCCEED || st->type == ASL_STATE_FAIL;
}

/* Marks st seen and pushes it for the reachability walk. */
static void
visit(const asl_state *st, bool *seen, size_t *stack, size_t *top)
{
	if (st != NULL && !seen[st->index])
	{
		seen[st->index] = true;
		stack[(*top)++] = st->index;
	}
}

/* Reports every state of g that no path from StartAt reaches. */
static void
check_reachable(asl_build *b, const asl_graph *g)
{
	bool	   *seen = calloc(g->n_states, sizeof(bool));
	size_t	   *stack = calloc(g->n_states, sizeof(size_t));
	size_t		top = 0;

	if (seen == NULL || stack == NULL)
	{
		b->oom = true;
		free(seen);
		free(stack);
		return;
	}
	visit(g->start, seen, stack, &top);
	while (top > 0)
	{
		const asl_state *st = g->states[stack[--top]];

		visit(st->next, seen, stack, &top);
		visit(st->default_state, seen, stack, &top);
		for (size_t i = 0; i < st->n_choices; i++)
			visit(st->choices[i].next, seen, stack, &top);
		for (size_t i = 0; i < st->n_catchers; i++)
			visit(st->catchers[i].next, seen, stack, &top);
	}
	for (size_t i = 0; i < g->n_states; i++)
		if (!seen[i])
			asl_build_error(b, "UNREACHABLE_STATE", g->states[i]->pointer, NULL,
							"state \"%s\" cannot be reached from StartAt \"%s\"",
							g->states[i]->name, g->start->name);
	free(seen);
	free(stack);
}

/*
 * Resolves graph gi's StartAt and transitions, then reports unreachable
 * states and a graph with no terminal state (unless its edges are opaque).
 */
static void
check_graph(asl_build *b, const asl_machine *m, size_t gi)
{
	asl_graph  *g = b->graphs[gi];
	bool		terminal = false;
	bool		complete = true;

	/* with no states, StartAt cannot name one: already reported */
	if (g->start_name != NULL && g->n_states > 0)
		g->start = resolve(b, m, g, g->start_name, g->pointer, "StartAt");
	for (size_t i = 0; i < g->n_states; i++)
	{
		const asl_state *st = g->states[i];

		resolve_state(b, m, g->states[i]);
		terminal |= is_terminal(st);
		/* an unresolved edge leaves its target's reachability unknown */
		if ((st->next_name && !st->next) || (st->default_name && !st->default_state))
			complete = false;
		for (size_t j = 0; j < st->n_choices; j++)
			if (st->choices[j].next_name && !st->choices[j].next)
				complete = false;
		for (size_t j = 0; j < st->n_catchers; j++)
			if (st->catchers[j].next_name && !st->catchers[j].next)
				complete = false;
	}
	/* a broken edge may well have been meant as the way out: say nothing more */
	if (b->opaque[gi] || g->n_states == 0 || !complete)
		return;
	if (!terminal)
	{
		char	   *where = asl_build_pointer(b, g->pointer, "States");

		asl_build_error(b, "MISSING_END_STATE", where, NULL,
						"no state here ends the %s: add \"End\": true, a Succeed or a Fail state",
						g->owner == NULL ? "execution" :
						g->owner->type == ASL_STATE_MAP ? "item processor" : "branch");
		free(where);
	}
	if (g->start != NULL)
		check_reachable(b, g);
}

/* ---- the machine ---- */

/* The machine's own fields: Comment, Version and TimeoutSeconds. */
static void
parse_root_fields(asl_build *b, asl_machine *m, json_object *def)
{
	json_object *comment = asl_field(def, "Comment");
	const char *text;
	int64_t		timeout;

	/* asl_parse_graph reports a Comment that is not a string */
	if (json_object_is_type(comment, json_type_string))
		m->comment = asl_build_strdup(b, json_object_get_string(comment));
	if (asl_read_string(b, def, "", "Version", &text))
	{
		if (strcmp(text, "1.0") != 0)
			asl_build_error(b, "INVALID_VALUE", "", "Version",
							"Version must be \"1.0\", the only version of the language, not \"%s\"", text);
		m->version = asl_build_strdup(b, text);
	}
	if (asl_read_int(b, def, "", "TimeoutSeconds", 1, ASL_MAX_COUNT, &timeout))
		m->timeout_seconds = timeout;
}

/* The machine's QueryLanguage: the default of its states. */
static bool
check_query_language(asl_build *b, json_object *def)
{
	const char *ql;

	if (!asl_read_string(b, def, "", "QueryLanguage", &ql))
		return true;
	if (strcmp(ql, "JSONata") == 0)
	{
		b->jsonata = true;
		return true;
	}
	if (strcmp(ql, "JSONPath") != 0)
		asl_build_error(b, "INVALID_VALUE", "", "QueryLanguage",
						"QueryLanguage must be \"JSONPath\" or \"JSONata\", not \"%s\"", ql);
	return true;
}

asl_machine *
asl_machine_compile(json_object *definition, asl_diags *diags)
{
	asl_build	b;
	asl_machine *m;
	size_t		errors_before = diags->errors;

	if (!json_object_is_type(definition, json_type_object))
	{
		asl_diag_add(diags, ASL_SEV_ERROR, "INVALID_JSON_DESCRIPTION", "",
					 "a state machine definition must be a JSON object");
		return NULL;
	}
	memset(&b, 0, sizeof(b));
	b.diags = diags;
	if (!check_query_language(&b, definition))
		return NULL;
	m = calloc(1, sizeof(asl_machine));
	if (m == NULL)
	{
		asl_diag_add(diags, ASL_SEV_ERROR, "OUT_OF_MEMORY", "", "out of memory compiling the definition");
		return NULL;
	}
	parse_root_fields(&b, m, definition);
	m->root = asl_parse_graph(&b, definition, "", NULL, root_extra);
	if (!b.oom)
		build_index(&b, m);
	if (!b.oom)
		for (size_t gi = 0; gi < b.n_graphs; gi++)
			check_graph(&b, m, gi);
	free(b.all);
	free(b.graphs);
	free(b.opaque);
	if (b.oom)
		asl_diag_add(diags, ASL_SEV_ERROR, "OUT_OF_MEMORY", "", "out of memory compiling the definition");
	if (b.oom || diags->errors > errors_before)
	{
		asl_machine_free(m);
		return NULL;
	}
	return m;
}

void
asl_machine_free(asl_machine *machine)
{
	if (machine == NULL)
		return;
	asl_graph_free(machine->root);
	free(machine->by_name);
	free(machine->comment);
	free(machine->version);
	free(machine);
}
