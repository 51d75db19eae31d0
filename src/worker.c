/*-------------------------------------------------------------------------
 *
 * worker.c
 *	  The background worker that runs xphere.tick() periodically.
 *
 * Design
 * ------
 * A launcher (one static worker, registered when the library is in
 * shared_preload_libraries) wakes up every xphere.tick_interval.  It
 * connects to no database, lists the databases from the shared catalog
 * pg_database (those named in xphere.databases, or every database that
 * accepts connections), and for each starts a short-lived dynamic worker,
 * waiting for it to finish before starting the next.  That worker
 * connects, runs "SELECT xphere.tick()" in one transaction if the
 * extension is installed there, records the outcome in shared memory and
 * exits.  A database whose extension is at another version than this
 * library (installed before the library was, and not yet updated with
 * ALTER EXTENSION xphere UPDATE) is skipped: worker_status says so, and
 * the server log once per database and version.
 *
 * Why a worker per database and per tick: a background worker can only
 * ever connect to one database, and one that stayed connected would make
 * DROP DATABASE fail; a tick lasts milliseconds, and DROP DATABASE waits
 * a few seconds for other sessions to leave.  Databases without the
 * extension cost one connection per interval and nothing else.
 *
 * Failure handling: an error in a tick is logged, recorded as the last
 * error and retried at the next interval (the dynamic workers are never
 * restarted by the postmaster).  The launcher restarts after a crash with
 * a delay of one minute, never in a loop.  It starts only once recovery
 * has finished, so a standby runs nothing.  SIGHUP rereads the settings;
 * SIGTERM stops it at once.  Each tick is one transaction, so a crash or
 * an immediate shutdown loses at most the tick in progress, and tick()
 * itself never repeats work that committed.
 *
 * Shared memory holds the launcher's pid and one status slot per
 * database, shown by the view xphere.worker_status.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "lib/stringinfo.h"
#include "tcop/tcopprot.h"
#include "commands/dbcommands.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "guc.h"
#include "worker.h"

#define XPHERE_MAX_DATABASES	64
#define XPHERE_TEXT_LEN			1024

typedef struct XphereDbStatus
{
	Oid			dboid;
	char		dbname[NAMEDATALEN];
	bool		has_extension;
	bool		last_ok;
	TimestampTz last_start;
	TimestampTz last_end;
	int64		runs;
	int64		failures;
	char		last_result[XPHERE_TEXT_LEN];
	char		last_error[XPHERE_TEXT_LEN];
	char		skipped_version[NAMEDATALEN];	/* extversion last reported as
												 * not the library's, or "" */
} XphereDbStatus;

typedef struct XphereShared
{
	LWLock	   *lock;
	pid_t		launcher_pid;
	TimestampTz launcher_started;
	int			ndbs;
	XphereDbStatus dbs[XPHERE_MAX_DATABASES];
} XphereShared;

static XphereShared *xphere_shared = NULL;
static char tick_dbname[NAMEDATALEN];
static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

PGDLLEXPORT void XphereLauncherMain(Datum main_arg);
PGDLLEXPORT void XphereTickMain(Datum main_arg);

/* ----------------------------------------------------------------
 * shared memory
 * ---------------------------------------------------------------- */

static void
xphere_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(XphereShared)));
	RequestNamedLWLockTranche("xphere", 1);
}

static void
xphere_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	xphere_shared = ShmemInitStruct("xphere", sizeof(XphereShared), &found);
	if (!found)
	{
		memset(xphere_shared, 0, sizeof(XphereShared));
		xphere_shared->lock = &(GetNamedLWLockTranche("xphere"))->lock;
	}
	LWLockRelease(AddinShmemInitLock);
}

/* the status slot of a database, created if missing; caller holds the lock */
static XphereDbStatus *
status_slot(Oid dboid, const char *dbname)
{
	XphereShared *s = xphere_shared;

	for (int i = 0; i < s->ndbs; i++)
		if (s->dbs[i].dboid == dboid)
			return &s->dbs[i];
	if (s->ndbs >= XPHERE_MAX_DATABASES)
		return NULL;
	memset(&s->dbs[s->ndbs], 0, sizeof(XphereDbStatus));
	s->dbs[s->ndbs].dboid = dboid;
	strlcpy(s->dbs[s->ndbs].dbname, dbname, NAMEDATALEN);
	return &s->dbs[s->ndbs++];
}

