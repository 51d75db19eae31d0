/*-------------------------------------------------------------------------
 *
 * secrets.c
 *	  Keeping passwords and refresh tokens out of the server log.
 *
 * register_user() and authenticate() take a password, rotate_refresh_token()
 * a token.  When one of their calls fails, PostgreSQL would write the
 * failing statement to the server log ("STATEMENT: select
 * xphere.authenticate('bob@example.com', 'bob-passwrd')", at the default
 * log_min_error_statement = error), and, for a call through the extended
 * protocol, its bound parameters in the CONTEXT of the report when the
 * client sets log_parameter_max_length_on_error (a setting any user may
 * change).  Both would put the secret in the log.
 *
 * Design: each of those SQL functions calls xphere_internal.hide_secrets_from_log()
 * first thing.  It marks
 *   - the current transaction, until it commits, aborts or is prepared
 *     (an XactCallback clears the mark), and
 *   - the current query string (debug_query_string: its address, length
 *     and hash), so that a report about the same text after the
 *     transaction ended (a later statement of the same simple-protocol
 *     message, after a COMMIT inside it) is covered too.
 * An emit_log_hook then sets hide_stmt and hide_ctx on every report made
 * while the mark holds: the server log gets the message, detail and hint,
 * but neither the statement nor its context; what the client receives is
 * unchanged.  The messages of the extension never contain a password or a
 * token themselves.
 *
 * The marking function is written in C on purpose: calling it loads the
 * library, and _PG_init installs the hook, so the hook is in place before
 * the first error even when the library is not preloaded.  The hook chains
 * to any hook installed before it.
 *
 * A wrapper function marked PARALLEL SAFE can run these functions in a
 * parallel worker; the mark is then the worker's, and the worker adds a
 * known line to the context of its report, by which the leader, which
 * re-raises the error and logs its own statement, hides that too.  (A
 * user can add that line to a report of their own: that only hides their
 * own statement.)
 *
 * What it cannot cover: a statement logged before the function runs.
 * log_statement (all) and log_min_duration_statement log statement text
 * and parameters for their own reasons; they are superuser settings, and
 * must stay off (or the log filtered) on a server that handles passwords.
 * A statement that fails before reaching the function (a syntax error, a
 * wrong argument list) is logged as PostgreSQL always does; clients should
 * send secrets as bound parameters.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <limits.h>

#include "access/parallel.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "tcop/tcopprot.h"
#include "utils/elog.h"

#include "secrets.h"

static emit_log_hook_type prev_emit_log_hook = NULL;

/* the context line a parallel worker adds to a report about a secret */
#define SECRET_CONTEXT "xphere: statement hidden from the server log (it carried a password or token)"


/* a function that handles a secret ran in the current transaction */
static bool secret_in_xact = false;

/* the query string it ran in: address, length and hash of its text */
static const char *secret_query = NULL;
static size_t secret_query_len = 0;
static uint32 secret_query_hash = 0;

static uint32
query_hash(const char *query, size_t len)
{
	return hash_bytes((const unsigned char *) query, (int) Min(len, (size_t) INT_MAX));
}

/* whether the statement being reported is the one a secret came in */
static bool
secret_query_is_current(void)
{
	size_t		len;

	if (secret_query == NULL || debug_query_string == NULL ||
		debug_query_string != secret_query)
		return false;
	len = strlen(debug_query_string);
	return len == secret_query_len &&
		query_hash(debug_query_string, len) == secret_query_hash;
}

static void
xphere_emit_log(ErrorData *edata)
{
	if (secret_in_xact || secret_query_is_current())
	{
		edata->hide_stmt = true;
		edata->hide_ctx = true;
		/*
		 * In a parallel worker (a wrapper function marked PARALLEL SAFE
		 * can run these functions there) the mark is the worker's, while
		 * the leader re-raises the error and logs its own statement: tell
		 * it through the context line, which travels with the error.
		 */
		if (IsParallelWorker() &&
			(edata->context == NULL || strstr(edata->context, SECRET_CONTEXT) == NULL))
			edata->context = edata->context
				? psprintf("%s\n%s", edata->context, SECRET_CONTEXT)
				: pstrdup(SECRET_CONTEXT);
	}
	else if (edata->context != NULL && strstr(edata->context, SECRET_CONTEXT) != NULL)
	{
		/* a worker's report about a secret, re-raised here */
		edata->hide_stmt = true;
		edata->hide_ctx = true;
	}
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
}

static void
xphere_secrets_xact_callback(XactEvent event, void *arg)
{
	(void) arg;
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			secret_in_xact = false;
			break;
		default:
			break;
	}
}

/*
 * xphere_internal.hide_secrets_from_log(): from now until the end of the
 * transaction, and for the current query string, reports reach the server
 * log without statement or context.
 */
PG_FUNCTION_INFO_V1(xphere_hide_secrets_from_log);
Datum
xphere_hide_secrets_from_log(PG_FUNCTION_ARGS)
{
	secret_in_xact = true;
	if (debug_query_string != NULL)
	{
		secret_query = debug_query_string;
		secret_query_len = strlen(debug_query_string);
		secret_query_hash = query_hash(debug_query_string, secret_query_len);
	}
	PG_RETURN_VOID();
}

void
XphereSecretsInit(void)
{
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = xphere_emit_log;
	RegisterXactCallback(xphere_secrets_xact_callback, NULL);
}
