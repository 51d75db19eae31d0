/*-------------------------------------------------------------------------
 *
 * guc.c
 *	  Every configuration parameter of the extension is defined here, and
 *	  the "xphere." prefix is reserved so that a misspelt setting is an
 *	  error instead of a silently ignored placeholder.
 *
 *	  xphere.clock (superuser)  fixes xphere.now(), so tests and replays
 *	                            can run a year in a second, exactly.
 *	  xphere.user_id (superuser, or GRANT SET ON PARAMETER)
 *	                            the platform user a session acts for; set,
 *	                            it confines the session to that user's rows
 *	                            and actions.  Unset, only a trusted role
 *	                            acts for anyone (trust.c).
 *	  xphere.untrusted_lease (superuser)
 *	                            how long an untrusted session's transaction
 *	                            may hold what its calls locked (trust.c).
 *	  xphere.worker_enabled, xphere.tick_interval, xphere.databases
 *	                (sighup)    the background worker (worker.c).
 *	  xphere.auto_liquidate (superuser)
 *	                            whether tick() liquidates unhealthy
 *	                            positions itself, with the house as the
 *	                            liquidator.
 *
 * Both are validated when set: the clock must be a finite timestamp with
 * time zone, the user id a uuid, so a typo fails at SET time and never
 * later inside a money movement.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/guc.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "guc.h"

bool		xphere_clock_is_set = false;
TimestampTz xphere_clock_value = 0;
char	   *xphere_user_id = NULL;
bool		xphere_worker_enabled = true;
int			xphere_tick_interval = 10;
char	   *xphere_databases = NULL;
bool		xphere_auto_liquidate = false;
int			xphere_untrusted_lease = 250;

static char *xphere_clock_text = NULL;

/* parse a timestamptz without raising an error (PostgreSQL 15 has no soft errors) */
static bool
parse_timestamptz(const char *str, TimestampTz *result)
{
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype;
	struct pg_tm tt;
	fsec_t		fsec;
	int			tz;

	if (strlen(str) >= MAXDATELEN)
		return false;
	if (ParseDateTime(str, workbuf, sizeof(workbuf), field, ftype,
					  MAXDATEFIELDS, &nf) != 0)
		return false;
	if (DecodeDateTime(field, ftype, nf, &dtype, &tt, &fsec, &tz) != 0)
		return false;
	if (dtype != DTK_DATE)
		return false;			/* "now", "infinity", "epoch" ... */
	if (tm2timestamp(&tt, fsec, &tz, result) != 0)
		return false;
	return IS_VALID_TIMESTAMP(*result);
}

static bool
check_clock(char **newval, void **extra, GucSource source pg_attribute_unused())
{
	TimestampTz *ts;

	if (*newval == NULL || (*newval)[0] == '\0')
	{
		*extra = NULL;
		return true;
	}
	ts = (TimestampTz *) malloc(sizeof(TimestampTz));
	if (ts == NULL)
		return false;
	if (!parse_timestamptz(*newval, ts))
	{
		free(ts);
		GUC_check_errdetail("xphere.clock must be a finite timestamp with time zone, or empty.");
		return false;
	}
	*extra = ts;
	return true;
}

static void
assign_clock(const char *newval pg_attribute_unused(), void *extra)
{
	xphere_clock_is_set = (extra != NULL);
	xphere_clock_value = extra ? *(TimestampTz *) extra : 0;
}

static bool
check_user_id(char **newval, void **extra pg_attribute_unused(),
			  GucSource source pg_attribute_unused())
{
	const char *s = *newval;
	int			digits = 0;

	if (s == NULL || s[0] == '\0')
		return true;
	/* the canonical 8-4-4-4-12 form, any case */
	for (int i = 0; s[i] != '\0'; i++)
	{
		bool		dash = (i == 8 || i == 13 || i == 18 || i == 23);

		if (dash ? s[i] != '-' : !isxdigit((unsigned char) s[i]))
		{
			GUC_check_errdetail("xphere.user_id must be a uuid, or empty.");
			return false;
		}
		digits += !dash;
	}
	if (strlen(s) != 36 || digits != 32)
	{
		GUC_check_errdetail("xphere.user_id must be a uuid, or empty.");
		return false;
	}
	return true;
}

void
XphereDefineGucs(void)
{
	DefineCustomStringVariable("xphere.clock",
							   "Fixes the time seen by xphere.now().",
							   "Empty means the start time of the current transaction. "
							   "Only superusers can set it; tests use it to run time forward exactly.",
							   &xphere_clock_text,
							   "",
							   PGC_SUSET,
							   0,
							   check_clock, assign_clock, NULL);

	DefineCustomStringVariable("xphere.user_id",
							   "The platform user this session acts for.",
							   "When set, row-level security shows only this user's rows and "
							   "acting for any other user is refused. Empty means no user, except "
							   "for a trusted role (superuser, extension owner, member of xphere_backend), "
							   "which then acts for anyone. Superuser-only unless granted "
							   "(GRANT SET ON PARAMETER), so that a login role pinned to one user cannot switch.",
							   &xphere_user_id,
							   "",
							   PGC_SUSET,
							   0,
							   check_user_id, NULL, NULL);

	DefineCustomBoolVariable("xphere.worker_enabled",
							 "Runs xphere.tick() in the background.",
							 "Needs xphere in shared_preload_libraries.",
							 &xphere_worker_enabled,
							 true,
							 PGC_SIGHUP,
							 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("xphere.tick_interval",
							"Time between two runs of xphere.tick() by the background worker.",
							NULL,
							&xphere_tick_interval,
							10, 1, 86400,
							PGC_SIGHUP,
							GUC_UNIT_S,
							NULL, NULL, NULL);

	DefineCustomStringVariable("xphere.databases",
							   "Databases the background worker ticks, comma-separated.",
							   "Empty means every database that accepts connections and has the extension.",
							   &xphere_databases,
							   "",
							   PGC_SIGHUP,
							   GUC_LIST_INPUT,
							   NULL, NULL, NULL);

	DefineCustomBoolVariable("xphere.auto_liquidate",
							 "Lets xphere.tick() liquidate unhealthy positions itself.",
							 "The house account repays the debt and receives the collateral.",
							 &xphere_auto_liquidate,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);

	DefineCustomIntVariable("xphere.untrusted_lease",
							"Time a transaction of an untrusted session may hold rows after its first call.",
							"Lock waits count. Once it is spent the statement is cancelled, "
							"or the session is terminated if it is idle in its transaction.",
							&xphere_untrusted_lease,
							250, 10, 60000,
							PGC_SUSET,
							GUC_UNIT_MS,
							NULL, NULL, NULL);

	MarkGUCPrefixReserved("xphere");
}
