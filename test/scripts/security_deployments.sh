#!/usr/bin/env bash
#
# test/scripts/security_deployments.sh - the per-user role and shared-backend
# guarantees (test/security/roles.sh) and the lease on shared rows
# (test/security/stall.sh) hold however the library is loaded.
#
# The README offers three ways to load xphere, and a role's xphere.user_id
# pin behaves differently in each: a connection option naming another user
# or none is a FATAL error at login when the library is preloaded, but only
# a WARNING when the library is loaded later, on the first call, after the
# option was dropped.  So each script runs in three throw-away clusters of
# this script's own:
#   preload   shared_preload_libraries = 'xphere' (the background worker)
#   session   session_preload_libraries = 'xphere'
#   none      nothing preloaded (pg_cron ticks; the library loads on the
#             first call of one of its functions)
# Roles log in by password over TCP on 127.0.0.1 (scram-sha-256), the
# superuser by trust.
#
# Run by test/run.sh (it only needs PGBIN, XPHERE_PGBIN); by hand, as root
# or as a user that may run the server:
#     bash test/scripts/security_deployments.sh
# XPHERE_DEPLOYMENTS (default "preload session none") picks deployments.
#
# Prints the scripts' "ok - ..." / "not ok - ..." lines prefixed with the
# deployment; exits 1 if any check failed.
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cluster_tmp security-deployments
trap cleanup_clusters EXIT
started=$SECONDS

for dep in ${XPHERE_DEPLOYMENTS:-preload session none}; do
	case $dep in
	preload) load="shared_preload_libraries = 'xphere'" ;;
	session) load="session_preload_libraries = 'xphere'" ;;
	none) load="shared_preload_libraries = ''" ;;
	*)
		not_ok "unknown deployment $dep"
		continue
		;;
	esac
	free_port
	port=$PORT
	new_cluster "$dep" "$port" "$load" "listen_addresses = '127.0.0.1'" \
		"password_encryption = 'scram-sha-256'" "max_worker_processes = 16" \
		"max_prepared_transactions = 4" \
		"xphere.tick_interval = 1"
	printf '%s\n' \
		'local all all trust' \
		'host all postgres 127.0.0.1/32 trust' \
		'host all all 127.0.0.1/32 scram-sha-256' | as_pg tee "$TMP/$dep/pg_hba.conf" >/dev/null
	start_cluster "$dep"
	got=$(q "$port" postgres -c "SELECT current_setting('shared_preload_libraries') || '|' ||
		current_setting('session_preload_libraries')")
	case $dep in
	preload) want='xphere|' ;;
	session) want='|xphere' ;;
	none) want='|' ;;
	esac
	check "$dep: the cluster loads the library as this deployment says" "$got" "$want"

	for script in roles.sh stall.sh; do
		rc=0
		PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres \
			XPHERE_DEPLOYMENT=$dep \
			bash "$ROOT/test/security/$script" >"$TMP/$dep-$script.out" 2>&1 || rc=$?
		sed -e "s/^ok - /ok - $dep: /" -e "s/^not ok - /not ok - $dep: /" \
			-e 's/^#/#/' "$TMP/$dep-$script.out"
		# each script's own verdict counts once more, so that a script
		# that died without a "not ok" line still fails
		if [ "$rc" -eq 0 ]; then
			ok "$dep: $script passed"
		else
			not_ok "$dep: $script exited with status $rc"
			tail -5 "$TMP/$dep.log" | diag
		fi
		# the script's "not ok" lines were printed above: count them here
		fails=$((fails + $(grep -c '^not ok - ' "$TMP/$dep-$script.out" || true)))
	done
done

finish
