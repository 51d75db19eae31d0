/*-------------------------------------------------------------------------
 *
 * trust.c
 *	  Who a session may act for, and how long an untrusted session may keep
 *	  what it locked.
 *
 * Trust is held by the role, never by the absence of a setting.  The role
 * in effect outside any function (GetOuterUserId(): the login role, or
 * the role of SET ROLE, but not the owner a SECURITY DEFINER function
 * switches to) is TRUSTED when it is a superuser, the owner of the
 * extension, or a member of the NOLOGIN role xphere_backend (which
 * xphere_admin is a member of).  Then:
 *
 *	  xphere.user_id set	the session acts for that user only, trusted
 *							or not (a trusted backend may confine itself,
 *							e.g. with SET LOCAL per request);
 *	  unset, trusted		the session acts for any user;
 *	  unset, untrusted		the session acts for nobody: every user-scoped
 *							call is 42501 and row-level security shows it
 *							no user's rows.
 *
 * So a per-user login role that loses its pin (a connection option that
 * the server drops with a WARNING when the library is not preloaded,
 * RESET, ...) falls to "nobody", never to "anybody".  xphere.user_id itself
 * is superuser-only unless granted (GRANT SET ON PARAMETER), so an
 * untrusted role cannot name another user.
 *
 * The lease.  A user's call briefly locks shared rows: the house accounts
 * (swap, purchase), the lending pool row (supply, borrow, ...), the
 * staking tier.  A client that then keeps its transaction open, or sleeps
 * inside the same statement, would make tick(), set_price() and every
 * other user wait.  A trusted backend is ours to write correctly; an
 * untrusted session (its login role and its current role both untrusted)
 * is not, so its first user-scoped call in a transaction (in
 * xphere_internal.authorize_acting()) arms a lease of xphere.untrusted_lease
 * milliseconds on that transaction.  A timer checks the lease every
 * LEASE_CHECK_MS while the transaction lasts:
 *   - while the transaction has no transaction id it has locked and
 *     written nothing, so it holds nothing shared, and the lease does not
 *     run down (a first call waiting for its first row lock included: the
 *     id is assigned once the lock is taken);
 *   - otherwise the lease runs down, waiting for a lock included: a
 *     transaction that holds the house accounts and then waits for a lock
 *     the same client holds elsewhere (an advisory lock, a row of another
 *     session of its own) holds up everybody behind it for as long as it
 *     waits.  So a call that, already holding rows, waits longer than
 *     the lease for a row that tick() or a slow client holds fails too
 *     (57014), and is retried;
 *   - once the lease is spent, the statement in
 *     progress is cancelled (57014; the abort releases every lock), and
 *     if the transaction is still alive one check later, the session is
 *     idle in its transaction (a cancel is ignored between statements)
 *     and is terminated (57P01), as idle_in_transaction_session_timeout
 *     would, which the client can switch off and this cannot.
 * The lease is the whole transaction's budget, not reset by later calls,
 * so a loop of calls with pauses between them cannot hold a row forever.
 * The timer is disarmed at the end of the transaction.  Such a transaction
 * cannot be prepared for two-phase commit (42501): a prepared transaction
 * keeps its locks with no session left to cancel.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/timeout.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "guc.h"
#include "trust.h"

/* how often the lease is checked while it is armed */
#define LEASE_CHECK_MS 25

/* the trust decision, cached for one (role, transaction) */
static Oid	cached_role = InvalidOid;
static LocalTransactionId cached_lxid = InvalidLocalTransactionId;
static bool cached_trusted = false;

/*
 * The lease.  lease_armed, lease_left_ms and lease_cancelled are read or
 * written by the timer handler (a signal handler), hence volatile
 * sig_atomic_t.
 */
static TimeoutId lease_timeout_id = MAX_TIMEOUTS;
static volatile sig_atomic_t lease_armed = false;
static bool xact_callback_registered = false;
static volatile sig_atomic_t lease_left_ms = 0;
static volatile sig_atomic_t lease_cancelled = false;

/* the owner of extension xphere, InvalidOid if it is not installed */
static Oid
extension_owner(void)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	Oid			owner = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber,
				F_NAMEEQ, CStringGetDatum("xphere"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
		owner = ((Form_pg_extension) GETSTRUCT(tuple))->extowner;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return owner;
}

/* superuser, owner of the extension, or member of xphere_backend */
static bool
role_trusted(Oid role)
{
	Oid			backend = get_role_oid("xphere_backend", true);

	return superuser_arg(role) ||
		role == extension_owner() ||
		(OidIsValid(backend) && is_member_of_role(role, backend));
}

bool
XphereSessionTrusted(void)
{
	Oid			role = GetOuterUserId();
	LocalTransactionId lxid = MyProc->lxid;

	if (role != cached_role || lxid != cached_lxid)
	{
		cached_trusted = role_trusted(role);
		cached_role = role;
		cached_lxid = lxid;
	}
	return cached_trusted;
}

/* the user named by xphere.user_id, false when it is unset */
static bool
pinned_user(pg_uuid_t *user)
{
	Datum		d;

	if (xphere_user_id == NULL || xphere_user_id[0] == '\0')
		return false;
	d = DirectFunctionCall1(uuid_in, CStringGetDatum(xphere_user_id));
	memcpy(user, DatumGetUUIDP(d), sizeof(pg_uuid_t));
	return true;
}

/* ---------------------------------------------------------------------------
 * the lease
 */

