/*
 * compare_op.h — the six comparison operators, shared by JSONPath filters
 * (path.c) and DynamoDB conditions (ddb_expr_condition.c). Each side spells
 * them its own way and decides how two values order; what an order means
 * for an operator is the same.
 */
#ifndef ASL_COMPARE_OP_H
#define ASL_COMPARE_OP_H

#include <stdbool.h>

typedef enum cmp_op
{
	CMP_EQ,
	CMP_NE,
	CMP_LT,
	CMP_LE,
	CMP_GT,
	CMP_GE
} cmp_op;

/* Whether op holds between two values whose order is negative, zero or positive. */
static inline bool
cmp_op_holds(cmp_op op, int order)
{
	switch (op)
	{
		case CMP_EQ:
			return order == 0;
		case CMP_NE:
			return order != 0;
		case CMP_LT:
			return order < 0;
		case CMP_LE:
			return order <= 0;
		case CMP_GT:
			return order > 0;
		case CMP_GE:
			return order >= 0;
	}
	return false;
}

#endif
