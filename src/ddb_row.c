/*
 * ddb_row.c — table rows as DynamoDB items and typed values as column
 * values (the mapping is in the header).
 *
 * json-c allocates with malloc: every value made here is attached to its
 * parent as soon as it exists, and the root is owned by the memory context,
 * so an ERROR halfway through a row frees what was built.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/base64.h"
#include "common/shortest_dec.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

#include "jsonc_bridge.h"
#include "ddb_row.h"
#include "core/ddb/ddb_number.h"
#include "core/ddb/ddb_request.h"
#include "core/ddb/ddb_value.h"

#define MSG_INVALID "One or more parameter values were invalid: "

/* What a message names: the attribute (= column) and its table. */
typedef struct Where
{
	DdbTable   *table;
	DdbColumn  *col;
	bool		element;		/* an array's element, not the column's value */
} Where;

/* Raises out of memory (json-c allocation failed). */
static void
out_of_memory(void)
{
	ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
}

/* Attaches v (new) to parent: under key in an object, appended to an array. */
static void
attach(json_object *parent, const char *key, json_object *v)
{
	int			rc;

	if (v == NULL)
		out_of_memory();
	rc = key != NULL ? json_object_object_add(parent, key, v) : json_object_array_add(parent, v);
	if (rc != 0)
	{
		json_object_put(v);
		out_of_memory();
	}
}

/* {type: payload} attached to parent; payload (new) is taken. */
static void
attach_typed(json_object *parent, const char *key, const char *type, json_object *payload)
{
	json_object *v = json_object_new_object();

	if (v == NULL)
	{
		json_object_put(payload);
		out_of_memory();
	}
	attach(parent, key, v);
	attach(v, type, payload);
}

/* ---- reading: column values → typed values ---- */

/* Reports a column value that is no DynamoDB number. */
static bool
number_error(const Where *w, const char *text, const char *why, asl_error *err)
{
	asl_error_set(err, DDB_ERR_VALIDATION,
				  "Column %s of table %s holds %s, which is not a DynamoDB number: %s",
				  w->col->name, w->table->name, text, why);
	return false;
}

#define MSG_NOT_FINITE "DynamoDB numbers are finite"

/* float4 and float8 columns: NaN and the infinities have no DynamoDB number. */
static bool
float_is_finite(const Where *w, float8 f, asl_error *err)
{
	if (isnan(f))
		return number_error(w, "NaN", MSG_NOT_FINITE, err);
	if (isinf(f))
		return number_error(w, f > 0 ? "Infinity" : "-Infinity", MSG_NOT_FINITE, err);
	return true;
}

/* The number d of type t in DynamoDB's canonical text. */
static bool
number_text(const Where *w, const DdbType *t, Datum d, char buf[DDB_NUMBER_TEXT_SIZE], asl_error *err)
{
	char		tmp[Max(DOUBLE_SHORTEST_DECIMAL_LEN, 32)];
	const char *text = tmp;
	ddb_number_status st;

	switch (t->basetype)
	{
		case INT2OID:
			snprintf(tmp, sizeof(tmp), "%d", (int) DatumGetInt16(d));
			break;
		case INT4OID:
			snprintf(tmp, sizeof(tmp), "%d", DatumGetInt32(d));
			break;
		case INT8OID:
			snprintf(tmp, sizeof(tmp), INT64_FORMAT, DatumGetInt64(d));
			break;
		case OIDOID:
			snprintf(tmp, sizeof(tmp), "%u", DatumGetObjectId(d));
			break;
		case FLOAT4OID:
			if (!float_is_finite(w, DatumGetFloat4(d), err))
				return false;
			float_to_shortest_decimal_buf(DatumGetFloat4(d), tmp);
			break;
		case FLOAT8OID:
			if (!float_is_finite(w, DatumGetFloat8(d), err))
				return false;
			double_to_shortest_decimal_buf(DatumGetFloat8(d), tmp);
			break;
		case NUMERICOID:
			{
				Numeric		n = DatumGetNumeric(d);

				text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));

				if (numeric_is_nan(n) || numeric_is_inf(n))
					return number_error(w, text, MSG_NOT_FINITE, err);
				break;
			}
		default:
			elog(ERROR, "type %u is not a number type", t->basetype);
	}
	st = ddb_number_canonical(text, buf);
	if (st != DDB_NUMBER_OK)
	{
		char	   *msg = ddb_number_message(st, text);
		char	   *why = pstrdup(msg ? msg : "out of memory");

		free(msg);
		return number_error(w, text, why, err);
	}
	return true;
}

