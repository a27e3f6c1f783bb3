/*
 * booking.c — module entry point and settings.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "booking.h"

PG_MODULE_MAGIC;

char	   *booking_region = NULL;
char	   *booking_account_id = NULL;
int			booking_machine_cache_size = 256;
int			booking_max_payload_size = 262144;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomStringVariable("booking.region",
							   "Region part of the ARNs booking issues.",
							   "ARNs have AWS's form arn:aws:states:REGION:ACCOUNT:...; "
							   "changing it affects new state machines and executions only.",
							   &booking_region,
							   "local",
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("booking.account_id",
							   "Account part of the ARNs booking issues.",
							   NULL,
							   &booking_account_id,
							   "000000000000",
							   PGC_SUSET, 0,
							   NULL, NULL, NULL);
	DefineCustomIntVariable("booking.machine_cache_size",
							"Compiled state machine versions kept per backend.",
							"Definitions are parsed once per backend and version; past this many, "
							"the least recently used is dropped.",
							&booking_machine_cache_size,
							256, 1, 100000,
							PGC_USERSET, 0,
							NULL, NULL, NULL);
	DefineCustomIntVariable("booking.max_payload_size",
							"Largest state input or output, in bytes of JSON text.",
							"AWS's quota is 256 KiB; past it a state fails with States.DataLimitExceeded.",
							&booking_max_payload_size,
							262144, 1024, 64 * 1024 * 1024,
							PGC_SUSET, GUC_UNIT_BYTE,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("booking");
}
