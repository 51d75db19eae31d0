#!/usr/bin/env bash
#
# test/scripts/secret_log.sh - no password or refresh token reaches the server log
# when a call of register_user, authenticate or rotate_refresh_token fails
# (src/secrets.c), whatever protocol and logging settings the client uses.
#
# Run by test/run.sh; by hand (as root or as the postgres user):
#     bash test/scripts/secret_log.sh
#
# Two throw-away clusters of its own (initdb under a mktemp -d directory,
# unix socket there, no TCP, a port in 55000-55999), so that it knows where
# the server log is ($TMP/NAME.log) and nobody else writes to it: one with
# shared_preload_libraries = 'xphere', one without (the library then loads
# at the first call of one of its C functions, in the middle of the failing
# call).  Both keep the default log_min_error_statement (error).  In each,
# with a fresh connection per call, it makes failing calls
#   - through the simple query protocol (psql -c), the secret in the text;
#   - through the extended protocol with bound parameters (pgbench -M
#     prepared and -M extended), the client having set
#     log_parameter_max_length_on_error = -1 (log parameters in full);
#   - a simple-protocol string whose later statement fails after a COMMIT
#     ended the transaction of a successful authenticate in it;
#   - with the library preloaded, authenticate inside a wrapper marked
#     PARALLEL SAFE, run by a parallel worker (force_parallel_mode = on),
#     the leader re-raising the error;
# and checks that
#   1. the log was read and does log statements and parameters: two
#      control calls (a failing query that is not the extension's, one per
#      protocol) show their marker in STATEMENT and in CONTEXT;
#   2. every failing call of the extension was logged (its ERROR line is
#      there, as many times as the calls were made);
#   3. none of the secrets (passwords, live and unknown tokens) appears
#      anywhere in the log.
#
# Prints "ok - ..." / "not ok - ..." lines; exits 1 if any check failed.
# XPHERE_KEEP_TMP=1 keeps the temporary directory (clusters and logs).
#
set -euo pipefail
exec </dev/null

# the clusters of this script only: ignore run.sh's connection settings
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGHOSTADDR

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

cluster_tmp secretlog
trap cleanup_clusters EXIT
trap 'exit 143' TERM INT HUP	# (so that cleanup runs)

started=$SECONDS
DB=xs

# pgbench_call PORT MODE FILE VAR=VALUE...: one transaction of FILE
# through the extended protocol (MODE prepared or extended), parameters
# from the -D variables, logging parameters of a failed statement in full;
# the call is expected to fail, so pgbench's exit status is ignored
pgbench_call() {
	local port=$1 mode=$2 file=$3 v args=()
	shift 3
	for v in "$@"; do
		args+=(-D "$v")
	done
	PGOPTIONS='-c log_parameter_max_length_on_error=-1' \
		"$PGBIN/pgbench" -n -h "$SOCK" -p "$port" -U postgres -M "$mode" -t 1 \
		"${args[@]}" -f "$file" "$DB" >>"$TMP/pgbench.out" 2>&1 || true
}
# psql_fail PORT SQL...: psql commands in one session, the last failing
psql_fail() {
	local port=$1 c args=()
	shift
	for c in "$@"; do
		args+=(-c "$c")
	done
	"$PGBIN/psql" -X -qAt -h "$SOCK" -p "$port" -U postgres -d "$DB" "${args[@]}" \
		>>"$TMP/psql.out" 2>&1 && return 1
	return 0
}

cat >"$TMP/authenticate.sql" <<-'EOF'
	SELECT xphere.authenticate(:email, :pw);
EOF
cat >"$TMP/register.sql" <<-'EOF'
	SELECT xphere.register_user(:email, :pw, 'Someone');
EOF
cat >"$TMP/rotate.sql" <<-'EOF'
	SET xphere.user_id = '6f1c3b52-0000-4000-8000-000000000001';
	SELECT xphere.rotate_refresh_token(:tok);
EOF
cat >"$TMP/control.sql" <<-'EOF'
	SELECT length(:marker) / 0;
EOF

