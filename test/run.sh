#!/usr/bin/env bash
#
# test/run.sh - build xphere and run every test suite ("make test").
#
# Steps (each starts with a "==> " header line):
#   1. test/deps.sh: install missing Debian packages (quiet when none are)
#   2. build with warnings as errors, then install:
#        make clean && make COPT='-Wall -Wextra -Werror' && make install
#   3. C core unit tests: make -C test/unit check (TAP output)
#      3b. the same under ASan + UBSan (make -C test/unit sanitize), and
#          a short libFuzzer run of each fuzz target (make -C test/unit
#          fuzz FUZZ_RUNS=200000, sanitized too)
#   4. in ONE throw-away cluster made by pg_virtualenv, preloading xphere:
#      4a. make installcheck-regress (pg_regress over test/regress/sql;
#          shows regression.diffs on failure)
#      4b. make installcheck-pgtap (pg_prove over test/pgtap/*.sql, in a
#          fresh database $XPHERE_TEST_DB that it drops afterwards)
#      5.  every test/scripts/*.sh script (concurrency, crash, deployment
#          tests); exit status 0 passes, anything else fails; each script
#          counts as one test
#   6. a per-suite summary, then the last line of output:
#        N passed, N failed
#
# Exits 0 only if nothing failed and no step broke.  A step that breaks
# (deps, build, a cluster that does not start, a suite exiting non-zero
# without a failed test in its output) counts as one failed test.  If the
# build fails, nothing that needs the installed extension is run, so a
# stale installed copy is never tested.
#
# A selection ("make test TESTS='...'", or XPHERE_TESTS) runs only what it
# names, after the same build; each word is a suite (unit, sanitize, fuzz,
# regress, pgtap, scripts) or a file of one, by name or path: lending
# (test/pgtap/lending.sql), load (test/scripts/load.sh), io
# (test/regress/sql/io.sql), test/pgtap/wallet.sql.  A name that is a file
# of two suites (liabilities, param_types) runs both; an unknown word stops
# the run before the build (exit 2).  No selection runs everything: CI's
# "make test".
#
# Knobs (environment variables; the defaults are what "make test" uses):
#   XPHERE_TESTS          the selection above (default: empty, everything)
#   XPHERE_ROOT           source tree to test (default: this repository)
#   PG_CONFIG             pg_config to build with
#                         (default /usr/lib/postgresql/15/bin/pg_config)
#   XPHERE_COPT           COPT for the build (default -Wall -Wextra -Werror)
#   XPHERE_PRELOAD        shared_preload_libraries of the cluster
#                         (default xphere; empty = preload nothing)
#   XPHERE_TEST_DB        database pg_prove runs in (default xphere_test)
#   XPHERE_PGPORT         port of the cluster (default: a random free one
#                         in 54320-54919)
#   XPHERE_SCRIPT_TIMEOUT seconds a test script may run (default 900)
#   XPHERE_FUZZ_RUNS      executions per fuzz target in step 3b
#                         (default 200000; "make fuzz" runs 3000000)
#   XPHERE_VERBOSE=1      pg_prove --verbose (print every pgTAP line)
#
# Scripts of step 5 run in the repository root with the environment of
# pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE=postgres,
# PG_CONFIG, PGVERSION, PG_CLUSTER_CONF_ROOT), plus XPHERE_ROOT,
# XPHERE_TEST_DB, XPHERE_PG_MAJOR, XPHERE_CLUSTER (= "regress", so
# "pg_ctlcluster $XPHERE_PG_MAJOR $XPHERE_CLUSTER restart" works),
# XPHERE_PGDATA and XPHERE_PGBIN.
#
set -euo pipefail

# No prompts, ever: CI has no standard input.
exec </dev/null

