/*
 * definition_fields.c — typed readers for definition fields.
 *
 * Every reader reports the problem it finds at the field's own JSON pointer
 * and returns whether the value is usable, so callers keep going.
 */
#include "definition_impl.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_kind.h"
#include "names.h"

static void
			report(asl_build *b, asl_severity sev, const char *code, const char *base,
				   const char *field, const char *fmt, va_list ap)
			__attribute__((format(printf, 6, 0)));

/*
 * Adds a diagnostic at base/field with a formatted message; an allocation
 * failure marks the build out of memory.
 */
static void
report(asl_build *b, asl_severity sev, const char *code, const char *base,
	   const char *field, const char *fmt, va_list ap)
{
	char	   *msg = NULL;
	char	   *where = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	if (field != NULL)
		where = asl_build_pointer(b, base, field);
	asl_diag_add(b->diags, sev, code, field ? where : base, "%s",
				 msg ? msg : "(out of memory)");
	free(where);
	free(msg);
}

void
asl_build_error(asl_build *b, const char *code, const char *base,
				const char *field, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	report(b, ASL_SEV_ERROR, code, base, field, fmt, ap);
	va_end(ap);
}

void
asl_build_warning(asl_build *b, const char *code, const char *base,
				  const char *field, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	report(b, ASL_SEV_WARNING, code, base, field, fmt, ap);
	va_end(ap);
}

char	   *
asl_build_pointer(asl_build *b, const char *base, const char *token)
{
	char	   *p = asl_pointer_join(base ? base : "", token ? token : "");

	if (p == NULL)
		b->oom = true;
	return p;
}

char	   *
asl_build_pointer_index(asl_build *b, const char *base, size_t index)
{
	char	   *p = asl_pointer_index(base ? base : "", index);

	if (p == NULL)
		b->oom = true;
	return p;
}

char	   *
asl_build_strdup(asl_build *b, const char *s)
{
	char	   *d;

	if (s == NULL)
		return NULL;
	d = strdup(s);
	if (d == NULL)
		b->oom = true;
	return d;
}

json_object *
asl_field(json_object *obj, const char *field)
{
	json_object *v = NULL;

	if (!json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, field, &v))
		return NULL;
	/* a present null is returned as NULL too: callers that care use has_field */
	return v;
}

/* Whether obj is an object with field. */
static bool
has_field(json_object *obj, const char *field)
{
	return json_object_is_type(obj, json_type_object) &&
		json_object_object_get_ex(obj, field, NULL);
}

bool
asl_read_string(asl_build *b, json_object *obj, const char *base,
				const char *field, const char **out)
{
	json_object *v = asl_field(obj, field);

	*out = NULL;
	if (!has_field(obj, field))
		return false;
	if (!json_object_is_type(v, json_type_string))
	{
		asl_build_error(b, "WRONG_TYPE", base, field, "%s must be a string, not %s",
						field, asl_json_type_label(v));
		return false;
	}
	*out = json_object_get_string(v);
	return true;
}

bool
asl_read_bool(asl_build *b, json_object *obj, const char *base,
			  const char *field, bool *out)
{
	json_object *v = asl_field(obj, field);

	*out = false;
	if (!has_field(obj, field))
		return false;
	if (!json_object_is_type(v, json_type_boolean))
	{
		asl_build_error(b, "WRONG_TYPE", base, field, "%s must be a boolean, not %s",
						field, asl_json_type_label(v));
		return false;
	}
	*out = json_object_get_boolean(v);
	return true;
}

/* A JSON number as a finite double; false for anything else. */
static bool
number_value(json_object *v, double *out)
{
	if (json_object_is_type(v, json_type_int))
	{
		*out = (double) json_object_get_int64(v);
		return true;
	}
	if (json_object_is_type(v, json_type_double))
	{
		*out = json_object_get_double(v);
		return isfinite(*out);
	}
	return false;
}

