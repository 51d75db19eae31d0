/*-------------------------------------------------------------------------
 *
 * liabilities.c
 *	  Proof of liabilities: the Merkle sum trees of a liability snapshot,
 *	  and a user's inclusion proof.
 *
 * doc/liabilities.md specifies the construction; in short:
 *
 *	salt      = SHA-256(secret || user_id)
 *	leaf      = SHA-256(0x00 || salt || user_id || currency(8) || amount(16))
 *	node      = SHA-256(0x01 || left hash || left sum || right hash || right sum)
 *	node sum  = left sum + right sum, always below 2^127
 *
 * with amounts and sums as 16-byte unsigned big-endian integers of wei,
 * leaves sorted by salt, and a level of odd length padded on the right
 * with the empty node (32 zero bytes, sum 0).
 *
 * A node is stored and hashed in one 48-byte form, its hash followed by
 * its sum, so an inner node hashes 0x01 followed by its two children's
 * stored bytes.  Levels are stored in chunks of NODES_PER_CHUNK nodes,
 * the sorted salts in chunks of SALTS_PER_CHUNK: small enough to stay in
 * the heap row (no TOAST), so a proof reads one short row per level.
 *
 * xphere_liability_build() reads every user's liabilities through one
 * cursor, that is one MVCC snapshot, and writes the salts and the trees;
 * xphere_liability_proof() answers a proof from them.  Both are internal:
 * the SQL functions of sql/install/platform/liabilities.sql check the caller and the
 * arguments first.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/uuid.h"

#include "fixed_type.h"
#include "kept_plan.h"

#define HASH_LEN			PG_SHA256_DIGEST_LENGTH		/* 32 */
#define SUM_LEN				16
#define NODE_LEN			(HASH_LEN + SUM_LEN)		/* 48 */
#define CURRENCY_LEN		8
#define LEAF_INPUT_LEN		(1 + HASH_LEN + UUID_LEN + CURRENCY_LEN + SUM_LEN)	/* 73 */
#define NODE_INPUT_LEN		(1 + 2 * NODE_LEN)			/* 97 */
#define NODES_PER_CHUNK		32			/* 1 536 bytes a row */
#define SALTS_PER_CHUNK		48			/* 1 536 bytes a row */
#define CHUNKS_PER_INSERT	2048		/* rows written by one INSERT */
#define MAX_CURRENCIES		16
#define MAX_LEAVES			(1 << 30)	/* a level must fit one palloc_huge */

/* every sum stays below 2^127, so it is also a valid (positive) wad */
#define SUM_LIMIT			(((fx_uint128) 1) << 127)

/*
 * the liability components, in the order of liabilities_at()'s columns:
 * available, locked, supplied, staked, staking_rewards, mining_rewards
 */
#define N_PARTS				6

typedef struct Leaf
{
	uint8		salt[HASH_LEN];
	uint8		user[UUID_LEN];
	fx_uint128	amount;
} Leaf;

typedef struct CurrencyLeaves
{
	char		code[CURRENCY_LEN + 1];	/* NUL-terminated */
	Leaf	   *leaves;
	int64		n;
	int64		cap;
	fx_int128	parts[N_PARTS];			/* per-component totals */
} CurrencyLeaves;

/* ---------------------------------------------------------------------
 * hashing and encodings
 * --------------------------------------------------------------------- */

static void
sha256(pg_cryptohash_ctx *ctx, const uint8 *data, size_t len, uint8 *out)
{
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, data, len) < 0 ||
		pg_cryptohash_final(ctx, out, HASH_LEN) < 0)
		elog(ERROR, "could not compute a SHA-256 hash: %s", pg_cryptohash_error(ctx));
}

static pg_cryptohash_ctx *
sha256_create(void)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	return ctx;
}

static void
put_u128(uint8 *p, fx_uint128 v)
{
	for (int i = SUM_LEN - 1; i >= 0; i--)
	{
		p[i] = (uint8) (v & 0xff);
		v >>= 8;
	}
}

static fx_uint128
get_u128(const uint8 *p)
{
	fx_uint128	v = 0;

	for (int i = 0; i < SUM_LEN; i++)
		v = (v << 8) | p[i];
	return v;
}

