#!/usr/bin/env bash
#
# test/scripts/package.sh - the Debian package postgresql-15-xphere builds, holds
# what it must, and passes "make installcheck" once installed.
#
# What it ensures:
#   * dpkg-buildpackage -us -uc -b builds postgresql-15-xphere at the
#     Makefile's EXTVERSION (Debian revision 1) from a copy of the source
#     tree without build products (the tracked and untracked, not ignored
#     files), with no compiler warning;
#   * the package holds the library, the control file, every versioned
#     SQL script (the frozen sql/xphere--0.1.0.sql byte for byte, the 0.2.0
#     install script, the 0.1.0--0.2.0 upgrade) and the JIT bitcode of
#     every object file, and nothing outside the PostgreSQL 15 library and
#     extension directories and its documentation directory;
#   * unpacked (dpkg-deb -x) into a copy of the system's PostgreSQL 15 tree
#     from which any other xphere was removed (the system installation is
#     never touched), it loads preloaded, CREATE EXTENSION xphere CASCADE
#     installs its default version, and "make installcheck" (pg_regress and
#     every pgTAP file) passes, run by an unprivileged OS user (nobody when
#     this script runs as root) from another clean copy of the tree with
#     only PGHOST/PGPORT/PGUSER and PG_CONFIG set; nothing is built there
#     and the pgTAP database is dropped afterwards;
#   * make installcheck-pgtap fails, saying why, when pg_prove is missing
#     and when the pgtap extension is missing.
# A tool it needs that is missing fails the script.  About two minutes on
# a 2-core machine (build 30 s, the pgTAP suite a minute).
#
# Run by test/run.sh; by hand, from anywhere: bash test/scripts/package.sh (as
# root or as a user who may run initdb; XPHERE_KEEP_TMP=1 keeps the
# temporary directory).
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_MAJOR=15
SYS_LIB=/usr/lib/postgresql/$PG_MAJOR
SYS_SHARE=/usr/share/postgresql/$PG_MAJOR
started=$SECONDS

for tool in dpkg-buildpackage dpkg-checkbuilddeps dpkg-deb dh pg_buildext \
	pg_prove git make python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		not_ok "the tool $tool is missing (test/deps.sh installs it)"
		finish
	fi
done
for f in "$SYS_LIB/bin/initdb" "$SYS_LIB/bin/pg_config" \
	"$SYS_LIB/lib/pgxs/src/makefiles/pgxs.mk" "$SYS_SHARE/extension/pgtap.control"; do
	if [ ! -e "$f" ]; then
		not_ok "$f is missing (postgresql-$PG_MAJOR, postgresql-server-dev-$PG_MAJOR, postgresql-$PG_MAJOR-pgtap)"
		finish
	fi
done

if ! git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	not_ok "$ROOT is not a git work tree: the clean copies are made from git ls-files"
	finish
fi

cluster_tmp package
chmod 755 "$TMP" "$SOCK"
trap cleanup_clusters EXIT

VERSION=$(sed -n 's/^EXTVERSION *= *//p' "$ROOT/Makefile")
PKG=postgresql-$PG_MAJOR-xphere
ARCH=$(dpkg-architecture -qDEB_HOST_ARCH)
DEB=$TMP/build/${PKG}_$VERSION-1_$ARCH.deb

# clean_copy DIR: the source tree without build products into DIR
clean_copy() {
	mkdir -p "$1"
	(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -e "$f" ] && printf '%s\0' "$f"
		done | xargs -0 cp -a --parents -t "$1")
}

# built_files DIR: build products found in DIR
built_files() {
	find "$1" \( -name '*.o' -o -name '*.so' -o -name '*.bc' \
		-o -name 'xphere--0.2.0.sql' -o -name 'xphere--0.1.0--0.2.0.sql' \) -print
}

# ---------------------------------------------------------------------------
# build

SRC=$TMP/build/xphere-$VERSION
clean_copy "$SRC"
check_empty "the copy of the source tree holds no build product" "$(built_files "$SRC")"

