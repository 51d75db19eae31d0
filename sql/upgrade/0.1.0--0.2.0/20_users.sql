/*
 * Users, passwords, secrets in the log, chain transaction hashes.
 *
 * - hide_secrets_from_log() (src/secrets.c), called first by
 *   register_user, authenticate and rotate_refresh_token: their failed
 *   calls reach the server log without statement or bound parameters.
 * - Passwords: bcrypt over base64(sha256(password)) behind the marker
 *   'bcrypt-sha256$' (every character counts, not the first 72 bytes);
 *   the 0.1.0 hashes stay valid and are replaced at the next login.
 *   authenticate() costs the same for unknown and known emails.
 * - tx_hash: deposit() and complete_withdrawal() take 0x and 64 hex
 *   digits, trimmed and lower-cased (tx_hash_norm); anything else is 22023.
 *   The stored hashes are normalised the same way, see the end of this
 *   file.
 */

CREATE FUNCTION hide_secrets_from_log() RETURNS void
	AS 'MODULE_PATHNAME', 'xphere_hide_secrets_from_log' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION hide_secrets_from_log() IS
	'until the transaction ends, reports reach the server log without statement or context (called by the functions taking a password or token)';
REVOKE ALL ON FUNCTION hide_secrets_from_log() FROM PUBLIC;

CREATE FUNCTION password_prehash(password text) RETURNS text
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN encode(sha256(convert_to(password, 'UTF8')), 'base64');
COMMENT ON FUNCTION password_prehash(text) IS
	'what bcrypt is given for a password: base64 of the SHA-256 of its UTF-8 bytes (44 characters, all of the password counts)';
REVOKE ALL ON FUNCTION password_prehash(text) FROM PUBLIC;

CREATE FUNCTION password_hash(password text, cost integer) RETURNS text
	LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp
	RETURN 'bcrypt-sha256$' || xphere.bcrypt_hash(xphere.password_prehash(password), cost);
COMMENT ON FUNCTION password_hash(text, integer) IS
	'the stored form of a password: ''bcrypt-sha256$'' and the bcrypt of its prehash at the given cost';
REVOKE ALL ON FUNCTION password_hash(text, integer) FROM PUBLIC;

CREATE FUNCTION password_check(password text, hash text) RETURNS boolean
	LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
	RETURN CASE WHEN starts_with(hash, 'bcrypt-sha256$')
				THEN xphere.bcrypt_check(xphere.password_prehash(password), substr(hash, 15))
				ELSE xphere.bcrypt_check(password, hash) END;
COMMENT ON FUNCTION password_check(text, text) IS
	'whether a password matches a stored hash: the bcrypt-sha256 form, or the plain bcrypt of 0.1.0';
REVOKE ALL ON FUNCTION password_check(text, text) FROM PUBLIC;

CREATE FUNCTION password_hash_cost(hash text) RETURNS integer
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN substring(hash FROM '^(?:bcrypt-sha256\$)?\$2[abxy]?\$([0-9]{2})\$')::integer;
COMMENT ON FUNCTION password_hash_cost(text) IS 'the bcrypt cost of a stored hash (either form); NULL if it is none';
REVOKE ALL ON FUNCTION password_hash_cost(text) FROM PUBLIC;

COMMENT ON COLUMN users.password_hash IS
	'''bcrypt-sha256$'' and the bcrypt (pgcrypto, bf salt) of base64(sha256(password)), or a plain bcrypt from 0.1.0; never the password';

CREATE FUNCTION tx_hash_norm(tx_hash text) RETURNS text
	LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	v text;
BEGIN
	IF tx_hash IS NULL THEN
		PERFORM xphere.raise_null('tx_hash');
	END IF;
	v := lower(btrim(tx_hash, E' \t\r\n'));
	IF v !~ '^0x[0-9a-f]{64}$' THEN
		RAISE EXCEPTION 'invalid tx_hash "%"', left(tx_hash, 100) USING ERRCODE = '22023',
			HINT = 'A transaction hash is 0x followed by 64 hexadecimal digits.';
	END IF;
	RETURN v;
END $$;
COMMENT ON FUNCTION tx_hash_norm(text) IS
	'a chain transaction hash trimmed and lower-cased; 22004 for NULL, 22023 unless it is 0x and 64 hex digits';
REVOKE ALL ON FUNCTION tx_hash_norm(text) FROM PUBLIC;

COMMENT ON COLUMN transactions.tx_hash IS
	'chain transaction hash, 0x and 64 lower-case hex digits (rows from 0.1.0 may differ): unique per type; a deposit''s makes it idempotent';

/*
 * The stored hashes.  0.1.0 kept tx_hash as it was given, so one chain
 * transaction may be stored under several spellings ('0xAB..', '0xab.. ').
 * Every hash that is 0x and 64 hex digits once trimmed and lower-cased is
 * rewritten in that form, so that a replay of it is recognised.  Where
 * several entries of one type share that form (0.1.0 credited the same
 * chain transaction more than once), the one already in it, else the
 * earliest, takes it; the others keep their spelling and are named in a
 * WARNING, for the operator to settle with a correcting entry (the ledger
 * is append-only).  Hashes of any other format are kept as they are (no
 * new deposit can be given one).  The append-only trigger is disabled for
 * this rewrite only.
 */
ALTER TABLE transactions DISABLE TRIGGER transactions_append_only;
WITH n AS (
	SELECT t.id, t.tx_hash, t.type, t.created_at, lower(btrim(t.tx_hash, E' \t\r\n')) AS norm
	FROM transactions t
	WHERE t.tx_hash IS NOT NULL
), ranked AS (
	SELECT n.id, n.tx_hash, n.norm,
		   row_number() OVER (PARTITION BY n.type, n.norm
							  ORDER BY n.tx_hash = n.norm DESC, n.created_at, n.id) AS rank
	FROM n
	WHERE n.norm ~ '^0x[0-9a-f]{64}$'
)
UPDATE transactions t SET tx_hash = r.norm
FROM ranked r
WHERE t.id = r.id AND r.rank = 1 AND r.tx_hash <> r.norm;
ALTER TABLE transactions ENABLE TRIGGER transactions_append_only;

DO $$
DECLARE
	dup text;
BEGIN
	SELECT string_agg(pg_catalog.format('%s %s %L', t.type, t.id, t.tx_hash), ', ' ORDER BY t.created_at, t.id)
	INTO dup
	FROM xphere.transactions t
	WHERE t.tx_hash <> lower(btrim(t.tx_hash, E' \t\r\n'))
	  AND lower(btrim(t.tx_hash, E' \t\r\n')) ~ '^0x[0-9a-f]{64}$';
	IF dup IS NOT NULL THEN
		RAISE WARNING 'ledger entries share their chain transaction with another entry of their type'
			USING DETAIL = pg_catalog.format('Kept with their original tx_hash: %s.', dup),
			HINT = 'Each was credited or paid again for the same chain transaction; settle it with a correcting entry.';
	END IF;
END $$;