/* Dates and times as to_jsonb writes them; timestamptz in UTC, "Z". */
static char *
datetime_text(const DdbType *t, Datum d)
{
	char		buf[MAXDATELEN + 1];
	int			utc = 0;
	size_t		len;

	JsonEncodeDateTime(buf, d, t->basetype, t->basetype == TIMESTAMPTZOID ? &utc : NULL);
	len = strlen(buf);
	if (t->basetype == TIMESTAMPTZOID && len > 6 && strcmp(buf + len - 6, "+00:00") == 0)
		strcpy(buf + len - 6, "Z");
	return pstrdup(buf);
}

static bool
is_datetime(Oid type)
{
	return type == DATEOID || type == TIMESTAMPOID || type == TIMESTAMPTZOID ||
		type == TIMEOID || type == TIMETZOID;
}

static bool read_value(const Where *w, const DdbType *t, Datum d, json_object *parent, const char *key,
					   asl_error *err);

/* Builds one level of a (possibly multidimensional) array as nested L. */
static bool
read_array_level(const Where *w, const DdbType *t, int ndims, const int *dims, int level,
				 Datum *elems, bool *nulls, int *next, json_object *parent, const char *key,
				 asl_error *err)
{
	json_object *list = json_object_new_array_ext(Max(dims[level], 1));
	int			i;

	if (list == NULL)
		out_of_memory();
	attach_typed(parent, key, "L", list);
	for (i = 0; i < dims[level]; i++)
	{
		if (level + 1 < ndims)
		{
			if (!read_array_level(w, t, ndims, dims, level + 1, elems, nulls, next, list, NULL, err))
				return false;
			continue;
		}
		if (nulls[*next])
			attach_typed(list, NULL, "NULL", json_object_new_boolean(1));
		else if (!read_value(w, t->elem, elems[*next], list, NULL, err))
			return false;
		(*next)++;
	}
	return true;
}

/*
 * Adds the array datum d as a DynamoDB list (L) or set (SS, NS, BS) member
 * of parent.
 */
static bool
read_array(const Where *w, const DdbType *t, Datum d, json_object *parent, const char *key, asl_error *err)
{
	ArrayType  *arr = DatumGetArrayTypeP(d);
	Where		ew = *w;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			next = 0;
	int			ndims = ARR_NDIM(arr);

	if (ndims == 0)
	{
		json_object *list = json_object_new_array();

		if (list == NULL)
			out_of_memory();
		attach_typed(parent, key, "L", list);
		return true;
	}
	deconstruct_array(arr, t->elem->typid, t->elem->typlen, t->elem->typbyval, t->elem->typalign,
					  &elems, &nulls, &n);
	ew.element = true;
	return read_array_level(&ew, t, ndims, ARR_DIMS(arr), 0, elems, nulls, &next, parent, key, err);
}

/* Adds the json or jsonb datum d as a typed DynamoDB member of parent. */
static bool
read_json(const Where *w, const DdbType *t, Datum d, json_object *parent, const char *key, asl_error *err)
{
	Jsonb	   *jb;
	json_object *plain;
	json_object *typed;
	char	   *message = NULL;

	if (t->basetype == JSONBOID)
		jb = DatumGetJsonbP(d);
	else
		jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(OidOutputFunctionCall(t->typoutput, d))));
	plain = booking_jsonb_to_jsonc(jb); /* owned by the context */
	typed = ddb_value_from_plain(plain, &message);
	if (typed == NULL)
	{
		asl_error_set(err, DDB_ERR_VALIDATION, "Column %s of table %s holds JSON DynamoDB can't hold: %s",
					  w->col->name, w->table->name, message ? message : "out of memory");
		free(message);
		return false;
	}
	attach(parent, key, typed);
	return true;
}