t0=$SECONDS
# MAKEFLAGS of a "make test" around this script would reach debian/rules
if (cd "$SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b) \
	>"$TMP/build.log" 2>&1 && [ -f "$DEB" ]; then
	ok "dpkg-buildpackage -us -uc -b builds ${DEB##*/} ($((SECONDS - t0)) s)"
else
	not_ok "dpkg-buildpackage -us -uc -b builds ${DEB##*/}"
	tail -40 "$TMP/build.log" | diag
	ls "$TMP/build" | diag
	finish
fi
check_empty "the build gives no compiler warning" \
	"$(grep -E 'warning:' "$TMP/build.log" || true)"
check "the package is $PKG $VERSION-1" \
	"$(dpkg-deb -f "$DEB" Package Version | tr '\n' ' ')" "Package: $PKG Version: $VERSION-1 "
check_true "it depends on postgresql-$PG_MAJOR" \
	"$(dpkg-deb -f "$DEB" Depends | grep -Eq "(^|, )postgresql-$PG_MAJOR(,|$| )" && echo t)" \
	"Depends: $(dpkg-deb -f "$DEB" Depends)"

# ---------------------------------------------------------------------------
# file list

dpkg-deb -c "$DEB" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|' | sort >"$TMP/files"
want=(
	"$SYS_LIB/lib/xphere.so"
	"$SYS_SHARE/extension/xphere.control"
	"$SYS_SHARE/extension/xphere--0.1.0.sql"
	"$SYS_SHARE/extension/xphere--$VERSION.sql"
	"$SYS_SHARE/extension/xphere--0.1.0--$VERSION.sql"
	"$SYS_LIB/lib/bitcode/xphere.index.bc"
)
for o in $(sed -n '/^OBJS = /,/^$/p' "$ROOT/Makefile" | grep -o 'src/[a-z0-9_]*\.o'); do
	want+=("$SYS_LIB/lib/bitcode/xphere/${o%.o}.bc")
done
missing=$(for f in "${want[@]}"; do grep -qxF "$f" "$TMP/files" || echo "$f"; done)
check_empty "the package holds the library, the control file, the three SQL scripts and $((${#want[@]} - 5)) bitcode files" \
	"$missing"
check "the package holds no other SQL script than those" \
	"$(grep -c '/extension/xphere--.*\.sql$' "$TMP/files")" 3
check_empty "every file is in the library, extension or documentation directory" \
	"$(grep -Ev "^($SYS_LIB/lib/(xphere\.so|bitcode/xphere(\.index\.bc|/.*\.bc))|$SYS_SHARE/extension/xphere[-.][^/]*|/usr/share/doc/$PKG/.*)$" \
		"$TMP/files" || true)"
check_true "its documentation holds the README and the copyright file" \
	"$(grep -qx "/usr/share/doc/$PKG/README.md.gz" "$TMP/files" &&
		grep -qx "/usr/share/doc/$PKG/copyright" "$TMP/files" && echo t)" \
	"files: $(grep /usr/share/doc "$TMP/files" | tr '\n' ' ')"

# ---------------------------------------------------------------------------
# a PostgreSQL tree of our own with the package unpacked into it

TREE=$TMP/pg
mkdir -p "$TREE$SYS_LIB" "$TREE$SYS_SHARE"
cp -a "$SYS_LIB/." "$TREE$SYS_LIB/"
cp -a "$SYS_SHARE/." "$TREE$SYS_SHARE/"
rm -rf "$TREE$SYS_LIB/lib/xphere.so" "$TREE$SYS_LIB/lib/bitcode/xphere" \
	"$TREE$SYS_LIB/lib/bitcode/xphere.index.bc" "$TREE$SYS_SHARE"/extension/xphere[-.]*
dpkg-deb -x "$DEB" "$TREE"
PGBIN=$TREE$SYS_LIB/bin
TREE_PG_CONFIG=$PGBIN/pg_config
check "the tree's pg_config finds the extension directory in the tree" \
	"$("$TREE_PG_CONFIG" --sharedir)" "$TREE$SYS_SHARE"
check "the unpacked xphere--0.1.0.sql is the frozen sql/xphere--0.1.0.sql" \
	"$(cmp "$ROOT/sql/xphere--0.1.0.sql" "$TREE$SYS_SHARE/extension/xphere--0.1.0.sql" && echo same)" same

free_port
new_cluster main "$PORT" "shared_preload_libraries = 'xphere'" "max_worker_processes = 16"
start_cluster main
check "CREATE EXTENSION xphere CASCADE installs version $VERSION from the package" \
	"$(q "$PORT" postgres -c 'CREATE DATABASE pkg_probe' &&
		q "$PORT" pkg_probe -c 'SET client_min_messages = warning' \
			-c 'CREATE EXTENSION xphere CASCADE' \
			-c "SELECT extversion FROM pg_extension WHERE extname = 'xphere'" &&
		q "$PORT" postgres -c 'DROP DATABASE pkg_probe')" "$VERSION"