SELF=$(readlink -f "${BASH_SOURCE[0]}")
SELF_DIR=$(dirname "$SELF")
ROOT=$(readlink -f "${XPHERE_ROOT:-$SELF_DIR/..}")
PG_MAJOR_WANTED=15
COPT_WERROR=${XPHERE_COPT:-'-Wall -Wextra -Werror'}
PRELOAD=${XPHERE_PRELOAD-xphere}
TEST_DB=${XPHERE_TEST_DB:-xphere_test}
SCRIPT_TIMEOUT=${XPHERE_SCRIPT_TIMEOUT:-900}
FUZZ_RUNS=${XPHERE_FUZZ_RUNS:-200000}
DIFF_LINES=300		# cap for regression.diffs output

step() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# record SUITE PASSED FAILED: append one suite's result to the summary file
# shared by the outer script and the part running inside the cluster.
record() {
	printf '%s %d %d\n' "$1" "$2" "$3" >>"$RUN_TMP/summary"
	note "$1: $2 passed, $3 failed"
}

# run_logged LOG CMD...: run CMD, show its output and keep a copy in LOG;
# returns CMD's exit status (pipefail: tee itself practically never fails).
run_logged() {
	local log=$1 rc=0
	shift
	"$@" 2>&1 | tee "$log" || rc=$?
	return "$rc"
}

# ---------------------------------------------------------------------------
# Result counting.  Each counter prints "PASSED FAILED" for a log file.

# Summary of a TAP::Harness run (prove, pg_prove):
#   Files=2, Tests=10, ...                       -> tests that ran
#   test/b.sql (Wstat: 256 (exited 1) Tests: 4 Failed: 1)
#     Parse errors: Bad plan.  You planned 5 tests but ran 4.
# A file that died or has a broken plan without any failed test counts as
# one failure.
count_prove_summary() {
	awk '
	/^Files=[0-9]+, Tests=[0-9]+/ {
		match($0, /Tests=[0-9]+/); total += substr($0, RSTART + 6, RLENGTH - 6)
		next
	}
	/\(Wstat: [0-9]+.*Tests: [0-9]+ +Failed: [0-9]+\)/ {
		match($0, /Wstat: [0-9]+/); w = substr($0, RSTART + 7, RLENGTH - 7) + 0
		match($0, /Failed: [0-9]+/); f = substr($0, RSTART + 8, RLENGTH - 8) + 0
		failed += f
		pending = (f == 0)	# file with no failed test: broken?
		if (pending && w != 0) { broken++; pending = 0 }
		next
	}
	/^ +Parse errors:/ { if (pending) { broken++; pending = 0 } }
	END {
		p = total - failed; if (p < 0) p = 0
		print p, failed + broken
	}' "$1"
}

