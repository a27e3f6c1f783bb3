/*
 * spi_columns.c — typed column values of an SPI result row. See spi_columns.h.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "spi_columns.h"

char	   *
spi_col_text(HeapTuple tup, TupleDesc desc, int n)
{
	bool		isnull;
	Datum		d;

	/*
	 * text as it is stored, without the type's output function (a catalog
	 * lookup and a call per column: a claimed row has ten)
	 */
	if (TupleDescAttr(desc, n - 1)->atttypid != TEXTOID)
		return SPI_getvalue(tup, desc, n);
	d = SPI_getbinval(tup, desc, n, &isnull);
	return isnull ? NULL : TextDatumGetCString(d);
}

Jsonb	   *
spi_col_jsonb(HeapTuple tup, TupleDesc desc, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, n, &isnull);

	return isnull ? NULL : DatumGetJsonbPCopy(d);
}

int64
spi_col_int8(HeapTuple tup, TupleDesc desc, int n, int64 if_null)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, n, &isnull);

	return isnull ? if_null : DatumGetInt64(d);
}

int32
spi_col_int4(HeapTuple tup, TupleDesc desc, int n, int32 if_null)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, n, &isnull);

	return isnull ? if_null : DatumGetInt32(d);
}

Oid
spi_col_oid(HeapTuple tup, TupleDesc desc, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, n, &isnull);

	return isnull ? InvalidOid : DatumGetObjectId(d);
}

bool
spi_col_bool(HeapTuple tup, TupleDesc desc, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, n, &isnull);

	return !isnull && DatumGetBool(d);
}

TimestampTz
spi_col_timestamptz(HeapTuple tup, TupleDesc desc, int n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, n, &isnull);

	return isnull ? 0 : DatumGetTimestampTz(d);
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