/* Adds the bytea datum d as a base64 binary (B) member of parent. */
static bool
read_bytea(const DdbType *t, Datum d, json_object *parent, const char *key)
{
	bytea	   *b = DatumGetByteaPP(d);
	int			len = VARSIZE_ANY_EXHDR(b);
	int			enclen = pg_b64_enc_len(len);
	char	   *enc = palloc(enclen + 1);
	int			n = pg_b64_encode(VARDATA_ANY(b), len, enc, enclen);

	(void) t;
	if (n < 0)
		elog(ERROR, "could not encode a bytea value as base64");
	attach_typed(parent, key, "B", json_object_new_string_len(enc, n));
	pfree(enc);
	return true;
}

/* The value d of type t as a typed value attached to parent (under key, or appended). */
static bool
read_value(const Where *w, const DdbType *t, Datum d, json_object *parent, const char *key, asl_error *err)
{
	switch (t->kind)
	{
		case DDB_KIND_N:
			{
				char		buf[DDB_NUMBER_TEXT_SIZE];

				if (!number_text(w, t, d, buf, err))
					return false;
				attach_typed(parent, key, "N", json_object_new_string(buf));
				return true;
			}
		case DDB_KIND_BOOL:
			attach_typed(parent, key, "BOOL", json_object_new_boolean(DatumGetBool(d)));
			return true;
		case DDB_KIND_B:
			return read_bytea(t, d, parent, key);
		case DDB_KIND_JSON:
			return read_json(w, t, d, parent, key, err);
		case DDB_KIND_ARRAY:
			return read_array(w, t, d, parent, key, err);
		case DDB_KIND_S:
			{
				char	   *s = is_datetime(t->basetype) ? datetime_text(t, d)
				: OidOutputFunctionCall(t->typoutput, d);

				attach_typed(parent, key, "S", json_object_new_string(s));
				pfree(s);
				return true;
			}
	}
	return false;
}

json_object *
ddb_row_to_item(DdbTable *table, Datum *values, bool *nulls, asl_error *err)
{
	BookingOwned *owner = booking_owner(booking_json_put);
	json_object *item = json_object_new_object();
	int			i;

	if (item == NULL)
		out_of_memory();
	owner->ptr = item;
	for (i = 0; i < table->ncolumns; i++)
	{
		Where		w = {table, &table->columns[i], false};

		if (nulls[i])
			continue;
		if (!read_value(&w, &table->columns[i].type, values[i], item, table->columns[i].name, err))
		{
			booking_release(owner);
			return NULL;
		}
	}
	return item;
}

/* ---- writing: typed values → column values ---- */

/* The typed values a column of type t takes, for messages. */
static const char *
takes(const DdbType *t)
{
	switch (t->kind)
	{
		case DDB_KIND_S:
			return "S";
		case DDB_KIND_N:
			return "N";
		case DDB_KIND_BOOL:
			return "BOOL";
		case DDB_KIND_B:
			return "B";
		case DDB_KIND_JSON:
			return "any type";
		case DDB_KIND_ARRAY:
			switch (t->elem->kind)
			{
				case DDB_KIND_S:
					return "L or SS";
				case DDB_KIND_N:
					return "L or NS";
				case DDB_KIND_B:
					return "L or BS";
				default:
					return "L";
			}
	}
	return "";
}

/*
 * Reports a typed value whose type the column cannot take, in DynamoDB's
 * words for keys.
 */
