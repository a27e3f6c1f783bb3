/*
 * ddb_table.h — a DynamoDB TableName as a PostgreSQL table: the relation,
 * its columns with their types, and its primary key.
 *
 * Names are exact: "Apartments" is the table named Apartments, not
 * apartments. A name with a dot whose first part is an existing schema is
 * schema-qualified ("app.apartments" → "app"."apartments"); any other name is
 * one table name looked up through the search_path (DynamoDB allows dots in
 * table names, so "my.table" with no schema "my" is the table "my.table").
 * The relation is locked (AccessShareLock) once found, so its columns can't
 * change under the request.
 */
#ifndef BOOKING_DDB_TABLE_H
#define BOOKING_DDB_TABLE_H

#include "postgres.h"

#include "access/attnum.h"

#include "core/error.h"

/* How a column's values look as DynamoDB attribute values. */
typedef enum DdbKind
{
	DDB_KIND_S,					/* text types, and every type read through its
								 * output function */
	DDB_KIND_N,					/* int2/4/8, numeric, float4/8 (and oid) */
	DDB_KIND_BOOL,				/* boolean */
	DDB_KIND_B,					/* bytea, base64 */
	DDB_KIND_JSON,				/* json/jsonb: M, L, S, N, BOOL or NULL by the
								 * JSON value */
	DDB_KIND_ARRAY				/* an array: L of its elements' kind */
} DdbKind;

/* The mapping of one (base) type; arrays describe their element type. */
typedef struct DdbType
{
	Oid			typid;			/* the type itself (a domain stays a domain) */
	Oid			basetype;		/* with domains resolved */
	int32		typmod;
	DdbKind		kind;
	bool		is_domain;
	/* input and output functions of typid (domains check their constraints) */
	Oid			typinput;
	Oid			typioparam;
	Oid			typoutput;
	/* element storage, for arrays */
	int16		typlen;
	bool		typbyval;
	char		typalign;
	struct DdbType *elem;		/* DDB_KIND_ARRAY: the element type */
	void	   *domain_extra;	/* domain_check's cache */
} DdbType;

typedef struct DdbColumn
{
	char	   *name;			/* attribute name = column name, exactly */
	AttrNumber	attnum;
	char	   *type_name;		/* for messages: ddb_column_type_name */
	DdbType		type;
	bool		is_key;
	bool		generated;		/* GENERATED ALWAYS AS (...) STORED: read only */
} DdbColumn;

typedef struct DdbTable
{
	Oid			relid;
	const char *name;			/* the TableName as the request gave it */
	char	   *qualified;		/* "schema"."table", quoted, for SQL */
	int			ncolumns;
	DdbColumn  *columns;
	int			nkeys;
	int		   *keys;			/* indexes into columns, in the primary key's
								 * order */
	const char **key_names;		/* the key columns' names, in the same order */
} DdbTable;

/*
 * Resolves name to a table (or partitioned table) and describes it, in
 * CurrentMemoryContext. Returns NULL with err set: ResourceNotFound when
 * there is no such table, AmazonDynamoDBException when it has no primary key
 * or a key column of a type DynamoDB keys can't have (keys are S, N or B).
 */
DdbTable   *ddb_table_open(const char *name, asl_error *err);

/* The column named exactly name, or NULL. */
DdbColumn  *ddb_table_column(DdbTable *table, const char *name);

/* The column's type as SQL writes it ("character varying(5)"), for messages. */
const char *ddb_column_type_name(DdbColumn *col);

#define DDB_ERR_NOT_FOUND	"DynamoDB.ResourceNotFoundException"

#endif
