/*
 * spi_columns.c — typed column values of an SPI result row. See spi_columns.h.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "spi_columns.h"

/*
 * The conversions, on a column's value however it was read: one at a time
 * (SPI_getbinval) or from a row taken apart once (SpiRow).
 */
static char *
text_value(TupleDesc desc, int n, Datum d, bool isnull)
{
	Oid			typoutput;
	bool		typisvarlena;

	if (isnull)
		return NULL;

	/*
	 * text as it is stored, without the type's output function (a catalog
	 * lookup and a call per column: a claimed row has ten)
	 */
	if (TupleDescAttr(desc, n - 1)->atttypid == TEXTOID)
		return TextDatumGetCString(d);
	getTypeOutputInfo(TupleDescAttr(desc, n - 1)->atttypid, &typoutput, &typisvarlena);
	return OidOutputFunctionCall(typoutput, d);
}

static inline Jsonb *
jsonb_value(Datum d, bool isnull)
{
	return isnull ? NULL : DatumGetJsonbPCopy(d);
}

static inline int64
int8_value(Datum d, bool isnull, int64 if_null)
{
	return isnull ? if_null : DatumGetInt64(d);
}

static inline int32
int4_value(Datum d, bool isnull, int32 if_null)
{
	return isnull ? if_null : DatumGetInt32(d);
}

static inline Oid
oid_value(Datum d, bool isnull)
{
	return isnull ? InvalidOid : DatumGetObjectId(d);
}

static inline TimestampTz
timestamptz_value(Datum d, bool isnull)
{
	return isnull ? 0 : DatumGetTimestampTz(d);
}

/* column n's value and null flag, one at a time */
#define SPI_COL(tup, desc, n) \
	bool		isnull; \
	Datum		d = SPI_getbinval((tup), (desc), (n), &isnull)

char	   *
spi_col_text(HeapTuple tup, TupleDesc desc, int n)
{
	SPI_COL(tup, desc, n);
	return text_value(desc, n, d, isnull);
}

Jsonb	   *
spi_col_jsonb(HeapTuple tup, TupleDesc desc, int n)
{
	SPI_COL(tup, desc, n);
	return jsonb_value(d, isnull);
}

int64
spi_col_int8(HeapTuple tup, TupleDesc desc, int n, int64 if_null)
{
	SPI_COL(tup, desc, n);
	return int8_value(d, isnull, if_null);
}

int32
spi_col_int4(HeapTuple tup, TupleDesc desc, int n, int32 if_null)
{
	SPI_COL(tup, desc, n);
	return int4_value(d, isnull, if_null);
}

Oid
spi_col_oid(HeapTuple tup, TupleDesc desc, int n)
{
	SPI_COL(tup, desc, n);
	return oid_value(d, isnull);
}

bool
spi_col_bool(HeapTuple tup, TupleDesc desc, int n)
{
	SPI_COL(tup, desc, n);
	return !isnull && DatumGetBool(d);
}

TimestampTz
spi_col_timestamptz(HeapTuple tup, TupleDesc desc, int n)
{
	SPI_COL(tup, desc, n);
	return timestamptz_value(d, isnull);
}

void
spi_row_init(SpiRow *row, HeapTuple tup, TupleDesc desc)
{
	row->desc = desc;
	row->values = palloc(sizeof(Datum) * desc->natts);
	row->nulls = palloc(sizeof(bool) * desc->natts);
	heap_deform_tuple(tup, desc, row->values, row->nulls);
}

void
spi_row_of_slot(SpiRow *row, TupleTableSlot *slot)
{
	slot_getallattrs(slot);
	row->desc = slot->tts_tupleDescriptor;
	row->values = slot->tts_values;
	row->nulls = slot->tts_isnull;
}

void
spi_row_free(SpiRow *row)
{
	pfree(row->values);
	pfree(row->nulls);
}

/* column n (1-based) of a row taken apart: its value and null flag */
#define ROW_COL(row, n) (row)->values[(n) - 1], (row)->nulls[(n) - 1]

char	   *
spi_row_text(const SpiRow *row, int n)
{
	return text_value(row->desc, n, ROW_COL(row, n));
}

Jsonb	   *
spi_row_jsonb(const SpiRow *row, int n)
{
	return jsonb_value(ROW_COL(row, n));
}

int64
spi_row_int8(const SpiRow *row, int n, int64 if_null)
{
	return int8_value(ROW_COL(row, n), if_null);
}

int32
spi_row_int4(const SpiRow *row, int n, int32 if_null)
{
	return int4_value(ROW_COL(row, n), if_null);
}

Oid
spi_row_oid(const SpiRow *row, int n)
{
	return oid_value(ROW_COL(row, n));
}

TimestampTz
spi_row_timestamptz(const SpiRow *row, int n)
{
	return timestamptz_value(ROW_COL(row, n));
}

List	   *
spi_col_int8_append(List *list, HeapTuple tup, TupleDesc desc, int n, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int64	   *v = palloc(sizeof(int64));

	*v = spi_col_int8(tup, desc, n, 0);
	list = lappend(list, v);
	MemoryContextSwitchTo(old);
	return list;
}