/* the decimal digits of v */
static void
append_u128(StringInfo buf, fx_uint128 v)
{
	char		digits[40];
	int			n = 0;

	do
	{
		digits[n++] = (char) ('0' + (int) (v % 10));
		v /= 10;
	} while (v != 0);
	while (n > 0)
		appendStringInfoChar(buf, digits[--n]);
}

static void
append_hex(StringInfo buf, const uint8 *p, int len)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < len; i++)
	{
		appendStringInfoChar(buf, hex[p[i] >> 4]);
		appendStringInfoChar(buf, hex[p[i] & 0xf]);
	}
}

static void
compute_salt(pg_cryptohash_ctx *ctx, const uint8 *secret, const uint8 *user, uint8 *salt)
{
	uint8		in[HASH_LEN + UUID_LEN];

	memcpy(in, secret, HASH_LEN);
	memcpy(in + HASH_LEN, user, UUID_LEN);
	sha256(ctx, in, sizeof(in), salt);
}

static void
leaf_node(pg_cryptohash_ctx *ctx, const Leaf *leaf, const char *currency, uint8 *node)
{
	uint8		in[LEAF_INPUT_LEN];
	uint8	   *p = in;

	*p++ = 0x00;
	memcpy(p, leaf->salt, HASH_LEN);
	p += HASH_LEN;
	memcpy(p, leaf->user, UUID_LEN);
	p += UUID_LEN;
	memset(p, 0, CURRENCY_LEN);
	memcpy(p, currency, strlen(currency));
	p += CURRENCY_LEN;
	put_u128(p, leaf->amount);
	sha256(ctx, in, sizeof(in), node);
	put_u128(node + HASH_LEN, leaf->amount);
}

/* the parent of two nodes; the sum is checked before anything is hashed */
static void
inner_node(pg_cryptohash_ctx *ctx, const uint8 *left, const uint8 *right, uint8 *node)
{
	uint8		in[NODE_INPUT_LEN];
	fx_uint128	sum = get_u128(left + HASH_LEN) + get_u128(right + HASH_LEN);

	/* each child is below 2^127, so the sum cannot wrap a 128-bit integer */
	if (sum >= SUM_LIMIT)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("a liability sum is out of range"),
				 errdetail("Every sum of a liability tree must stay below 2^127 wei.")));
	in[0] = 0x01;
	memcpy(in + 1, left, NODE_LEN);
	memcpy(in + 1 + NODE_LEN, right, NODE_LEN);
	sha256(ctx, in, sizeof(in), node);
	put_u128(node + HASH_LEN, sum);
}

static int
leaf_cmp(const void *a, const void *b)
{
	return memcmp(((const Leaf *) a)->salt, ((const Leaf *) b)->salt, HASH_LEN);
}

/* ---------------------------------------------------------------------
 * building
 * --------------------------------------------------------------------- */

static CurrencyLeaves *
currency_slot(CurrencyLeaves *cur, int *ncur, const char *code)
{
	for (int i = 0; i < *ncur; i++)
		if (strcmp(cur[i].code, code) == 0)
			return &cur[i];
	if (*ncur == MAX_CURRENCIES)
		elog(ERROR, "more than %d currencies in a liability snapshot", MAX_CURRENCIES);
	if (strlen(code) < 1 || strlen(code) > CURRENCY_LEN)
		elog(ERROR, "currency code \"%s\" does not fit a liability leaf", code);
	cur = &cur[(*ncur)++];
	memset(cur, 0, sizeof(*cur));
	strcpy(cur->code, code);
	return cur;
}

static void
append_leaf(CurrencyLeaves *cur, const Leaf *leaf)
{
	if (cur->n == cur->cap)
	{
		int64		cap = cur->cap == 0 ? 1024 : cur->cap * 2;

		if (cap > MAX_LEAVES)
			elog(ERROR, "a liability snapshot holds at most %d users", MAX_LEAVES);
		cur->leaves = cur->leaves == NULL
			? MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(Leaf))
			: repalloc_huge(cur->leaves, cap * sizeof(Leaf));
		cur->cap = cap;
	}
	cur->leaves[cur->n++] = *leaf;
}