static bool
mismatch(const Where *w, const DdbType *t, ddb_type got, asl_error *err)
{
	if (w->col->is_key && !w->element)
		asl_error_set(err, DDB_ERR_VALIDATION,
					  MSG_INVALID "Type mismatch for key %s expected: %s actual: %s (column type %s)",
					  w->col->name, takes(t), ddb_type_name(got), ddb_column_type_name(w->col));
	else if (w->element)
		asl_error_set(err, DDB_ERR_VALIDATION,
					  MSG_INVALID "Type mismatch for an element of attribute %s: column %s of table %s has type %s, whose elements take %s, not %s",
					  w->col->name, w->col->name, w->table->name, ddb_column_type_name(w->col), takes(t), ddb_type_name(got));
	else
		asl_error_set(err, DDB_ERR_VALIDATION,
					  MSG_INVALID "Type mismatch for attribute %s: column %s of table %s has type %s, which takes %s, not %s",
					  w->col->name, w->col->name, w->table->name, ddb_column_type_name(w->col), takes(t), ddb_type_name(got));
	return false;
}

/* A domain's constraints on a value made directly (input functions check their own). */
static void
check_domain(const DdbType *t, Datum d, bool isnull)
{
	if (t->is_domain)
		domain_check(d, isnull, t->typid, (void **) &((DdbType *) t)->domain_extra, CurrentMemoryContext);
}

/* A string (S) value as a datum of column type t; refuses NUL characters. */
static bool
string_to_datum(const Where *w, const DdbType *t, json_object *s, Datum *out, asl_error *err)
{
	const char *str = json_object_get_string(s);
	int			len = json_object_get_string_len(s);

	if (memchr(str, '\0', len) != NULL)
	{
		asl_error_set(err, DDB_ERR_VALIDATION,
					  MSG_INVALID "Attribute %s holds a string with a NUL character, which column type %s can't hold",
					  w->col->name, ddb_column_type_name(w->col));
		return false;
	}
	*out = OidInputFunctionCall(t->typinput, (char *) str, t->typioparam, t->typmod);
	return true;
}

/*
 * A number (N) value as a datum of column type t; refuses fractions for
 * integer columns.
 */
static bool
number_to_datum(const Where *w, const DdbType *t, json_object *n, Datum *out, asl_error *err)
{
	const char *text = json_object_get_string(n);

	if ((t->basetype == INT2OID || t->basetype == INT4OID || t->basetype == INT8OID ||
		 t->basetype == OIDOID) && strchr(text, '.') != NULL)
	{
		asl_error_set(err, DDB_ERR_VALIDATION,
					  MSG_INVALID "Attribute %s is %s, which column type %s can't hold: it takes integers",
					  w->col->name, text, ddb_column_type_name(w->col));
		return false;
	}
	*out = OidInputFunctionCall(t->typinput, (char *) text, t->typioparam, t->typmod);
	return true;
}

/* A binary (B) value, base64, as a bytea datum. */
static bool
binary_to_datum(const DdbType *t, json_object *b, Datum *out)
{
	const char *text = json_object_get_string(b);
	int			len = json_object_get_string_len(b);
	int			maxlen = pg_b64_dec_len(len);
	bytea	   *result = palloc(VARHDRSZ + maxlen + 1);
	int			n = pg_b64_decode(text, len, VARDATA(result), maxlen);

	if (n < 0)
		elog(ERROR, "invalid base64 in a checked B value");
	SET_VARSIZE(result, VARHDRSZ + n);
	*out = PointerGetDatum(result);
	check_domain(t, *out, false);
	return true;
}

static bool value_to_datum(const Where *w, const DdbType *t, json_object *v, Datum *out, bool *isnull,
						   asl_error *err);

typedef struct ArrayBuild
{
	int			ndims;
	int			dims[MAXDIM];
	Datum	   *elems;
	bool	   *nulls;
	int			n;
} ArrayBuild;