bool
asl_read_int(asl_build *b, json_object *obj, const char *base,
			 const char *field, int64_t min, int64_t max, int64_t *out)
{
	json_object *v = asl_field(obj, field);
	double		d;

	*out = 0;
	if (!has_field(obj, field))
		return false;
	if (!number_value(v, &d) || d != floor(d))
	{
		asl_build_error(b, "WRONG_TYPE", base, field, "%s must be an integer, not %s",
						field, asl_json_type_label(v));
		return false;
	}
	/* compare as doubles first: casting an out-of-range double is undefined */
	if (d < (double) min || d > (double) max)
	{
		asl_build_error(b, "INVALID_VALUE", base, field,
						"%s must be between %lld and %lld, not %.17g",
						field, (long long) min, (long long) max, d);
		return false;
	}
	*out = json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : (int64_t) d;
	return true;
}

bool
asl_read_number(asl_build *b, json_object *obj, const char *base,
				const char *field, double min, double max, double *out)
{
	json_object *v = asl_field(obj, field);
	double		d;

	*out = 0;
	if (!has_field(obj, field))
		return false;
	if (!number_value(v, &d))
	{
		asl_build_error(b, "WRONG_TYPE", base, field, "%s must be a number, not %s",
						field, asl_json_type_label(v));
		return false;
	}
	if (d < min || d > max)
	{
		if (max == DBL_MAX)
			asl_build_error(b, "INVALID_VALUE", base, field,
							"%s must be at least %g, not %g", field, min, d);
		else
			asl_build_error(b, "INVALID_VALUE", base, field,
							"%s must be between %g and %g, not %g", field, min, max, d);
		return false;
	}
	*out = d;
	return true;
}

bool
asl_read_object(asl_build *b, json_object *obj, const char *base,
				const char *field, json_object **out)
{
	json_object *v = asl_field(obj, field);

	*out = NULL;
	if (!has_field(obj, field))
		return false;
	if (!json_object_is_type(v, json_type_object))
	{
		asl_build_error(b, "WRONG_TYPE", base, field, "%s must be an object, not %s",
						field, asl_json_type_label(v));
		return false;
	}
	*out = v;
	return true;
}

/*
 * Compiles text as a path of the given flavor, reporting at base/field why
 * it is not one.
 */
static asl_path *
compile_path(asl_build *b, const char *text, const char *base, const char *field,
			 asl_path_flavor flavor)
{
	char	   *error = NULL;
	asl_path   *path = asl_path_compile(text, flavor, &error);

	if (path == NULL)
		asl_build_error(b, flavor == ASL_PATH_REFERENCE ? "INVALID_REFERENCE_PATH" : "INVALID_JSON_PATH",
						base, field, "%s is not a valid %s: %s", field,
						flavor == ASL_PATH_REFERENCE ? "reference path" : "JSONPath",
						error ? error : "cannot compile");
	free(error);
	return path;
}

bool
asl_read_path(asl_build *b, json_object *obj, const char *base,
			  const char *field, asl_path_flavor flavor, asl_path **out)
{
	const char *text;

	*out = NULL;
	if (!asl_read_string(b, obj, base, field, &text))
		return false;
	*out = compile_path(b, text, base, field, flavor);
	return *out != NULL;
}

void
asl_read_opt_path(asl_build *b, json_object *obj, const char *base,
				  const char *field, asl_path_flavor flavor, asl_opt_path *out)
{
	memset(out, 0, sizeof(*out));
	if (!has_field(obj, field))
		return;
	out->present = true;
	if (asl_field(obj, field) == NULL)
	{
		out->is_null = true;
		return;
	}
	if (!asl_read_path(b, obj, base, field, flavor, &out->path))
		out->present = false;
}

void
asl_read_result_path(asl_build *b, json_object *obj, const char *base,
					 const char *field, asl_opt_path *out)
{
	asl_read_opt_path(b, obj, base, field, ASL_PATH_REFERENCE, out);
	if (out->path != NULL && asl_path_root_kind(out->path) != ASL_ROOT_INPUT)
	{
		/*
		 * results are written into the state's input, never into $$ or a
		 * variable
		 */
		asl_build_error(b, "INVALID_REFERENCE_PATH", base, field,
						"%s must start with \"$\" and refer into the state input, not \"%s\"",
						field, asl_path_text(out->path));
		asl_drop_path(out->path);
		out->path = NULL;
		out->present = false;
	}
}