/* a wad column of the cursor's row; NULL and negative values are refused */
static fx_int128
get_part(HeapTuple tup, TupleDesc desc, int col, Datum user, const char *currency)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);
	fx_int128	v;

	if (isnull)
		elog(ERROR, "liabilities_at() gave no %s for user %s in %s",
			 SPI_fname(desc, col), DatumGetCString(DirectFunctionCall1(uuid_out, user)), currency);
	v = DatumGetFixed(d);
	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("user %s has a negative %s liability in %s",
						DatumGetCString(DirectFunctionCall1(uuid_out, user)),
						SPI_fname(desc, col), currency),
				 errdetail("The value is %s.", xphere_fixed_format(v, WAD_SCALE)),
				 errhint("Run xphere.check_invariants(): no user balance may be negative.")));
	return v;
}

/* INSERT rows of chunks through one prepared statement, CHUNKS_PER_INSERT at a time */
typedef struct ChunkWriter
{
	SPIPlanPtr	plan;
	int			nkeys;			/* leading key parameters */
	Datum		keys[3];
	Datum	   *chunks;
	int			n;
	int32		first;			/* chunk number of chunks[0] */
} ChunkWriter;

static void
writer_flush(ChunkWriter *w)
{
	Datum		values[5];
	ArrayType  *arr;
	int			rc;

	if (w->n == 0)
		return;
	arr = construct_array(w->chunks, w->n, BYTEAOID, -1, false, TYPALIGN_INT);
	for (int i = 0; i < w->nkeys; i++)
		values[i] = w->keys[i];
	values[w->nkeys] = Int32GetDatum(w->first);
	values[w->nkeys + 1] = PointerGetDatum(arr);
	rc = SPI_execute_plan(w->plan, values, NULL, false, 0);
	if (rc != SPI_OK_INSERT || SPI_processed != (uint64) w->n)
		elog(ERROR, "could not store liability tree chunks: %s", SPI_result_code_string(rc));
	for (int i = 0; i < w->n; i++)
		pfree(DatumGetPointer(w->chunks[i]));
	pfree(arr);
	w->first += w->n;
	w->n = 0;
}

/* add one chunk of len bytes (copied) */
static void
writer_add(ChunkWriter *w, const uint8 *data, Size len)
{
	bytea	   *b = palloc(VARHDRSZ + len);

	SET_VARSIZE(b, VARHDRSZ + len);
	memcpy(VARDATA(b), data, len);
	w->chunks[w->n++] = PointerGetDatum(b);
	if (w->n == CHUNKS_PER_INSERT)
		writer_flush(w);
}

/* write one level, nodes of NODE_LEN bytes, in chunks */
static void
write_level(ChunkWriter *w, int16 level, const uint8 *nodes, int64 count)
{
	w->keys[2] = Int16GetDatum(level);
	w->first = 0;
	for (int64 i = 0; i < count; i += NODES_PER_CHUNK)
		writer_add(w, nodes + i * NODE_LEN,
				   (Size) Min(NODES_PER_CHUNK, count - i) * NODE_LEN);
	writer_flush(w);
}

PG_FUNCTION_INFO_V1(xphere_liability_build);

/*
 * liability_build(snapshot_id bigint, secret bytea, at timestamptz)
 *	  RETURNS TABLE (currency text, root bytea, total wad, leaf_count integer,
 *					 depth integer, available wad, locked wad, supplied wad,
 *					 staked wad, staking_rewards wad, mining_rewards wad)
 *
 * Reads xphere_internal.liabilities_at(at) through one cursor on the calling
 * statement's snapshot, stores the sorted salts in liability_salts and
 * every level of every currency's tree in liability_nodes, and returns
 * one row per currency found (none when there are no users).
 */
