/*
 * ddb_table.c — a DynamoDB TableName as a PostgreSQL table (see the header).
 *
 * Described per request: the catalog lookups hit the syscache and the
 * relcache, which cost a few microseconds against the statements the request
 * runs, and there is nothing to invalidate.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "catalog/pg_type.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"

#include "jsonc.h"
#include "permissions.h"
#include "core/ddb/ddb_request.h"
#include "ddb_table.h"

/*
 * How a scalar column type is read and written: as a DynamoDB number,
 * string, binary or boolean.
 */
static DdbKind
scalar_kind(Oid basetype)
{
	switch (basetype)
	{
		case INT2OID:
		case INT4OID:
		case INT8OID:
		case OIDOID:
		case NUMERICOID:
		case FLOAT4OID:
		case FLOAT8OID:
			return DDB_KIND_N;
		case BOOLOID:
			return DDB_KIND_BOOL;
		case BYTEAOID:
			return DDB_KIND_B;
		case JSONOID:
		case JSONBOID:
			return DDB_KIND_JSON;
		default:

			/*
			 * text types, timestamps, uuid, enums, everything else: their
			 * text
			 */
			return DDB_KIND_S;
	}
}

/*
 * Fills t from a column's type: its base type under domains, its array
 * element and kind.
 */
static void
describe_type(DdbType *t, Oid typid, int32 typmod)
{
	Oid			elem;
	bool		isvarlena;

	t->typid = typid;
	t->typmod = typmod;
	t->basetype = getBaseType(typid);
	t->is_domain = t->basetype != typid;
	getTypeInputInfo(typid, &t->typinput, &t->typioparam);
	getTypeOutputInfo(typid, &t->typoutput, &isvarlena);
	get_typlenbyvalalign(typid, &t->typlen, &t->typbyval, &t->typalign);
	t->domain_extra = NULL;
	t->elem = NULL;
	elem = get_element_type(t->basetype);
	if (OidIsValid(elem))
	{
		t->kind = DDB_KIND_ARRAY;
		t->elem = palloc0(sizeof(DdbType));
		/* an array column's typmod is its elements' (varchar(10)[]) */
		describe_type(t->elem, elem, typmod);
	}
	else
		t->kind = scalar_kind(t->basetype);
}

/* Reports a table that does not exist or is not visible. */
static DdbTable *
not_found(asl_error *err)
{
	/* DynamoDB's words, which do not name the table */
	asl_error_set(err, DDB_ERR_NOT_FOUND, "Requested resource not found");
	return NULL;
}

/* The relation named exactly name (see the header), locked; InvalidOid when none. */
static Oid
lookup(const char *name)
{
	const char *dot = strchr(name, '.');

	if (dot != NULL && dot - name < NAMEDATALEN)
	{
		char	   *schema = pnstrdup(name, dot - name);

		/*
		 * a schema the name starts with makes it qualified; else the dot is
		 * the table's
		 */
		if (*schema != '\0' && OidIsValid(get_namespace_oid(schema, true)))
		{
			if (strlen(dot + 1) == 0 || strlen(dot + 1) >= NAMEDATALEN)
				return InvalidOid;
			return RangeVarGetRelidExtended(makeRangeVar(schema, pstrdup(dot + 1), -1),
											AccessShareLock, RVR_MISSING_OK, NULL, NULL);
		}
	}

	/*
	 * identifiers longer than NAMEDATALEN - 1 would be truncated: no table
	 * has such a name
	 */
	if (strlen(name) >= NAMEDATALEN)
		return InvalidOid;
	return RangeVarGetRelidExtended(makeRangeVar(NULL, pstrdup(name), -1),
									AccessShareLock, RVR_MISSING_OK, NULL, NULL);
}

