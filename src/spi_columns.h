/*
 * spi_columns.h — typed column values of an SPI result row.
 *
 * n is 1-based, as in SPI_getbinval. Values are copied into the current
 * memory context, so they outlive SPI_finish when the caller switched to
 * its own context first. A NULL reads as the stated default.
 */
#ifndef BOOKING_SPI_COLUMNS_H
#define BOOKING_SPI_COLUMNS_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"
#include "executor/tuptable.h"
#include "datatype/timestamp.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

/* Any type as its output text; NULL for NULL. */
char	   *spi_col_text(HeapTuple tup, TupleDesc desc, int n);

/* A copy of the jsonb; NULL for NULL. */
Jsonb	   *spi_col_jsonb(HeapTuple tup, TupleDesc desc, int n);
int64		spi_col_int8(HeapTuple tup, TupleDesc desc, int n, int64 if_null);
int32		spi_col_int4(HeapTuple tup, TupleDesc desc, int n, int32 if_null);

/* InvalidOid for NULL. */
Oid			spi_col_oid(HeapTuple tup, TupleDesc desc, int n);

/* NULL reads as false */
bool		spi_col_bool(HeapTuple tup, TupleDesc desc, int n);

/* 0 (no time) for NULL. */
TimestampTz spi_col_timestamptz(HeapTuple tup, TupleDesc desc, int n);

/*
 * A row taken apart once (heap_deform_tuple), for reading many of its
 * columns: SPI_getbinval walks the tuple from its start to column n
 * whenever a NULL or a variable-length column comes before it, so reading a
 * wide row a column at a time costs the square of its width. Its arrays are
 * palloc'd in the current memory context; the values point into the tuple.
 */
typedef struct SpiRow
{
	TupleDesc	desc;
	Datum	   *values;
	bool	   *nulls;
} SpiRow;

void		spi_row_init(SpiRow *row, HeapTuple tup, TupleDesc desc);
void		spi_row_free(SpiRow *row);

/*
 * The row a slot holds, its arrays the slot's own (valid while it holds the
 * row; not for spi_row_free): for a DestReceiver reading an executor's rows.
 */
void		spi_row_of_slot(SpiRow *row, TupleTableSlot *slot);

/* as the spi_col_ functions of the same type */
char	   *spi_row_text(const SpiRow *row, int n);
Jsonb	   *spi_row_jsonb(const SpiRow *row, int n);
int64		spi_row_int8(const SpiRow *row, int n, int64 if_null);
int32		spi_row_int4(const SpiRow *row, int n, int32 if_null);
Oid			spi_row_oid(const SpiRow *row, int n);
TimestampTz spi_row_timestamptz(const SpiRow *row, int n);

/* list with column n (a bigint, not NULL) appended as an int64 * allocated in cxt. */
List	   *spi_col_int8_append(List *list, HeapTuple tup, TupleDesc desc, int n, MemoryContext cxt);

#endif