/* ----------------------------------------------------------------
 * registration
 * ---------------------------------------------------------------- */

void
XphereWorkerInit(void)
{
	BackgroundWorker worker;

	if (!process_shared_preload_libraries_in_progress)
		return;

	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = xphere_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = xphere_shmem_startup;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 60;
	strlcpy(worker.bgw_library_name, "xphere", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "XphereLauncherMain", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "xphere launcher", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "xphere launcher", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

/* ----------------------------------------------------------------
 * launcher
 * ---------------------------------------------------------------- */

typedef struct TargetDb
{
	Oid			oid;
	char		name[NAMEDATALEN];
} TargetDb;

/*
 * Warnings about xphere.databases: a name that is no database (or one that
 * does not accept connections), or a database without the extension, is
 * reported once per name and value of the setting, not at every cycle.
 * The launcher keeps what it said, and forgets it when the setting changes.
 */
static char *warned_setting = NULL;
static List *warned = NIL;		/* "kind:name" strings, in TopMemoryContext */

/* whether to warn about KIND for database NAME now (false if already said) */
static bool
warn_once(const char *kind, const char *name)
{
	MemoryContext old;
	char	   *key = psprintf("%s:%s", kind, name);
	ListCell   *lc;

	if (warned_setting == NULL || strcmp(warned_setting, xphere_databases ? xphere_databases : "") != 0)
	{
		list_free_deep(warned);
		warned = NIL;
		if (warned_setting)
			pfree(warned_setting);
		warned_setting = MemoryContextStrdup(TopMemoryContext,
											 xphere_databases ? xphere_databases : "");
	}
	foreach(lc, warned)
		if (strcmp((char *) lfirst(lc), key) == 0)
		{
			pfree(key);
			return false;
		}
	old = MemoryContextSwitchTo(TopMemoryContext);
	warned = lappend(warned, pstrdup(key));
	MemoryContextSwitchTo(old);
	pfree(key);
	return true;
}

/* whether xphere.databases names databases (rather than meaning all of them) */
static bool
databases_named(void)
{
	return xphere_databases != NULL && xphere_databases[0] != '\0';
}

/* databases to tick: those in xphere.databases, or all that accept connections */
static List *
target_databases(void)
{
	List	   *result = NIL;
	List	   *wanted = NIL;
	char	   *rawlist = NULL;
	MemoryContext caller = CurrentMemoryContext;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;
	ListCell   *lc;

	if (databases_named())
	{
		rawlist = pstrdup(xphere_databases);
		if (!SplitIdentifierString(rawlist, ',', &wanted))
		{
			ereport(LOG,
					(errmsg("xphere launcher: invalid list in xphere.databases: \"%s\"",
							xphere_databases)));
			return NIL;
		}
	}

	StartTransactionCommand();
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while (HeapTupleIsValid(tup = heap_getnext(scan, ForwardScanDirection)))
	{
		Form_pg_database db = (Form_pg_database) GETSTRUCT(tup);
		ListCell   *lc;
		bool		ok = (wanted == NIL);

		if (!db->datallowconn || db->datistemplate)
			continue;
		foreach(lc, wanted)
			if (strcmp((char *) lfirst(lc), NameStr(db->datname)) == 0)
				ok = true;
		if (ok)
		{
			MemoryContext old = MemoryContextSwitchTo(caller);
			TargetDb   *t = palloc(sizeof(TargetDb));

			t->oid = db->oid;
			strlcpy(t->name, NameStr(db->datname), NAMEDATALEN);
			result = lappend(result, t);
			MemoryContextSwitchTo(old);
		}
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	CommitTransactionCommand();

	foreach(lc, wanted)
	{
		const char *name = (const char *) lfirst(lc);
		ListCell   *lc2;
		bool		found = false;

		foreach(lc2, result)
			if (strcmp(((TargetDb *) lfirst(lc2))->name, name) == 0)
				found = true;
		if (!found && warn_once("missing", name))
			ereport(WARNING,
					(errmsg("xphere launcher: database \"%s\" named in xphere.databases does not exist or does not accept connections",
							name),
					 errhint("Correct xphere.databases; it is not ticked.")));
	}
	return result;
}

/* drop the status of databases no longer ticked (dropped, or left out) */
static void
forget_other_databases(List *dbs)
{
	int			kept = 0;

	LWLockAcquire(xphere_shared->lock, LW_EXCLUSIVE);
	for (int i = 0; i < xphere_shared->ndbs; i++)
	{
		ListCell   *lc;
		bool		found = false;

		foreach(lc, dbs)
			if (((TargetDb *) lfirst(lc))->oid == xphere_shared->dbs[i].dboid)
				found = true;
		if (found)
		{
			if (kept != i)
				xphere_shared->dbs[kept] = xphere_shared->dbs[i];
			kept++;
		}
	}
	xphere_shared->ndbs = kept;
	LWLockRelease(xphere_shared->lock);
}

/* run one tick in one database and wait for it; false if it did not run */
static bool
run_tick_worker(TargetDb *db)
{
	BackgroundWorker worker;
	BackgroundWorkerHandle *handle;
	pid_t		pid;

	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = BGW_NEVER_RESTART;
	strlcpy(worker.bgw_library_name, "xphere", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "XphereTickMain", BGW_MAXLEN);
	snprintf(worker.bgw_name, BGW_MAXLEN, "xphere tick %s", db->name);
	strlcpy(worker.bgw_type, "xphere tick", BGW_MAXLEN);
	worker.bgw_main_arg = ObjectIdGetDatum(db->oid);
	worker.bgw_notify_pid = MyProcPid;

	if (!RegisterDynamicBackgroundWorker(&worker, &handle))
	{
		ereport(LOG,
				(errmsg("xphere launcher: could not start a tick worker for database \"%s\"",
						db->name),
				 errhint("Raise max_worker_processes.")));
		return false;
	}
	if (WaitForBackgroundWorkerStartup(handle, &pid) != BGWH_STARTED)
		return false;
	(void) WaitForBackgroundWorkerShutdown(handle);
	return true;
}

/* after a tick worker ran: a database named in xphere.databases without the extension */
static void
check_has_extension(TargetDb *db)
{
	bool		missing = false;

	LWLockAcquire(xphere_shared->lock, LW_SHARED);
	for (int i = 0; i < xphere_shared->ndbs; i++)
		if (xphere_shared->dbs[i].dboid == db->oid)
			missing = !xphere_shared->dbs[i].has_extension;
	LWLockRelease(xphere_shared->lock);
	if (missing && warn_once("noext", db->name))
		ereport(WARNING,
				(errmsg("xphere launcher: database \"%s\" named in xphere.databases does not have the extension xphere",
						db->name),
				 errhint("Run CREATE EXTENSION xphere there, or remove it from xphere.databases.")));
}

void
XphereLauncherMain(Datum main_arg pg_attribute_unused())
{
	TimestampTz last_cycle = 0;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();

	/* shared catalogs only: the launcher belongs to no database */
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	pgstat_report_appname("xphere launcher");

	LWLockAcquire(xphere_shared->lock, LW_EXCLUSIVE);
	xphere_shared->launcher_pid = MyProcPid;
	xphere_shared->launcher_started = GetCurrentTimestamp();
	LWLockRelease(xphere_shared->lock);

	ereport(LOG, (errmsg("xphere launcher started")));

	/*
	 * Tick every tick_interval from the start of the previous cycle.  The
	 * latch is also set by things that are no reason to tick (PostgreSQL
	 * signals every process when a database is dropped, a reload sets it),
	 * so an early wake-up only waits again for the time left.
	 */
	for (;;)
	{
		TimestampTz now;
		long		wait_ms;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}

		now = GetCurrentTimestamp();
		if (last_cycle == 0 ||
			now >= TimestampTzPlusMilliseconds(last_cycle, xphere_tick_interval * 1000L))
		{
			last_cycle = now;
			if (xphere_worker_enabled)
			{
				List	   *dbs = target_databases();
				ListCell   *lc;

				forget_other_databases(dbs);
				foreach(lc, dbs)
				{
					CHECK_FOR_INTERRUPTS();
					if (run_tick_worker((TargetDb *) lfirst(lc)) && databases_named())
						check_has_extension((TargetDb *) lfirst(lc));
				}
				list_free_deep(dbs);
			}
			now = GetCurrentTimestamp();
		}

		wait_ms = TimestampDifferenceMilliseconds(now,
												  TimestampTzPlusMilliseconds(last_cycle,
																			  xphere_tick_interval * 1000L));
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 Max(wait_ms, 1), PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/* ----------------------------------------------------------------
 * one tick in one database
 * ---------------------------------------------------------------- */

static void
record_outcome(bool has_extension, bool ok, TimestampTz start, const char *result,
			   const char *error)
{
	XphereDbStatus *slot;

	LWLockAcquire(xphere_shared->lock, LW_EXCLUSIVE);
	slot = status_slot(MyDatabaseId, tick_dbname);
	if (slot != NULL)
	{
		slot->has_extension = has_extension;
		if (has_extension)
		{
			slot->last_start = start;
			slot->last_end = GetCurrentTimestamp();
			slot->last_ok = ok;
			slot->runs++;
			if (ok)
				strlcpy(slot->last_result, result ? result : "", XPHERE_TEXT_LEN);
			else
			{
				slot->failures++;
				strlcpy(slot->last_error, error ? error : "", XPHERE_TEXT_LEN);
			}
		}
	}
	LWLockRelease(xphere_shared->lock);
}

/*
 * A database whose extension is at another version than the library: the
 * tick is skipped, worker_status says why, and the server log says it once
 * per version (not at every tick).
 */
static void
report_outdated(TimestampTz start, const char *version)
{
	XphereDbStatus *slot;
	bool		first = true;
	StringInfoData msg;

	/* last_result is shown as jsonb, like tick()'s own result */
	initStringInfo(&msg);
	appendStringInfoString(&msg, "{\"skipped\": true, \"extversion\": ");
	escape_json(&msg, version);
	appendStringInfoString(&msg, ", \"library\": ");
	escape_json(&msg, XPHERE_VERSION);
	appendStringInfoString(&msg, ", \"hint\": \"run ALTER EXTENSION xphere UPDATE\"}");
	LWLockAcquire(xphere_shared->lock, LW_EXCLUSIVE);
	slot = status_slot(MyDatabaseId, tick_dbname);
	if (slot != NULL)
	{
		first = strcmp(slot->skipped_version, version) != 0;
		strlcpy(slot->skipped_version, version, NAMEDATALEN);
		slot->has_extension = true;
		slot->last_start = start;
		slot->last_end = GetCurrentTimestamp();
		slot->last_ok = true;
		strlcpy(slot->last_result, msg.data, XPHERE_TEXT_LEN);
	}
	LWLockRelease(xphere_shared->lock);
	if (first)
		ereport(LOG,
				(errmsg("xphere: not ticking database \"%s\": extension xphere is at version %s, the library at %s",
						tick_dbname, version, XPHERE_VERSION),
				 errhint("Run ALTER EXTENSION xphere UPDATE in that database.")));
}

/* the database's extension is at the library's version (again) */
static void
clear_outdated(void)
{
	XphereDbStatus *slot;

	LWLockAcquire(xphere_shared->lock, LW_EXCLUSIVE);
	slot = status_slot(MyDatabaseId, tick_dbname);
	if (slot != NULL)
		slot->skipped_version[0] = '\0';
	LWLockRelease(xphere_shared->lock);
}

/*
 * A failed tick rolled back its own tick_history row: record the failure
 * in a transaction of its own.  If that fails too (the database is being
 * dropped, say), the server log and worker_status still have the error.
 */
static void
record_failed_tick(TimestampTz start, const char *message)
{
	MemoryContext ctx = CurrentMemoryContext;

	PG_TRY();
	{
		Oid			argtypes[2] = {TIMESTAMPTZOID, TEXTOID};
		Datum		values[2];

		values[0] = TimestampTzGetDatum(start);
		values[1] = CStringGetTextDatum(message ? message : "unknown error");
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		SPI_connect();
		PushActiveSnapshot(GetTransactionSnapshot());
		SPI_execute_with_args("SELECT xphere_internal.record_failed_tick($1, $2)", 2, argtypes, values,
							  NULL, false, 1);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(ctx);
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
	}
	PG_END_TRY();
}

/* error context: which database a failed tick ran in */
static void
tick_error_context(void *arg)
{
	errcontext("xphere tick in database \"%s\"", (const char *) arg);
}

void
XphereTickMain(Datum main_arg)
{
	Oid			dboid = DatumGetObjectId(main_arg);
	TimestampTz start;
	volatile bool has_extension = false;
	char		outdated[NAMEDATALEN] = "";
	char	   *volatile result = NULL;
	MemoryContext ctx = CurrentMemoryContext;
	ErrorContextCallback errcallback;

	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(dboid, InvalidOid, 0);
	pgstat_report_appname("xphere tick");
	start = GetCurrentTimestamp();

	StartTransactionCommand();
	strlcpy(tick_dbname, get_database_name(MyDatabaseId), NAMEDATALEN);
	CommitTransactionCommand();

	errcallback.callback = tick_error_context;
	errcallback.arg = tick_dbname;
	errcallback.previous = error_context_stack;
	error_context_stack = &errcallback;

	PG_TRY();
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		SPI_connect();
		PushActiveSnapshot(GetTransactionSnapshot());
		pgstat_report_activity(STATE_RUNNING, "SELECT xphere.tick()");

		if (SPI_execute("SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'xphere'",
						true, 1) == SPI_OK_SELECT && SPI_processed == 1)
		{
			char	   *version = SPI_getvalue(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 1);

			has_extension = true;
			if (version == NULL || strcmp(version, XPHERE_VERSION) != 0)
			{
				/*
				 * The library is newer than the database's SQL: its tick()
				 * may call functions this library no longer provides the
				 * same way.  Nothing runs until the database is updated.
				 */
				strlcpy(outdated, version ? version : "?", NAMEDATALEN);
			}
			else if (SPI_execute("SELECT xphere.tick()::text", false, 1) == SPI_OK_SELECT &&
				SPI_processed == 1)
			{
				char	   *val = SPI_getvalue(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 1);

				result = MemoryContextStrdup(TopMemoryContext, val ? val : "");
			}
		}
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_activity(STATE_IDLE, NULL);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(ctx);
		edata = CopyErrorData();
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		record_outcome(true, false, start, NULL, edata->message);
		if (has_extension && outdated[0] == '\0')
			record_failed_tick(start, edata->message);
		proc_exit(1);
	}
	PG_END_TRY();

	if (outdated[0] != '\0')
	{
		report_outdated(start, outdated);
		proc_exit(0);
	}
	clear_outdated();
	record_outcome(has_extension, true, start, result, NULL);
	proc_exit(0);
}

/* ----------------------------------------------------------------
 * SQL: xphere.worker_status()
 * ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(xphere_worker_status);
Datum
xphere_worker_status(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	if (xphere_shared == NULL)
		PG_RETURN_VOID();		/* not in shared_preload_libraries */

	LWLockAcquire(xphere_shared->lock, LW_SHARED);
	for (int i = 0; i < xphere_shared->ndbs; i++)
	{
		XphereDbStatus *s = &xphere_shared->dbs[i];
		Datum		values[11];
		bool		nulls[11] = {false};

		if (!s->has_extension)
			continue;
		values[0] = CStringGetTextDatum(s->dbname);
		values[1] = Int32GetDatum(xphere_shared->launcher_pid);
		values[2] = BoolGetDatum(xphere_worker_enabled);
		values[3] = TimestampTzGetDatum(s->last_start);
		nulls[3] = (s->last_start == 0);
		values[4] = TimestampTzGetDatum(s->last_end);
		nulls[4] = (s->last_end == 0);
		values[5] = BoolGetDatum(s->last_ok);
		values[6] = CStringGetTextDatum(s->last_result);
		nulls[6] = (s->last_result[0] == '\0');
		values[7] = CStringGetTextDatum(s->last_error);
		nulls[7] = (s->last_error[0] == '\0');
		values[8] = Int64GetDatum(s->runs);
		values[9] = Int64GetDatum(s->failures);
		values[10] = TimestampTzGetDatum(xphere_shared->launcher_started);
		nulls[10] = (xphere_shared->launcher_started == 0);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	LWLockRelease(xphere_shared->lock);
	PG_RETURN_VOID();
}