/* Reports a list of lists that a PostgreSQL array cannot hold. */
static bool
not_rectangular(const Where *w, asl_error *err)
{
	asl_error_set(err, DDB_ERR_VALIDATION,
				  MSG_INVALID "Attribute %s is a list of lists of different lengths, which column type %s can't hold: multidimensional arrays must be rectangular",
				  w->col->name, ddb_column_type_name(w->col));
	return false;
}

/* Flattens one level of nested lists (payload: an L's array) into b. */
static bool
build_level(const Where *w, const DdbType *t, json_object *payload, int level, ArrayBuild *b, asl_error *err)
{
	size_t		i,
				n = json_object_array_length(payload);

	if ((int) n != b->dims[level])
		return not_rectangular(w, err);
	for (i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(payload, i);

		if (level + 1 < b->ndims)
		{
			if (ddb_value_type(e) != DDB_TYPE_L)
				return not_rectangular(w, err);
			if (!build_level(w, t, ddb_value_payload(e), level + 1, b, err))
				return false;
			continue;
		}
		if (ddb_value_type(e) == DDB_TYPE_NULL)
			b->nulls[b->n] = true;	/* an SQL NULL element, even of a json
									 * array */
		else if (!value_to_datum(w, t->elem, e, &b->elems[b->n], &b->nulls[b->n], err))
			return false;
		b->n++;
	}
	return true;
}

/*
 * A list or set value as an array datum of column type t (multidimensional
 * for lists of lists).
 */
static bool
array_to_datum(const Where *w, const DdbType *t, json_object *v, Datum *out, asl_error *err)
{
	ddb_type	type = ddb_value_type(v);
	json_object *payload = ddb_value_payload(v);
	Where		ew = *w;
	ArrayBuild	b;
	int			lbs[MAXDIM];
	int			total = 1;
	int			i;
	ArrayType  *arr;

	ew.element = true;
	memset(&b, 0, sizeof(b));
	if (type == DDB_TYPE_SS || type == DDB_TYPE_NS || type == DDB_TYPE_BS)
	{
		DdbKind		want = type == DDB_TYPE_SS ? DDB_KIND_S : type == DDB_TYPE_NS ? DDB_KIND_N : DDB_KIND_B;
		size_t		n = json_object_array_length(payload);

		if (t->elem->kind != want)
			return mismatch(w, t, type, err);
		b.ndims = 1;
		b.dims[0] = (int) n;
		b.elems = palloc(sizeof(Datum) * Max(n, 1));
		b.nulls = palloc0(sizeof(bool) * Max(n, 1));
		for (i = 0; i < (int) n; i++)
		{
			json_object *e = json_object_array_get_idx(payload, i);
			bool		ok = want == DDB_KIND_S ? string_to_datum(&ew, t->elem, e, &b.elems[i], err)
			: want == DDB_KIND_N ? number_to_datum(&ew, t->elem, e, &b.elems[i], err)
			: binary_to_datum(t->elem, e, &b.elems[i]);

			if (!ok)
				return false;
		}
		b.n = (int) n;
	}
	else if (type == DDB_TYPE_L)
	{
		json_object *level = payload;

		/*
		 * dimensions from the first elements: lists of lists are a
		 * multidimensional array
		 */
		for (;;)
		{
			size_t		n = json_object_array_length(level);
			json_object *first;

			if (b.ndims == MAXDIM)
			{
				asl_error_set(err, DDB_ERR_VALIDATION,
							  MSG_INVALID "Attribute %s nests lists deeper than column type %s can hold (%d dimensions)",
							  w->col->name, ddb_column_type_name(w->col), MAXDIM);
				return false;
			}
			b.dims[b.ndims++] = (int) n;
			total *= (int) n;
			if (n == 0 || t->elem->kind == DDB_KIND_JSON)
				break;
			first = json_object_array_get_idx(level, 0);
			if (ddb_value_type(first) != DDB_TYPE_L)
				break;
			level = ddb_value_payload(first);
		}
		b.elems = palloc(sizeof(Datum) * Max(total, 1));
		b.nulls = palloc0(sizeof(bool) * Max(total, 1));
		if (!build_level(&ew, t, payload, 0, &b, err))
			return false;
	}
	else
		return mismatch(w, t, type, err);

	if (b.n == 0)
		arr = construct_empty_array(t->elem->typid);
	else
	{
		for (i = 0; i < b.ndims; i++)
			lbs[i] = 1;
		arr = construct_md_array(b.elems, b.nulls, b.ndims, b.dims, lbs, t->elem->typid,
								 t->elem->typlen, t->elem->typbyval, t->elem->typalign);
	}
	*out = PointerGetDatum(arr);
	check_domain(t, *out, false);
	return true;
}