/* The primary key's columns (attnums, in the key's order); 0 when the table has none. */
static int
primary_key(Relation rel, AttrNumber **attnums)
{
	Oid			pk = RelationGetPrimaryKeyIndex(rel);
	HeapTuple	tup;
	Form_pg_index index;
	int			i,
				n;

	if (!OidIsValid(pk))
		return 0;
	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(pk));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for index %u", pk);
	index = (Form_pg_index) GETSTRUCT(tup);
	n = index->indnkeyatts;
	*attnums = palloc(sizeof(AttrNumber) * n);
	for (i = 0; i < n; i++)
		(*attnums)[i] = index->indkey.values[i];
	ReleaseSysCache(tup);
	return n;
}

DdbTable   *
ddb_table_open(const char *name, asl_error *err)
{
	Oid			relid = lookup(name);
	char		relkind;
	Relation	rel;
	TupleDesc	desc;
	DdbTable   *table;
	AttrNumber *pk = NULL;
	int			npk;
	int			i,
				k;

	if (!OidIsValid(relid))
		return not_found(err);
	relkind = get_rel_relkind(relid);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_PARTITIONED_TABLE)
		return not_found(err);

	/*
	 * judged on the table the name resolved to, whatever search_path or
	 * quoting led there
	 */
	if (!booking_task_may_reach(get_rel_namespace(relid), psprintf("Table: %s", name),
								"DynamoDB.AccessDeniedException", err))
		return NULL;

	rel = table_open(relid, NoLock);	/* locked by the lookup */
	desc = RelationGetDescr(rel);
	table = palloc0(sizeof(DdbTable));
	table->relid = relid;
	table->name = pstrdup(name);
	table->qualified = quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
												  RelationGetRelationName(rel));
	table->columns = palloc0(sizeof(DdbColumn) * Max(desc->natts, 1));
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		DdbColumn  *col;

		if (att->attisdropped)
			continue;
		col = &table->columns[table->ncolumns++];
		col->name = pstrdup(NameStr(att->attname));
		col->attnum = att->attnum;
		col->generated = att->attgenerated != '\0';
		describe_type(&col->type, att->atttypid, att->atttypmod);
	}
	npk = primary_key(rel, &pk);
	table_close(rel, NoLock);

	if (npk == 0)
	{
		asl_error_set(err, DDB_ERR_VALIDATION,
					  "Table: %s has no primary key: DynamoDB operations address items by the table's primary key",
					  name);
		return NULL;
	}
	table->nkeys = npk;
	table->keys = palloc(sizeof(int) * npk);
	table->key_names = palloc(sizeof(char *) * npk);
	for (k = 0; k < npk; k++)
	{
		DdbColumn  *col = NULL;

		for (i = 0; i < table->ncolumns; i++)
			if (table->columns[i].attnum == pk[k])
			{
				col = &table->columns[i];
				table->keys[k] = i;
				break;
			}
		if (col == NULL)
			elog(ERROR, "primary key column %d of table %s not found", pk[k], table->qualified);
		col->is_key = true;
		table->key_names[k] = col->name;
		if (col->type.kind != DDB_KIND_S && col->type.kind != DDB_KIND_N && col->type.kind != DDB_KIND_B)
		{
			asl_error_set(err, DDB_ERR_VALIDATION,
						  "Table: %s has primary key column %s of type %s: DynamoDB key attributes are S, N or B",
						  name, col->name, ddb_column_type_name(col));
			return NULL;
		}
	}
	return table;
}

DdbColumn  *
ddb_table_column(DdbTable *table, const char *name)
{
	int			i;

	for (i = 0; i < table->ncolumns; i++)
		if (strcmp(table->columns[i].name, name) == 0)
			return &table->columns[i];
	return NULL;
}

const char *
ddb_column_type_name(DdbColumn *col)
{
	/* only messages need it: format_type costs a catalog lookup per column */
	if (col->type_name == NULL)
		col->type_name = format_type_with_typemod(col->type.typid, col->type.typmod);
	return col->type_name;
}