pid=$(head -1 "$TMP/main/postmaster.pid")
check_true "the server preloaded the packaged library" \
	"$(grep -qF "$TREE$SYS_LIB/lib/xphere.so" "/proc/$pid/maps" && echo t)" \
	"libraries mapped: $(grep -o '/[^ ]*\.so[^ ]*$' "/proc/$pid/maps" | sort -u | tr '\n' ' ')"

# ---------------------------------------------------------------------------
# make installcheck as an ordinary OS user, from a clean copy

CHECK=$TMP/check
clean_copy "$CHECK"
RUNAS=()
if [ "$(id -u)" = 0 ]; then
	chown -R nobody: "$CHECK"
	RUNAS=(runuser -u nobody --)
fi
# as_user CMD...: CMD in $CHECK as that user, with only PATH, HOME, LANG
# and the PG* variables of the cluster
as_user() {
	(cd "$CHECK" && "${RUNAS[@]}" env -i PATH=/usr/local/bin:/usr/bin:/bin \
		HOME="$CHECK" LANG=C.UTF-8 PGHOST="$SOCK" PGPORT="$PORT" PGUSER=postgres "$@")
}
t0=$SECONDS
rc=0
as_user make --no-print-directory PG_CONFIG="$TREE_PG_CONFIG" installcheck \
	>"$TMP/installcheck.log" 2>&1 || rc=$?
if [ "$rc" -eq 0 ]; then
	ok "make installcheck passes as $(as_user id -un) against the packaged xphere ($((SECONDS - t0)) s)"
else
	not_ok "make installcheck passes as $(as_user id -un) against the packaged xphere (exit status $rc)"
	grep -v NOTICE "$TMP/installcheck.log" | tail -40 | diag
	[ -f "$CHECK/test/regress/regression.diffs" ] && head -60 "$CHECK/test/regress/regression.diffs" | diag
fi
n_regress=$(wc -w <<<"$(sed -n 's/^REGRESS = //p' "$ROOT/Makefile")")
check "pg_regress ran its $n_regress tests and they passed" \
	"$(grep -cE '^test [a-z_]+ +\.\.\. ok' "$TMP/installcheck.log")" "$n_regress"
n_pgtap=$(find "$ROOT/test/pgtap" -maxdepth 1 -name '*.sql' | wc -l)
check "pg_prove ran the $n_pgtap pgTAP files and they passed" \
	"$(grep -E '^(Files=[0-9]+|Result: )' "$TMP/installcheck.log" | sed -E 's/,.*//' | tr '\n' ' ')" \
	"Files=$n_pgtap Result: PASS "
check_empty "make installcheck built nothing" "$(built_files "$CHECK")"
check "the pgTAP database was dropped" \
	"$(q "$PORT" postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'xphere_pgtap'")" 0

# make installcheck-pgtap without pg_prove, then without pgtap: a failure
# that says which
rc=0
out=$(as_user make --no-print-directory PG_CONFIG="$TREE_PG_CONFIG" \
	PG_PROVE=/nonexistent/pg_prove installcheck-pgtap 2>&1) || rc=$?
check_true "without pg_prove, installcheck-pgtap fails and says so" \
	"$([ "$rc" -ne 0 ] && grep -q 'pg_prove not found' <<<"$out" && echo t)" \
	"exit status $rc, output: $out"
mkdir "$TMP/pgtap-away"
mv "$TREE$SYS_SHARE"/extension/pgtap.control "$TMP/pgtap-away/"
rc=0
out=$(as_user make --no-print-directory PG_CONFIG="$TREE_PG_CONFIG" installcheck \
	REGRESS=io TESTS=test/pgtap/types.sql 2>&1) || rc=$?
mv "$TMP/pgtap-away/pgtap.control" "$TREE$SYS_SHARE/extension/"
check_true "without the pgtap extension, installcheck fails and says so" \
	"$([ "$rc" -ne 0 ] && grep -q 'pgtap extension is not installed' <<<"$out" && echo t)" \
	"exit status $rc, output: $(tail -5 <<<"$out")"

finish