Datum
xphere_liability_build(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64		snapshot_id = PG_GETARG_INT64(0);
	bytea	   *secret_arg = PG_GETARG_BYTEA_PP(1);
	Datum		at = PG_GETARG_DATUM(2);
	uint8		secret[HASH_LEN];
	MemoryContext build_cxt;
	MemoryContext old_cxt;
	CurrencyLeaves cur[MAX_CURRENCIES];
	int			ncur = 0;
	pg_cryptohash_ctx *ctx;
	SPIPlanPtr	plan;
	Portal		portal;
	Oid			argtypes[5];
	Datum		argvalues[1];
	ChunkWriter w;

	if (VARSIZE_ANY_EXHDR(secret_arg) != HASH_LEN)
		elog(ERROR, "a liability snapshot's secret is %d bytes", HASH_LEN);
	memcpy(secret, VARDATA_ANY(secret_arg), HASH_LEN);

	InitMaterializedSRF(fcinfo, 0);

	/* the leaves outlive SPI's memory: they are read first, then written */
	build_cxt = AllocSetContextCreate(CurrentMemoryContext, "liability snapshot",
									  ALLOCSET_DEFAULT_SIZES);
	ctx = sha256_create();

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/*
	 * One cursor, read-only: it runs on the calling statement's snapshot,
	 * so every user and every currency is valued in the same instant.
	 */
	argtypes[0] = TIMESTAMPTZOID;
	plan = SPI_prepare("SELECT l.user_id, l.currency::text, l.available, l.locked, l.supplied,"
					   " l.staked, l.staking_rewards, l.mining_rewards, l.amount"
					   " FROM xphere_internal.liabilities_at($1) l", 1, argtypes);
	if (plan == NULL)
		elog(ERROR, "could not prepare the liability query: %s",
			 SPI_result_code_string(SPI_result));
	argvalues[0] = at;
	portal = SPI_cursor_open(NULL, plan, argvalues, NULL, true);

	for (;;)
	{
		SPITupleTable *tt;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	tup = tt->vals[r];
			bool		isnull;
			Datum		d;
			char	   *code;
			CurrencyLeaves *c;
			Leaf		leaf;
			fx_int128	parts[N_PARTS];
			fx_int128	amount;
			fx_int128	check = 0;

			d = SPI_getbinval(tup, tt->tupdesc, 1, &isnull);
			if (isnull)
				elog(ERROR, "liabilities_at() gave a row without a user");
			memcpy(leaf.user, DatumGetUUIDP(d)->data, UUID_LEN);
			code = SPI_getvalue(tup, tt->tupdesc, 2);
			if (code == NULL)
				elog(ERROR, "liabilities_at() gave a row without a currency");

			for (int i = 0; i < N_PARTS; i++)
			{
				parts[i] = get_part(tup, tt->tupdesc, 3 + i, d, code);
				xphere_fixed_check(fx_add(check, parts[i], &check), "wad");
			}
			amount = get_part(tup, tt->tupdesc, 3 + N_PARTS, d, code);
			if (amount != check)
				elog(ERROR, "the liability of user %s in %s is not the sum of its parts",
					 DatumGetCString(DirectFunctionCall1(uuid_out, d)), code);

			old_cxt = MemoryContextSwitchTo(build_cxt);
			c = currency_slot(cur, &ncur, code);
			compute_salt(ctx, secret, leaf.user, leaf.salt);
			leaf.amount = (fx_uint128) amount;
			append_leaf(c, &leaf);
			MemoryContextSwitchTo(old_cxt);
			for (int i = 0; i < N_PARTS; i++)
				xphere_fixed_check(fx_add(c->parts[i], parts[i], &c->parts[i]), "wad");
			pfree(code);
		}
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(portal);

	/* the same users, in the same order, in every currency's tree */
	for (int i = 0; i < ncur; i++)
		qsort(cur[i].leaves, cur[i].n, sizeof(Leaf), leaf_cmp);
	for (int i = 0; i < ncur; i++)
	{
		if (cur[i].n != cur[0].n)
			elog(ERROR, "liabilities_at() gave %lld users in %s and %lld in %s",
				 (long long) cur[i].n, cur[i].code, (long long) cur[0].n, cur[0].code);
		for (int64 j = 0; j < cur[i].n; j++)
		{
			if (memcmp(cur[i].leaves[j].user, cur[0].leaves[j].user, UUID_LEN) != 0)
				elog(ERROR, "liabilities_at() gave different users in %s and %s",
					 cur[i].code, cur[0].code);
			if (j > 0 && memcmp(cur[i].leaves[j].user, cur[i].leaves[j - 1].user, UUID_LEN) == 0)
				elog(ERROR, "liabilities_at() gave a user twice in %s", cur[i].code);
			if (j > 0 && memcmp(cur[i].leaves[j].salt, cur[i].leaves[j - 1].salt, HASH_LEN) == 0)
				elog(ERROR, "two users of the snapshot have the same salt");
		}
	}

	/* the sorted salts, for finding a user's leaf */
	memset(&w, 0, sizeof(w));
	w.chunks = palloc(CHUNKS_PER_INSERT * sizeof(Datum));
	if (ncur > 0)
	{
		uint8		buf[SALTS_PER_CHUNK * HASH_LEN];

		argtypes[0] = INT8OID;
		argtypes[1] = INT4OID;
		argtypes[2] = BYTEAARRAYOID;
		w.plan = SPI_prepare("INSERT INTO xphere.liability_salts (snapshot_id, chunk, first_salt, salts)"
							 " SELECT $1, $2 + u.i::integer - 1, substring(u.s FROM 1 FOR 32), u.s"
							 " FROM unnest($3) WITH ORDINALITY u(s, i)", 3, argtypes);
		if (w.plan == NULL)
			elog(ERROR, "could not prepare the salt insert");
		w.nkeys = 1;
		w.keys[0] = Int64GetDatum(snapshot_id);
		for (int64 j = 0; j < cur[0].n; j += SALTS_PER_CHUNK)
		{
			int			k = (int) Min(SALTS_PER_CHUNK, cur[0].n - j);

			for (int m = 0; m < k; m++)
				memcpy(buf + m * HASH_LEN, cur[0].leaves[j + m].salt, HASH_LEN);
			writer_add(&w, buf, (Size) k * HASH_LEN);
		}
		writer_flush(&w);
	}

	argtypes[0] = INT8OID;
	argtypes[1] = TEXTOID;
	argtypes[2] = INT2OID;
	argtypes[3] = INT4OID;
	argtypes[4] = BYTEAARRAYOID;
	w.plan = SPI_prepare("INSERT INTO xphere.liability_nodes (snapshot_id, currency, level, chunk, nodes)"
						 " SELECT $1, $2::xphere.currency, $3, $4 + u.i::integer - 1, u.n"
						 " FROM unnest($5) WITH ORDINALITY u(n, i)", 5, argtypes);
	if (w.plan == NULL)
		elog(ERROR, "could not prepare the node insert");
	w.nkeys = 3;
	w.keys[0] = Int64GetDatum(snapshot_id);

	for (int i = 0; i < ncur; i++)
	{
		CurrencyLeaves *c = &cur[i];
		int64		count = c->n;
		int16		level = 0;
		uint8	   *nodes;
		uint8		root[NODE_LEN];
		fx_int128	total = 0;
		Datum		values[11];
		bool		nulls[11] = {0};

		w.keys[1] = CStringGetTextDatum(c->code);

		/* level 0: the leaves */
		old_cxt = MemoryContextSwitchTo(build_cxt);
		nodes = MemoryContextAllocHuge(build_cxt, count * NODE_LEN);
		MemoryContextSwitchTo(old_cxt);
		for (int64 j = 0; j < count; j++)
		{
			if ((j & 0xffff) == 0)
				CHECK_FOR_INTERRUPTS();
			leaf_node(ctx, &c->leaves[j], c->code, nodes + j * NODE_LEN);
		}
		pfree(c->leaves);
		c->leaves = NULL;
		write_level(&w, level, nodes, count);

		/* each level above, in place: node j of the next level overwrites node j */
		while (count > 1)
		{
			int64		next = (count + 1) / 2;

			for (int64 j = 0; j < next; j++)
			{
				uint8		empty[NODE_LEN] = {0};
				uint8		parent[NODE_LEN];
				const uint8 *right = 2 * j + 1 < count ? nodes + (2 * j + 1) * NODE_LEN : empty;

				if ((j & 0xffff) == 0)
					CHECK_FOR_INTERRUPTS();

				inner_node(ctx, nodes + 2 * j * NODE_LEN, right, parent);
				memcpy(nodes + j * NODE_LEN, parent, NODE_LEN);
			}
			count = next;
			level++;
			write_level(&w, level, nodes, count);
		}
		memcpy(root, nodes, NODE_LEN);
		pfree(nodes);

		/* the root's sum is the total of the leaves, and so of the parts */
		for (int k = 0; k < N_PARTS; k++)
			xphere_fixed_check(fx_add(total, c->parts[k], &total), "wad");
		if ((fx_uint128) total != get_u128(root + HASH_LEN))
			elog(ERROR, "the root of the %s tree does not sum its leaves", c->code);

		values[0] = CStringGetTextDatum(c->code);
		values[1] = PointerGetDatum(cstring_to_text_with_len((char *) root, HASH_LEN));
		values[2] = FixedGetDatum(total);
		values[3] = Int32GetDatum((int32) c->n);
		values[4] = Int32GetDatum((int32) level);
		for (int k = 0; k < N_PARTS; k++)
			values[5 + k] = FixedGetDatum(c->parts[k]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}

	SPI_finish();
	pg_cryptohash_free(ctx);
	MemoryContextDelete(build_cxt);
	PG_RETURN_NULL();
}

/* ---------------------------------------------------------------------
 * proofs
 * --------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(xphere_liability_proof);

/* a proof's two queries, planned once per backend */
static KeptPlan salt_plan;
static KeptPlan nodes_plan;

/*
 * liability_proof_parts(snapshot_id bigint, currency text, user_id uuid,
 *						 secret bytea, leaf_count integer, depth integer)
 *	  RETURNS jsonb
 *
 * {"leaf": {index, salt, amount, hash}, "path": [{hash, sum}, ...]} for
 * the user's leaf in the snapshot's tree of that currency, or NULL when
 * the user has no leaf (they joined after the snapshot).
 */
Datum
xphere_liability_proof(PG_FUNCTION_ARGS)
{
	int64		snapshot_id = PG_GETARG_INT64(0);
	text	   *currency = PG_GETARG_TEXT_PP(1);
	pg_uuid_t  *user = PG_GETARG_UUID_P(2);
	bytea	   *secret_arg = PG_GETARG_BYTEA_PP(3);
	int32		leaf_count = PG_GETARG_INT32(4);
	int32		depth = PG_GETARG_INT32(5);
	uint8		salt[HASH_LEN];
	pg_cryptohash_ctx *ctx;
	Oid			argtypes[4];
	Datum		values[4];
	int			rc;
	int64		index = -1;
	int64		len;
	int			nlevels;		/* levels read: those with a sibling, at least the leaves */
	Datum	   *levels;
	Datum	   *chunks;
	const uint8 **found;		/* per level: the chunk's bytes, NULL until read */
	Size	   *found_len;
	StringInfoData buf;
	Datum		result;

	if (VARSIZE_ANY_EXHDR(secret_arg) != HASH_LEN)
		elog(ERROR, "a liability snapshot's secret is %d bytes", HASH_LEN);
	if (leaf_count < 1 || depth < 0 || depth > 31)
		PG_RETURN_NULL();

	ctx = sha256_create();
	compute_salt(ctx, (const uint8 *) VARDATA_ANY(secret_arg), user->data, salt);
	pg_cryptohash_free(ctx);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/* the chunk whose first salt is the greatest not above ours */
	argtypes[0] = INT8OID;
	argtypes[1] = BYTEAOID;
	values[0] = Int64GetDatum(snapshot_id);
	values[1] = PointerGetDatum(cstring_to_text_with_len((char *) salt, HASH_LEN));
	rc = SPI_execute_plan(kept_plan(&salt_plan,
									"SELECT chunk, salts FROM xphere.liability_salts"
									" WHERE snapshot_id = $1 AND first_salt <= $2"
									" ORDER BY first_salt DESC LIMIT 1", 2, argtypes),
						  values, NULL, true, 1);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read liability salts: %s", SPI_result_code_string(rc));
	if (SPI_processed == 1)
	{
		bool		isnull;
		int32		chunk = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0],
														SPI_tuptable->tupdesc, 1, &isnull));
		bytea	   *salts = DatumGetByteaPP(SPI_getbinval(SPI_tuptable->vals[0],
														  SPI_tuptable->tupdesc, 2, &isnull));
		const uint8 *s = (const uint8 *) VARDATA_ANY(salts);
		int			lo = 0,
					hi = (int) (VARSIZE_ANY_EXHDR(salts) / HASH_LEN) - 1;

		while (lo <= hi)
		{
			int			mid = lo + (hi - lo) / 2;
			int			cmp = memcmp(s + mid * HASH_LEN, salt, HASH_LEN);

			if (cmp == 0)
			{
				index = (int64) chunk * SALTS_PER_CHUNK + mid;
				break;
			}
			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
	}
	if (index < 0 || index >= leaf_count)
	{
		SPI_finish();
		PG_RETURN_NULL();
	}

	/*
	 * Level k (below the root; level 0 alone for a single leaf) needs the
	 * sibling of the user's node, (index >> k) ^ 1, which shares its chunk
	 * (a chunk holds an even number of nodes): one primary-key probe per
	 * level, whatever plan the statement gets (a join could become a scan
	 * of every snapshot's nodes).
	 */
	nlevels = Max(depth, 1);
	levels = palloc(nlevels * sizeof(Datum));
	chunks = palloc(nlevels * sizeof(Datum));
	for (int k = 0; k < nlevels; k++)
	{
		levels[k] = Int16GetDatum((int16) k);
		chunks[k] = Int32GetDatum((int32) ((index >> k) / NODES_PER_CHUNK));
	}
	argtypes[0] = INT8OID;
	argtypes[1] = TEXTOID;
	argtypes[2] = INT2ARRAYOID;
	argtypes[3] = INT4ARRAYOID;
	values[0] = Int64GetDatum(snapshot_id);
	values[1] = PointerGetDatum(currency);
	values[2] = PointerGetDatum(construct_array(levels, nlevels, INT2OID, 2, true, TYPALIGN_SHORT));
	values[3] = PointerGetDatum(construct_array(chunks, nlevels, INT4OID, 4, true, TYPALIGN_INT));
	rc = SPI_execute_plan(kept_plan(&nodes_plan,
									"SELECT w.level, (SELECT n.nodes FROM xphere.liability_nodes n"
									"  WHERE n.snapshot_id = $1 AND n.currency = $2::xphere.currency"
									"  AND n.level = w.level AND n.chunk = w.chunk)"
									" FROM unnest($3, $4) AS w(level, chunk)",
									4, argtypes),
						  values, NULL, true, 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "could not read liability nodes: %s", SPI_result_code_string(rc));
	found = palloc0(nlevels * sizeof(const uint8 *));
	found_len = palloc0(nlevels * sizeof(Size));
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		int16		level = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[r],
														SPI_tuptable->tupdesc, 1, &isnull));
		Datum		d = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2, &isnull);
		bytea	   *nodes;

		if (isnull || level < 0 || level >= nlevels)
			continue;
		nodes = DatumGetByteaPP(d);
		found_len[level] = VARSIZE_ANY_EXHDR(nodes);
		found[level] = (const uint8 *) VARDATA_ANY(nodes);
	}

	initStringInfo(&buf);
	len = leaf_count;
	for (int k = 0; k < nlevels; k++)
	{
		int64		own = index >> k;
		int64		sib = own ^ 1;
		const uint8 *chunk = found[k];
		Size		chunk_len = found_len[k];

		if (chunk == NULL)
			elog(ERROR, "liability snapshot %lld lacks level %d of its tree",
				 (long long) snapshot_id, k);
		if (k == 0)
		{
			Size		off = (Size) (own % NODES_PER_CHUNK) * NODE_LEN;

			if (off + NODE_LEN > chunk_len)
				elog(ERROR, "liability snapshot %lld lacks the leaf %lld",
					 (long long) snapshot_id, (long long) own);
			appendStringInfo(&buf, "{\"leaf\": {\"index\": " INT64_FORMAT ", \"salt\": \"", own);
			append_hex(&buf, salt, HASH_LEN);
			appendStringInfoString(&buf, "\", \"amount\": \"");
			append_u128(&buf, get_u128(chunk + off + HASH_LEN));
			appendStringInfoString(&buf, "\", \"hash\": \"");
			append_hex(&buf, chunk + off, HASH_LEN);
			appendStringInfoString(&buf, "\"}, \"path\": [");
		}
		if (k == depth)
			break;
		if (k > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, "{\"hash\": \"");
		if (sib >= len)
		{
			/* the padding of a level of odd length */
			uint8		empty[HASH_LEN] = {0};

			append_hex(&buf, empty, HASH_LEN);
			appendStringInfoString(&buf, "\", \"sum\": \"0\"}");
		}
		else
		{
			Size		off = (Size) (sib % NODES_PER_CHUNK) * NODE_LEN;

			if (off + NODE_LEN > chunk_len)
				elog(ERROR, "liability snapshot %lld lacks node %lld of level %d",
					 (long long) snapshot_id, (long long) sib, k);
			append_hex(&buf, chunk + off, HASH_LEN);
			appendStringInfoString(&buf, "\", \"sum\": \"");
			append_u128(&buf, get_u128(chunk + off + HASH_LEN));
			appendStringInfoString(&buf, "\"}");
		}
		len = (len + 1) / 2;
	}
	appendStringInfoString(&buf, "]}");

	/* the result must outlive SPI's memory */
	result = DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
	result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	PG_RETURN_DATUM(result);
}