for mode in preload nopreload; do
	free_port
	P=$PORT
	if [ "$mode" = preload ]; then
		new_cluster "$mode" "$P" "shared_preload_libraries = 'xphere'" "xphere.worker_enabled = off"
	else
		new_cluster "$mode" "$P"
	fi
	start_cluster "$mode"
	q "$P" postgres -c "CREATE DATABASE $DB"
	q "$P" "$DB" -c "SET client_min_messages = warning" -c "CREATE EXTENSION xphere CASCADE"
	echo "# cluster $mode on port $P: shared_preload_libraries = '$(q "$P" "$DB" -c "SHOW shared_preload_libraries")'"

	# bob, whose password is known to the client; another user acting
	# (xphere.user_id) cannot rotate bob's live token: a failing call with a
	# real token.  Every password and made-up token carries the marker $M
	# (the real tokens are checked by value); the controls carry $S.
	S="${mode}Z"
	M="xsecret${mode}"
	BOB_PW="Bob-right-pw-$M"
	q "$P" "$DB" >/dev/null <<-EOF
		UPDATE xphere.settings SET value = '4' WHERE key = 'password_hash_cost';
		SELECT xphere.register_user('bob@example.com', '$BOB_PW', 'Bob');
		SELECT xphere.register_user('eve@example.com', 'eve-password', 'Eve');
	EOF
	BOB=$(q "$P" "$DB" -c "SELECT id FROM xphere.users WHERE email = 'bob@example.com'")
	EVE=$(q "$P" "$DB" -c "SELECT id FROM xphere.users WHERE email = 'eve@example.com'")
	TOK_SIMPLE=$(q "$P" "$DB" -c "SELECT xphere.issue_refresh_token('$BOB')")
	TOK_BOUND=$(q "$P" "$DB" -c "SELECT xphere.issue_refresh_token('$BOB')")
	secret() { printf '%s' "$1-$M"; }	# NAME: a made-up secret of this cluster

	logpos=$(log_size "$mode")

	# control calls: what the log shows of a failing call that is not ours
	psql_fail "$P" "SELECT length('control-simple-$S') / 0"
	pgbench_call "$P" prepared "$TMP/control.sql" "marker=control-bound-$S"

	# simple query protocol, the secrets in the statement text
	psql_fail "$P" "SET log_parameter_max_length_on_error = -1" \
		"SELECT xphere.authenticate('bob@example.com', '$(secret auth-simple-pw)')"
	psql_fail "$P" "SELECT xphere.authenticate('nobody@example.com', '$(secret auth-unknown-pw)')"
	psql_fail "$P" "SELECT xphere.register_user('BOB@example.com', '$(secret reg-taken-pw)', 'Bob again')"
	psql_fail "$P" "SELECT xphere.register_user('bad-email', '$(secret reg-bad-email-pw)', 'X')"
	psql_fail "$P" "SELECT xphere.register_user('short@example.com', '$(secret short)', 'X', '0x12')"
	psql_fail "$P" "SELECT xphere.rotate_refresh_token('$(secret deadbeef-unknown-token)')"
	psql_fail "$P" "SET xphere.user_id = '$EVE'" "SELECT xphere.rotate_refresh_token('$TOK_SIMPLE')"
	# a wrapper marked PARALLEL SAFE, forced into a parallel worker: the
	# worker runs authenticate, the leader re-raises its error.  Only with
	# the library preloaded: otherwise the leader, which never calls a
	# function of the library, has not loaded it and cannot hide the
	# statement it logs (README: preload where passwords are handled)
	n_parallel=0
	if [ "$mode" = preload ]; then
		psql_fail "$P" "CREATE FUNCTION pg_temp.w(e text, p text) RETURNS uuid LANGUAGE sql PARALLEL SAFE
				AS \$\$ SELECT xphere.authenticate(e, p) \$\$" \
			"SET force_parallel_mode = on" \
			"SELECT pg_temp.w('bob@example.com', '$(secret auth-parallel-pw)')"
		n_parallel=2	# the worker's ERROR line and the leader's
	fi
	# one query string: a successful login, COMMIT, then a failing statement
	psql_fail "$P" "SELECT xphere.authenticate('bob@example.com', '$BOB_PW'); COMMIT; SELECT 1 / 0"

	# extended protocol, the secrets as bound parameters, logged in full
	# unless hidden (log_parameter_max_length_on_error = -1 from the client)
	for pm in prepared extended; do
		pgbench_call "$P" "$pm" "$TMP/authenticate.sql" email=bob@example.com "pw=$(secret "auth-$pm-pw")"
		pgbench_call "$P" "$pm" "$TMP/authenticate.sql" email=nobody@example.com "pw=$(secret "auth-unknown-$pm-pw")"
		pgbench_call "$P" "$pm" "$TMP/register.sql" email=bob@example.com "pw=$(secret "reg-$pm-pw")"
		pgbench_call "$P" "$pm" "$TMP/rotate.sql" "tok=$(secret "unknown-token-$pm")"
		pgbench_call "$P" "$pm" "$TMP/rotate.sql" "tok=$TOK_BOUND"
	done

	log=$(log_since "$mode" "$logpos")

	# 1. the log is read, and logs statements and parameters of failures
	check_true "$mode: the log shows the STATEMENT of a failing simple query (control)" \
		"$(grep -q "STATEMENT:  SELECT length('control-simple-$S') / 0" <<<"$log" && echo t)" \
		"no such STATEMENT line in $TMP/$mode.log"
	check_true "$mode: the log shows the bound parameters of a failing extended-protocol query (control)" \
		"$(grep -q "CONTEXT:  .*parameters: \$1 = 'control-bound-$S'" <<<"$log" && echo t)" \
		"no such CONTEXT line in $TMP/$mode.log"

	# 2. every failing call was logged
	count() { grep -c -F "ERROR:  $1" <<<"$log" || true; }
	# authenticate: 2 simple + 2 x 2 bound (+ the parallel one, logged by
	# worker and leader); register_user taken: 1 + 2 (bob's email, any
	# case); rotate: unknown 1 + 2, acting for another 1 + 2
	check "$mode: the $((6 + n_parallel)) ERROR lines of failed authenticate calls are logged" \
		"$(count 'invalid email or password')" $((6 + n_parallel))
	check "$mode: the 3 registrations of a taken email are logged" \
		"$(count 'email "bob@example.com" is already registered')" 3
	check "$mode: the registration with a bad email is logged" "$(count 'invalid email address "bad-email"')" 1
	check "$mode: the registration with a bad wallet address is logged" "$(count 'invalid wallet address "0x12"')" 1
	check "$mode: the 3 rotations of an unknown token are logged" "$(count 'invalid refresh token')" 3
	check "$mode: the 3 rotations of bob's live token by another user are logged" \
		"$(count "permission denied to act for user $BOB")" 3
	# (the two controls and the statement after the COMMIT)
	check "$mode: the 3 divisions by zero are logged" "$(count 'division by zero')" 3

	# 3. no secret anywhere in the log
	found=$(grep -F -e "$M" -e "$TOK_SIMPLE" -e "$TOK_BOUND" "$TMP/$mode.log" || true)
	check_empty "$mode: no password (marked $M) and neither of bob's tokens appears in the server log" "$found"
done

finish
