/*
 * jn_fn_format.c — number pictures and dates: $formatNumber, $formatBase,
 * $formatInteger, $parseInteger, $now, $millis, $fromMillis, $toMillis.
 */
#include "jsonata/jn_fn.h"

jn_builtin	jn_fn_format[] = {
	{.name = NULL}
};