asl_template *
asl_read_template(asl_build *b, json_object *obj, const char *base, const char *field)
{
	json_object *v;
	char	   *where;
	asl_template *tpl;

	if (!asl_read_object(b, obj, base, field, &v))
		return NULL;
	where = asl_build_pointer(b, base, field);
	if (where == NULL)
		return NULL;
	/* template.c reports the template's own problems, NO_DOLLAR included */
	tpl = asl_template_compile(v, where, b->diags);
	free(where);
	return tpl;
}

/* Reports every key of an Assign object that is not a variable name. */
static bool
check_variable_names(asl_build *b, json_object *assign, const char *where)
{
	bool		ok = true;

	json_object_object_foreach(assign, key, val)
	{
		size_t		len = strlen(key);

		(void) val;
		if (len >= 2 && strcmp(key + len - 2, ".$") == 0)
			len -= 2;
		if (!asl_variable_name_valid(key, len))
		{
			asl_build_error(b, "INVALID_VALUE", where, key,
							"\"%.*s\" is not a valid variable name (a letter or _, then letters, digits or _, at most 80 characters)",
							(int) len, key);
			ok = false;
		}
	}
	return ok;
}

asl_template *
asl_read_assign(asl_build *b, json_object *obj, const char *base, const char *field)
{
	json_object *v;
	char	   *where;
	asl_template *tpl = NULL;

	if (!asl_read_object(b, obj, base, field, &v))
		return NULL;
	where = asl_build_pointer(b, base, field);
	if (where == NULL)
		return NULL;
	if (check_variable_names(b, v, where))
		tpl = asl_template_compile(v, where, b->diags);
	free(where);
	return tpl;
}

void
asl_read_num_or_path(asl_build *b, json_object *obj, const char *base,
					 const char *lit, const char *path_field,
					 double min, double max, bool integer, asl_num_or_path *out)
{
	memset(out, 0, sizeof(*out));
	if (!asl_exclusive(b, obj, base, lit, path_field))
		return;
	if (has_field(obj, lit))
	{
		if (integer)
		{
			int64_t		iv;

			/* min/max are whole numbers well inside int64 range */
			if (asl_read_int(b, obj, base, lit, (int64_t) min, (int64_t) max, &iv))
			{
				out->present = true;
				out->value = (double) iv;
			}
		}
		else if (asl_read_number(b, obj, base, lit, min, max, &out->value))
			out->present = true;
	}
	else if (has_field(obj, path_field))
	{
		if (asl_read_path(b, obj, base, path_field, ASL_PATH_REFERENCE, &out->path))
			out->present = true;
	}
}

bool
asl_exclusive(asl_build *b, json_object *obj, const char *base,
			  const char *a, const char *c)
{
	if (has_field(obj, a) && has_field(obj, c))
	{
		asl_build_error(b, "MUTUALLY_EXCLUSIVE_FIELDS", base, NULL,
						"%s and %s are mutually exclusive: give only one", a, c);
		return false;
	}
	return true;
}

/* Reports each key of obj that is not in allowed (NULL-ended). */
static void
check_object_keys(asl_build *b, json_object *obj, const char *base,
				  const char *what, const char *const *allowed)
{
	json_object_object_foreach(obj, key, val)
	{
		bool		found = false;

		(void) val;
		for (const char *const *a = allowed; a && *a; a++)
			if (strcmp(*a, key) == 0)
			{
				found = true;
				break;
			}
		if (!found)
			asl_build_error(b, "UNKNOWN_FIELD", base, key,
							"unknown field \"%s\" in %s", key, what);
	}
}

void
asl_check_keys(asl_build *b, json_object *obj, const char *base,
			   const char *what, const char *const *allowed)
{
	if (json_object_is_type(obj, json_type_object))
		check_object_keys(b, obj, base, what, allowed);
}

void
asl_opt_path_release(asl_opt_path *p)
{
	asl_drop_path(p->path);
	memset(p, 0, sizeof(*p));
}