static void
lease_check(void)
{
	if (!lease_armed)
		return;
	/* holding nothing: the lease does not run down */
	if (!TransactionIdIsValid(GetTopTransactionIdIfAny()))
		return;
	if (lease_left_ms > 0)
	{
		lease_left_ms -= LEASE_CHECK_MS;
		if (lease_left_ms > 0)
			return;
	}
	if (!lease_cancelled)
	{
		lease_cancelled = true;
		QueryCancelPending = true;
	}
	else
		ProcDiePending = true;	/* the cancel found no statement to end */
	InterruptPending = true;
	SetLatch(MyLatch);
}

static void
lease_disarm(void)
{
	if (lease_armed)
	{
		disable_timeout(lease_timeout_id, false);
		lease_armed = false;
	}
}

static void
lease_xact_callback(XactEvent event, void *arg pg_attribute_unused())
{
	switch (event)
	{
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
			if (lease_armed && lease_cancelled)
				ereport(WARNING,
						(errcode(ERRCODE_QUERY_CANCELED),
						 errmsg("transaction cancelled: it held rows of the platform longer than xphere.untrusted_lease allows (%d ms)",
								xphere_untrusted_lease),
						 errdetail("Role \"%s\" is not trusted to act for every user, so its transactions may not keep locks past their calls.",
								   GetUserNameFromId(GetOuterUserId(), true))));
			lease_disarm();
			break;
		case XACT_EVENT_PRE_PREPARE:
			/* a prepared transaction would keep its locks past any lease */
			if (lease_armed)
				ereport(ERROR,
						(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
						 errmsg("cannot prepare a transaction that acted for a platform user in an untrusted session"),
						 errdetail("Role \"%s\" is not trusted to act for every user, so its transactions may not keep locks past their calls.",
								   GetUserNameFromId(GetOuterUserId(), true))));
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_PREPARE:
			lease_disarm();
			break;
		default:
			break;
	}
}

/* arm the lease for the current transaction, once */
static void
lease_arm(void)
{
	if (lease_armed)
		return;
	if (lease_timeout_id == MAX_TIMEOUTS)
		lease_timeout_id = RegisterTimeout(USER_TIMEOUT, lease_check);
	if (!xact_callback_registered)
	{
		RegisterXactCallback(lease_xact_callback, NULL);
		xact_callback_registered = true;
	}
	lease_left_ms = xphere_untrusted_lease;
	lease_cancelled = false;
	lease_armed = true;
	enable_timeout_every(lease_timeout_id,
						 TimestampTzPlusMilliseconds(GetCurrentTimestamp(), LEASE_CHECK_MS),
						 LEASE_CHECK_MS);
}

/* ---------------------------------------------------------------------------
 * SQL-callable
 */

/*
 * xphere_internal.authorize_acting(user_id uuid): returns nothing, or 42501 when the
 * session may not act for the user (see the header).  An untrusted session
 * that may act arms its lease.
 */
PG_FUNCTION_INFO_V1(xphere_authorize_acting);
Datum
xphere_authorize_acting(PG_FUNCTION_ARGS)
{
	pg_uuid_t  *target = PG_ARGISNULL(0) ? NULL : PG_GETARG_UUID_P(0);
	pg_uuid_t	pinned;
	bool		trusted = XphereSessionTrusted();

	if (pinned_user(&pinned))
	{
		if (target == NULL || memcmp(&pinned, target, sizeof(pg_uuid_t)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("permission denied to act for user %s",
							target ? DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(target))) : "NULL"),
					 errdetail("This session acts for user %s (xphere.user_id).",
							   xphere_user_id)));
	}
	else if (!trusted)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to act for user %s",
						target ? DatumGetCString(DirectFunctionCall1(uuid_out, UUIDPGetDatum(target))) : "NULL"),
				 errdetail("This session acts for no user: xphere.user_id is not set, and role \"%s\" is not trusted to act for every user.",
						   GetUserNameFromId(GetOuterUserId(), true)),
				 errhint("Pin a per-user role to its user with ALTER ROLE ... SET xphere.user_id, or make a backend role a member of xphere_backend.")));
	/*
	 * The lease is for untrusted clients.  A session that logged in as a
	 * trusted role and SET ROLE to an untrusted one (a backend serving
	 * users through their roles, a test harness) runs code of its own
	 * that is trusted to end its transactions; the role in effect still
	 * decides whom it may act for, above.
	 */
	if (!trusted && !lease_armed && !role_trusted(GetSessionUserId()))
		lease_arm();
	PG_RETURN_VOID();
}

/*
 * xphere.sees_all_users() → boolean: whether the session sees every user's
 * rows (row-level security, lists of positions): true for an unpinned
 * trusted session.  A pinned session sees its user's rows, through
 * user_id = xphere.current_user_id(), which an index can serve.
 */
PG_FUNCTION_INFO_V1(xphere_sees_all_users);
Datum
xphere_sees_all_users(PG_FUNCTION_ARGS)
{
	pg_uuid_t	pinned;

	PG_RETURN_BOOL(!pinned_user(&pinned) && XphereSessionTrusted());
}

/* xphere.session_is_trusted() → boolean: see the header */
PG_FUNCTION_INFO_V1(xphere_session_is_trusted);
Datum
xphere_session_is_trusted(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(XphereSessionTrusted());
}

/*
 * xphere_internal.session_is_owner() → boolean: whether the role in effect outside
 * any function is a superuser or the extension's owner (set_user_role()
 * needs it; membership in xphere_admin is not enough).
 */
PG_FUNCTION_INFO_V1(xphere_session_is_owner);
Datum
xphere_session_is_owner(PG_FUNCTION_ARGS)
{
	Oid			role = GetOuterUserId();

	PG_RETURN_BOOL(superuser_arg(role) || role == extension_owner());
}
