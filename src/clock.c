/*-------------------------------------------------------------------------
 *
 * clock.c
 *	  xphere.now() and xphere.current_user_id(): the time and the acting
 *	  user every function of the extension reads.
 *
 * xphere.now() is the start of the current transaction, like now(), unless
 * a superuser fixed xphere.clock.  Being a C function, calling it loads the
 * module, which turns any xphere.clock placeholder set by an ordinary user
 * before the load into an error instead of a forged clock.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "guc.h"

PG_FUNCTION_INFO_V1(xphere_now);
Datum
xphere_now(PG_FUNCTION_ARGS)
{
	if (xphere_clock_is_set)
		PG_RETURN_TIMESTAMPTZ(xphere_clock_value);
	PG_RETURN_TIMESTAMPTZ(GetCurrentTransactionStartTimestamp());
}

/* the uuid in xphere.user_id, or NULL when the session acts for no one */
PG_FUNCTION_INFO_V1(xphere_current_user_id);
Datum
xphere_current_user_id(PG_FUNCTION_ARGS)
{
	if (xphere_user_id == NULL || xphere_user_id[0] == '\0')
		PG_RETURN_NULL();
	return DirectFunctionCall1(uuid_in, CStringGetDatum(xphere_user_id));
}
