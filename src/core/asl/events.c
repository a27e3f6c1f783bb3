/*
 * events.c — history events, shaped as GetExecutionHistory's.
 */
#include "events.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dataflow.h"

/*
 * {"truncated": false}: booking never truncates what it records. One object,
 * shared by reference by every event (nothing changes an event once built),
 * where a new one cost four allocations, four times per state.
 */
json_object *
asl_not_truncated(void)
{
	static json_object *shared;

	if (shared == NULL)
	{
		json_object *o = json_object_new_object();

		if (o == NULL || !asl_json_add_literal(o, "truncated", json_object_new_boolean(false)))
		{
			json_object_put(o);
			return NULL;
		}
		shared = o;
	}
	return json_object_get(shared);
}

void
asl_concat(char *dst, size_t size, const char *a, const char *b)
{
	size_t		na = strlen(a);
	size_t		nb = strlen(b);

	if (size == 0)
		return;
	if (na > size - 1)
		na = size - 1;
	if (nb > size - 1 - na)
		nb = size - 1 - na;
	memcpy(dst, a, na);
	memcpy(dst + na, b, nb);
	dst[na + nb] = '\0';
}

/* {member: inner}; takes inner's reference. */
static json_object *
wrap(const char *member, json_object *inner)
{
	json_object *o;

	if (inner == NULL)
		return NULL;
	o = json_object_new_object();
	if (!asl_json_add(o, member, inner))
	{
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *
asl_event_new(const char *type, json_object *details)
{
	json_object *ev = json_object_new_object();
	json_object *t = json_object_new_string(type);

	if (details == NULL)
		details = json_object_new_object();
	if (ev == NULL || t == NULL || details == NULL)
	{
		json_object_put(t);
		json_object_put(details);
		json_object_put(ev);
		return NULL;
	}
	asl_json_add_literal(ev, "type", t);
	if (!asl_json_add_literal(ev, "details", details))
	{
		json_object_put(ev);
		return NULL;
	}
	return ev;
}

bool
asl_events_push(json_object *events, const char *type, json_object *details)
{
	json_object *ev = asl_event_new(type, details);

	if (ev == NULL)
		return false;
	if (json_object_array_add(events, ev) != 0)
	{
		json_object_put(ev);
		return false;
	}
	return true;
}

json_object *
asl_event_entered_details(const char *state, json_object *input)
{
	json_object *d = json_object_new_object();

	if (!asl_json_add_literal(d, "name", json_object_new_string(state)) ||
		!asl_json_add_literal(d, "input", json_object_get(input)) ||
		!asl_json_add_literal(d, "inputDetails", asl_not_truncated()))
	{
		json_object_put(d);
		return NULL;
	}
	return wrap("stateEnteredEventDetails", d);
}

json_object *
asl_event_exited_details(const char *state, json_object *output, json_object *assigned)
{
	json_object *d = json_object_new_object();

	if (!asl_json_add_literal(d, "name", json_object_new_string(state)) ||
		!asl_json_add_literal(d, "output", json_object_get(output)) ||
		!asl_json_add_literal(d, "outputDetails", asl_not_truncated()))
	{
		json_object_put(d);
		return NULL;
	}
	if (assigned != NULL &&
		(!asl_json_add_literal(d, "assignedVariables", json_object_get(assigned)) ||
		 !asl_json_add_literal(d, "assignedVariablesDetails", asl_not_truncated())))
	{
		json_object_put(d);
		return NULL;
	}
	return wrap("stateExitedEventDetails", d);
}

bool
asl_event_is_plain_exit(json_object *ev, const char *type, const char *state, json_object *output)
{
	json_object *v,
			   *details,
			   *inner;

	if (output == NULL || state == NULL || !json_object_is_type(ev, json_type_object) ||
		json_object_object_length(ev) != 2 ||
		!json_object_object_get_ex(ev, "type", &v) || !json_object_is_type(v, json_type_string) ||
		strcmp(json_object_get_string(v), type) != 0 ||
		!json_object_object_get_ex(ev, "details", &details) ||
		!json_object_is_type(details, json_type_object) || json_object_object_length(details) != 1 ||
		!json_object_object_get_ex(details, "stateExitedEventDetails", &inner) ||
		!json_object_is_type(inner, json_type_object) || json_object_object_length(inner) != 3)
		return false;
	return json_object_object_get_ex(inner, "name", &v) && json_object_is_type(v, json_type_string) &&
		strcmp(json_object_get_string(v), state) == 0 &&
		json_object_object_get_ex(inner, "output", &v) && v == output &&
		json_object_object_get_ex(inner, "outputDetails", &v) && v == asl_not_truncated();
}

json_object *
asl_event_map_started_details(size_t length)
{
	json_object *d = json_object_new_object();

	if (!asl_json_add_literal(d, "length", json_object_new_int64((int64_t) length)))
	{
		json_object_put(d);
		return NULL;
	}
	return wrap("mapStateStartedEventDetails", d);
}

json_object *
asl_event_named(const char *type, json_object *inner)
{
	char		member[96];

	/* MapIterationStarted -> mapIterationStartedEventDetails */
	asl_concat(member, sizeof member, type, "EventDetails");
	member[0] = (char) tolower((unsigned char) member[0]);
	return asl_event_new(type, wrap(member, inner));
}

json_object *
asl_event_map_iteration(const char *type, const char *map_state, size_t index)
{
	json_object *d = json_object_new_object();

	if (!asl_json_add_literal(d, "name", json_object_new_string(map_state)) ||
		!asl_json_add_literal(d, "index", json_object_new_int64((int64_t) index)))
	{
		json_object_put(d);
		return NULL;
	}
	return asl_event_named(type, d);
}