/* A typed value as a json or jsonb datum in its plain JSON form. */
static bool
json_to_datum(const DdbType *t, json_object *v, Datum *out)
{
	BookingOwned *owner = booking_owner(booking_json_put);
	json_object *plain = NULL;
	bool		ok = ddb_value_to_plain(v, &plain);

	owner->ptr = plain;
	if (!ok)
		elog(ERROR, "a checked typed value has no JSON form");
	if (t->basetype == JSONBOID)
	{
		*out = JsonbPGetDatum(booking_jsonc_to_jsonb(plain));
		check_domain(t, *out, false);
	}
	else
		*out = OidInputFunctionCall(t->typinput, booking_jsonc_to_cstring(plain), t->typioparam, t->typmod);
	booking_release(owner);
	return true;
}

/* A typed value as a datum of column type t; NULL (NULL) becomes SQL NULL. */
static bool
value_to_datum(const Where *w, const DdbType *t, json_object *v, Datum *out, bool *isnull, asl_error *err)
{
	ddb_type	type = ddb_value_type(v);
	json_object *payload = ddb_value_payload(v);

	*isnull = false;
	*out = (Datum) 0;
	if (t->kind == DDB_KIND_JSON)
		return json_to_datum(t, v, out);
	if (type == DDB_TYPE_NULL)
	{
		*isnull = true;
		check_domain(t, (Datum) 0, true);
		return true;
	}
	switch (t->kind)
	{
		case DDB_KIND_S:
			if (type != DDB_TYPE_S)
				return mismatch(w, t, type, err);
			return string_to_datum(w, t, payload, out, err);
		case DDB_KIND_N:
			if (type != DDB_TYPE_N)
				return mismatch(w, t, type, err);
			return number_to_datum(w, t, payload, out, err);
		case DDB_KIND_BOOL:
			if (type != DDB_TYPE_BOOL)
				return mismatch(w, t, type, err);
			*out = BoolGetDatum(json_object_get_boolean(payload));
			check_domain(t, *out, false);
			return true;
		case DDB_KIND_B:
			if (type != DDB_TYPE_B)
				return mismatch(w, t, type, err);
			return binary_to_datum(t, payload, out);
		case DDB_KIND_ARRAY:
			return array_to_datum(w, t, v, out, err);
		case DDB_KIND_JSON:
			break;
	}
	return false;
}

bool
ddb_value_to_datum(DdbTable *table, DdbColumn *col, json_object *value,
				   Datum *out, bool *isnull, asl_error *err)
{
	Where		w = {table, col, false};

	return value_to_datum(&w, &col->type, value, out, isnull, err);
}

void
ddb_unknown_attribute(DdbTable *table, const char *name, asl_error *err)
{
	asl_error_set(err, DDB_ERR_VALIDATION,
				  MSG_INVALID "Unknown attribute %s: table %s has no column of that name (attribute names are column names, exactly)",
				  name, table->name);
}

void
ddb_generated_attribute(DdbTable *table, DdbColumn *col, asl_error *err)
{
	asl_error_set(err, DDB_ERR_VALIDATION,
				  MSG_INVALID "Cannot write attribute %s: column %s of table %s is generated",
				  col->name, col->name, table->name);
}
