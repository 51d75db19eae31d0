#!/usr/bin/env bash
#
# test/deps.sh - install the Debian 12 packages needed to build and test
# xphere (PostgreSQL 15 server + headers, pgTAP, pg_cron, pg_prove,
# IPC::Run, GMP, clang-14 for the JIT bitcode, a C toolchain, python3,
# debhelper/pg_buildext to build the Debian package, and gnuplot for the
# demo's chart).
#
# Idempotent: dpkg-query decides which packages are missing; "apt-get update"
# and "apt-get install" only run when something is missing.  Prints nothing
# when everything is already installed; the apt-get output is only shown if
# installing fails.  Needs root (or a working sudo) when it has to install.
#
# Usage: bash test/deps.sh            install what is missing
#        bash test/deps.sh --check    only report what is missing (exit 1)
#
set -euo pipefail

PACKAGES=(
	postgresql-15
	postgresql-server-dev-15
	postgresql-common                      # pg_virtualenv, pg_createcluster
	postgresql-15-pgtap
	postgresql-15-cron
	libtap-parser-sourcehandler-pgtap-perl # pg_prove
	libipc-run-perl
	libgmp-dev
	clang-14
	libclang-rt-14-dev
	make
	gcc
	python3
	bc                                     # test/security/stall.sh
	python3-psycopg                        # examples/python, test/scripts/examples.sh
	procps                                 # ps in test/scripts/worker.sh
	nodejs                                 # examples/node, test/scripts/clients.sh
	pgbouncer                              # test/scripts/pgbouncer.sh
	dpkg-dev                               # test/scripts/package.sh: dpkg-buildpackage
	build-essential                        # dpkg-buildpackage checks for it
	debhelper
	postgresql-server-dev-all              # pg_buildext, dh --with pgxs_loop
	git                                    # test/scripts/package.sh: clean copies
	gnuplot-nox                            # demo/chart.sh, test/scripts/demo_chart.sh
)
# npm is a package of its own next to Debian's nodejs; a nodejs that brings
# its own npm (NodeSource's) conflicts with Debian's npm package.
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

# A package counts as present only if dpkg says "install ok installed";
# half-installed or removed-but-configured packages are reinstalled.
missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [ "$status" != "install ok installed" ]; then
		missing+=("$pkg")
	fi
done

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "${1:-}" = "--check" ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	exit 1
fi

# Run apt-get as root, through sudo when we are not root.
if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1; then
	SUDO=(sudo -n)
else
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run this script as root (or install sudo) to install them" >&2
	exit 1
fi

echo "deps: installing ${missing[*]}"

log=$(mktemp -t xphere-deps.XXXXXX)
trap 'rm -f "$log"' EXIT

export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get update -q >"$log" 2>&1 ||
   ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -q --no-install-recommends "${missing[@]}" \
	</dev/null >>"$log" 2>&1; then
	cat "$log" >&2
	echo "deps: apt-get failed" >&2
	exit 1
fi