# Raw TAP at the start of lines ("1..N", "ok N", "not ok N", "Bail out!"),
# possibly several plans in a row (one per test program).  "not ok # TODO"
# is an expected failure and counts as passed; planned tests that never
# ran count as failed, and so does output without any plan.  Output that
# carries a prove summary is counted by that summary instead (prove
# --verbose would repeat every line).
count_tap() {
	if grep -Eq '^Files=[0-9]+, Tests=[0-9]+' "$1"; then
		count_prove_summary "$1"
		return
	fi
	awk '
	/^1\.\.[0-9]+/		{ planned += substr($1, 4) + 0; seen_plan = 1; next }
	/^ok( |$)/		{ pass++; next }
	/^not ok( |$)/		{ if ($0 ~ /#[ \t]*[Tt][Oo][Dd][Oo]/) pass++; else fail++; next }
	/^Bail out!/		{ bail = 1 }
	END {
		run = pass + fail
		if (!seen_plan) fail++
		else if (planned > run) fail += planned - run
		else if (bail) fail++
		print pass + 0, fail + 0
	}' "$1"
}

# pg_regress / pg_isolation_regress, both output styles:
#   PG <= 15: "test io                  ... ok           12 ms"
#             "     io                  ... FAILED       12 ms" (parallel)
#             "test io                  ... failed (ignored)"
#   PG >= 16: "ok 1         - io                       12 ms"
#             "not ok 2     + io                       12 ms"
# plus the summary of TAP_TESTS (prove) if the Makefile has any.
count_regress() {
	local p f tp=0 tf=0
	read -r p f < <(awk '
	/^(test +| +)[^ ]+ +\.\.\. +/ {
		if ($0 ~ /\.\.\. +FAILED/) fail++
		else if ($0 ~ /\.\.\. +(ok|failed \(ignored\))/) pass++
		next
	}
	/^ok +[0-9]+ +[-+] .* ms( |$)/		{ pass++; next }
	/^not ok +[0-9]+ +[-+] .* ms( |$)/	{ fail++; next }
	END { print pass + 0, fail + 0 }' "$1")
	if grep -Eq '^Files=[0-9]+, Tests=[0-9]+' "$1"; then
		read -r tp tf < <(count_prove_summary "$1")
	fi
	echo "$((p + tp)) $((f + tf))"
}

# "ok - ..." / "not ok - ..." lines without a plan (make -C test/unit fuzz)
count_ok_lines() {
	awk '/^ok - / { p++ } /^not ok - / { f++ } END { print p + 0, f + 0 }' "$1"
}

# settle SUITE RC "P F": record a suite; a non-zero exit status without any
# counted failure still counts as one failure.
settle() {
	local suite=$1 rc=$2 p f
	read -r p f <<<"$3"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		note "$suite exited with status $rc"
		f=1
	fi
	record "$suite" "$p" "$f"
}

# ---------------------------------------------------------------------------
# The selection: SEL_ALL=1 (everything), or the suites in SEL_SUITES and
# the files in SEL_REGRESS (pg_regress names), SEL_PGTAP and SEL_SCRIPTS.

SEL_ALL=1 SEL_SUITES=" " SEL_REGRESS=() SEL_PGTAP=() SEL_SCRIPTS=()
select_tests() {
	local w name found
	SEL_ALL=0
	local words
	read -ra words <<<"$XPHERE_TESTS"	# split on blanks, no globbing
	for w in "${words[@]}"; do
		case $w in
		unit | sanitize | fuzz | regress | pgtap | scripts)
			SEL_SUITES+="$w "
			continue ;;
		esac
		name=${w##*/}
		name=${name%.sql}
		name=${name%.sh}
		found=0
		case $w in */* | *.sql | *.sh) ;; *) w= ;; esac
		if [ -f "test/regress/sql/$name.sql" ] && [[ -z $w || $w == *regress/* || $w == "$name.sql" ]] &&
			[[ $w != *pgtap/* ]]; then
			SEL_REGRESS+=("$name") found=1
		fi
		if [ -f "test/pgtap/$name.sql" ] && [[ -z $w || $w == *pgtap/* || $w == "$name.sql" ]]; then
			SEL_PGTAP+=("test/pgtap/$name.sql") found=1
		fi
		if [ -f "test/scripts/$name.sh" ] && [[ -z $w || $w == *.sh || $w == *scripts/* ]]; then
			SEL_SCRIPTS+=("test/scripts/$name.sh") found=1
		fi
		if [ -z "$name" ]; then
			found=0
		fi
		if [ "$found" -eq 0 ]; then
			echo "make test: no suite or test file called '${w:-$name}'" >&2
			echo "  suites: unit sanitize fuzz regress pgtap scripts" >&2
			echo "  files:  $(cd test && ls regress/sql/*.sql pgtap/*.sql scripts/*.sh |
				sed -E 's|.*/||; s/\.(sql|sh)$//' | sort -u | tr '\n' ' ')" >&2
			exit 2
		fi
	done
	# each file once, in the order named
	local -A seen=()
	local x kept=()
	for x in "${SEL_REGRESS[@]}"; do [ -n "${seen[r$x]:-}" ] || { seen[r$x]=1; kept+=("$x"); }; done
	SEL_REGRESS=("${kept[@]}") kept=()
	for x in "${SEL_PGTAP[@]}"; do [ -n "${seen[$x]:-}" ] || { seen[$x]=1; kept+=("$x"); }; done
	SEL_PGTAP=("${kept[@]}") kept=()
	for x in "${SEL_SCRIPTS[@]}"; do [ -n "${seen[$x]:-}" ] || { seen[$x]=1; kept+=("$x"); }; done
	SEL_SCRIPTS=("${kept[@]}")
}
# selected SUITE: whether the whole suite runs
selected() { [ "$SEL_ALL" -eq 1 ] || [[ $SEL_SUITES == *" $1 "* ]]; }

# ---------------------------------------------------------------------------
# Steps 4 and 5: runs inside pg_virtualenv (this script calls itself with
# --in-cluster), so PGHOST/PGPORT/... point at the throw-away cluster.

in_cluster() {
	local rc log p f
	cd "$ROOT"
	[ -n "${XPHERE_TESTS// /}" ] && select_tests
	PGBIN=$("$PG_CONFIG" --bindir)
	note "cluster: PostgreSQL $PGVERSION on $PGHOST:$PGPORT," \
		"shared_preload_libraries='$PRELOAD'"

	# 4a. pg_regress.  PGXS recreates its contrib_regression database.
	local regress_args=()
	if ! selected regress; then
		regress_args=(REGRESS="${SEL_REGRESS[*]}")
	fi
	if selected regress || [ "${#SEL_REGRESS[@]}" -gt 0 ]; then
	step "[4a] pg_regress: make installcheck-regress ${regress_args[*]}"
	log=$RUN_TMP/installcheck.log
	rc=0
	run_logged "$log" make --no-print-directory PG_CONFIG="$PG_CONFIG" \
		installcheck-regress "${regress_args[@]}" || rc=$?
	settle pg_regress "$rc" "$(count_regress "$log")"
	if [ "$rc" -ne 0 ]; then
		local diffs n
		for diffs in test/regress/regression.diffs; do
			[ -s "$diffs" ] || continue
			n=$(wc -l <"$diffs")
			if [ "$n" -gt "$DIFF_LINES" ]; then
				step "$diffs (first $DIFF_LINES of $n lines)"
			else
				step "$diffs"
			fi
			head -n "$DIFF_LINES" "$diffs"
		done
	fi
	fi

	# 4b. pgTAP.  Each file creates the extensions it needs itself; the
	# Makefile creates the database and drops it afterwards.
	local sqlfiles=()
	if selected pgtap; then
		shopt -s nullglob
		sqlfiles=(test/pgtap/*.sql)
		shopt -u nullglob
	else
		sqlfiles=("${SEL_PGTAP[@]}")
	fi
	if ! selected pgtap && [ "${#sqlfiles[@]}" -eq 0 ]; then
		:
	elif [ "${#sqlfiles[@]}" -eq 0 ]; then
		step "[4b] pgTAP"
		note "no test/pgtap/*.sql files"
		record pgTAP 0 1
	else
		step "[4b] pgTAP: make installcheck-pgtap PGTAP_DB=$TEST_DB (${#sqlfiles[@]} files)"
		local prove_flags=
		[ "${XPHERE_VERBOSE:-0}" = 1 ] && prove_flags=--verbose
		log=$RUN_TMP/pgtap.log
		rc=0
		run_logged "$log" make --no-print-directory PG_CONFIG="$PG_CONFIG" \
			installcheck-pgtap TESTS="${sqlfiles[*]}" PGTAP_DB="$TEST_DB" PROVE_FLAGS="$prove_flags" || rc=$?
		settle pgTAP "$rc" "$(count_prove_summary "$log")"
	fi

	# 5. test/scripts/*.sh (concurrency, crash, deployment tests), one
	# test each.  Scripts without the executable bit are run with bash
	# rather than silently skipped.
	local scripts=() s name
	if selected scripts; then
		shopt -s nullglob
		scripts=(test/scripts/*.sh)
		shopt -u nullglob
	else
		scripts=("${SEL_SCRIPTS[@]}")
	fi
	if ! selected scripts && [ "${#scripts[@]}" -eq 0 ]; then
		:
	elif [ "${#scripts[@]}" -eq 0 ]; then
		step "[5] test scripts"
		note "no test/scripts/*.sh files"
		record scripts 0 1
	else
		step "[5] test scripts: ${#scripts[@]} in test/scripts"
		export XPHERE_ROOT=$ROOT XPHERE_TEST_DB=$TEST_DB XPHERE_PGBIN=$PGBIN
		export XPHERE_PG_MAJOR=$PGVERSION XPHERE_CLUSTER=regress
		XPHERE_PGDATA=$(pg_conftool -s "$PGVERSION" regress show data_directory 2>/dev/null || true)
		export XPHERE_PGDATA
		p=0 f=0
		for s in "${scripts[@]}"; do
			name=${s#test/scripts/}
			printf -- '--- %s\n' "$s"
			rc=0
			if [ -x "$s" ]; then
				timeout -k 30 "$SCRIPT_TIMEOUT" "./$s" || rc=$?
			else
				timeout -k 30 "$SCRIPT_TIMEOUT" bash "$s" || rc=$?
			fi
			if [ "$rc" -eq 0 ]; then
				p=$((p + 1))
				echo "ok - $name"
			else
				f=$((f + 1))
				[ "$rc" -eq 124 ] && rc="$rc, timed out after ${SCRIPT_TIMEOUT}s"
				echo "not ok - $name (exit status $rc)"
			fi
		done
		record scripts "$p" "$f"
	fi

	touch "$RUN_TMP/cluster.done"
}

if [ "${1:-}" = "--in-cluster" ]; then
	in_cluster
	# A non-zero status makes pg_virtualenv print the tail of the server log.
	if awk '{ f += $3 } END { exit (f > 0) }' "$RUN_TMP/summary"; then
		exit 0
	fi
	exit 1
fi

# ---------------------------------------------------------------------------
# Outer part: steps 1-3, start the cluster for 4-5, print the summary.

RUN_TMP=$(mktemp -d -t xphere-test.XXXXXX)
export RUN_TMP
trap 'rm -rf "$RUN_TMP"' EXIT
: >"$RUN_TMP/summary"

# Print the per-suite table and the final "N passed, N failed" line (the
# last line of output), exit 1 if anything failed.
finish() {
	local total_p total_f
	step "summary"
	awk '{ printf "    %-12s %5d passed, %d failed\n", $1, $2, $3 }' "$RUN_TMP/summary"
	read -r total_p total_f < <(awk '{ p += $2; f += $3 } END { print p + 0, f + 0 }' \
		"$RUN_TMP/summary")
	echo "$total_p passed, $total_f failed"
	if [ "$total_f" -eq 0 ]; then
		exit 0
	fi
	exit 1
}

# pick_port: print a random port in 54320-54919 that nothing listens on.
pick_port() {
	local port
	for _ in {1..50}; do
		port=$((54320 + RANDOM % 600))
		[ -e "/var/run/postgresql/.s.PGSQL.$port" ] && continue
		# connecting succeeds only if somebody listens there
		(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
		echo "$port"
		return 0
	done
	return 1
}

cd "$ROOT"
if [ -n "${XPHERE_TESTS// /}" ]; then
	select_tests
	note "selection: $XPHERE_TESTS"
fi

# 1. Dependencies.
step "[1] dependencies: test/deps.sh"
if ! bash "$SELF_DIR/deps.sh"; then
	record deps 0 1
	finish
fi
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/$PG_MAJOR_WANTED/bin/pg_config}
if ! PG_CONFIG=$(command -v "$PG_CONFIG"); then
	echo "pg_config not found" >&2
	record deps 0 1
	finish
fi
PG_MAJOR=$("$PG_CONFIG" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
export PG_CONFIG
note "PG_CONFIG=$PG_CONFIG (PostgreSQL $PG_MAJOR)"

# make install writes below /usr: use sudo when not root and not writable.
SUDO=()
if [ "$(id -u)" -ne 0 ] && [ ! -w "$("$PG_CONFIG" --pkglibdir)" ] &&
	command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo -n)
fi

# 2. Build with warnings as errors, then install.
step "[2] build: make clean && make COPT='$COPT_WERROR' && make install"
build_ok=1
if ! { make PG_CONFIG="$PG_CONFIG" clean &&
	make PG_CONFIG="$PG_CONFIG" COPT="$COPT_WERROR" &&
	"${SUDO[@]}" make PG_CONFIG="$PG_CONFIG" install; }; then
	build_ok=0
	echo "build failed" >&2
	record build 0 1
fi

# 3. C core unit tests (independent of the server: run even if the build
# failed).
if selected unit; then
	step "[3] C unit tests: make -C test/unit check"
	log=$RUN_TMP/unit.log
	rc=0
	run_logged "$log" make -C test/unit PG_CONFIG="$PG_CONFIG" check || rc=$?
	settle unit "$rc" "$(count_tap "$log")"
fi

# 3b. The same tests built with clang's AddressSanitizer and
# UndefinedBehaviorSanitizer, then (3c) a short libFuzzer run of each fuzz
# target (also sanitized); "make fuzz" is the long run.
if selected sanitize; then
	step "[3b] sanitizers: make -C test/unit sanitize"
	log=$RUN_TMP/sanitize.log
	rc=0
	run_logged "$log" make -C test/unit sanitize || rc=$?
	settle sanitize "$rc" "$(count_tap "$log")"
fi
if selected fuzz; then
	step "[3c] fuzzing: make -C test/unit fuzz FUZZ_RUNS=$FUZZ_RUNS"
	log=$RUN_TMP/fuzz.log
	rc=0
	run_logged "$log" make -C test/unit fuzz FUZZ_RUNS="$FUZZ_RUNS" || rc=$?
	settle fuzz "$rc" "$(count_ok_lines "$log")"
fi

# 4-5. One throw-away cluster for pg_regress, pgTAP and the test scripts.
# -t keeps the cluster in a temporary directory even as root (nothing in
# /etc/postgresql, no clash with a leftover "regress" cluster); its
# directory must be reachable by the postgres user, hence TMPDIR=/tmp.
# A UTF-8 database with C collation keeps expected output deterministic.
if ! selected regress && ! selected pgtap && ! selected scripts &&
	[ $((${#SEL_REGRESS[@]} + ${#SEL_PGTAP[@]} + ${#SEL_SCRIPTS[@]})) -eq 0 ]; then
	finish
fi
step "[4] cluster: pg_virtualenv (PostgreSQL $PG_MAJOR)"
if [ "$build_ok" -ne 1 ]; then
	note "skipped: the build failed"
else
	# pg_virtualenv would create the cluster on $PGPORT if that is set (it
	# may point at a developer's own server), and otherwise on the first
	# free port from 5432 up, where other clusters come and go.  A random
	# unused port from 54320-54919 keeps a cluster that a crash test
	# restarts from losing its port to somebody else's new cluster.
	if port=${XPHERE_PGPORT:-$(pick_port)}; then
		export PGPORT=$port
	else
		unset PGPORT
	fi
	# Every cluster pg_virtualenv makes is called "regress" and would share
	# the pid file /var/run/postgresql/15-regress.pid, by which
	# pg_ctlcluster tells whether "its" cluster runs: with two runs at
	# once a restart in a crash test would fail.  Hence a pid file of our
	# own.
	pidfile=/var/run/postgresql/$PG_MAJOR-xphere-${PGPORT:-$$}.pid
	pv_opts=(-t -v "$PG_MAJOR" -c "--locale=C.UTF-8 --encoding=UTF8")
	[ -n "$PRELOAD" ] && pv_opts+=(-o "shared_preload_libraries=$PRELOAD")
	pv_opts+=(-o max_worker_processes=16 -o "external_pid_file=$pidfile")
	rc=0
	TMPDIR=/tmp pg_virtualenv "${pv_opts[@]}" \
		env XPHERE_ROOT="$ROOT" XPHERE_PRELOAD="$PRELOAD" PG_CONFIG="$PG_CONFIG" \
		XPHERE_TESTS="${XPHERE_TESTS:-}" \
		bash "$SELF" --in-cluster || rc=$?
	if [ ! -e "$RUN_TMP/cluster.done" ]; then
		echo "pg_virtualenv failed (exit status $rc) before all suites ran" >&2
		record cluster 0 1
	fi
fi

finish
