# xphere: PostgreSQL extension (PGXS)

# a recipe that fails leaves no half-written target behind
.DELETE_ON_ERROR:

EXTENSION = xphere
EXTVERSION = 0.2.0
MODULE_big = xphere

OBJS = \
	src/xphere.o \
	src/guc.o \
	src/trust.o \
	src/clock.o \
	src/fixed128.o \
	src/fixed_type.o \
	src/wad.o \
	src/ray.o \
	src/health_factor.o \
	src/prorate.o \
	src/interest.o \
	src/liquidation.o \
	src/secrets.o \
	src/liabilities.o \
	src/ledger.o \
	src/kept_plan.o \
	src/worker.o

# What ships is in sql/: the released install scripts, frozen (0.1.0), and
# the scripts make assembles: the install script of the current version,
# from the sources in sql/install/ (one folder per domain, listed below in
# the order they run), and the upgrade script, from the fragments in
# sql/upgrade/FROM--TO/ and the functions of the install sources
# (test/scripts/upgrade.sh proves that an updated database equals a fresh
# one).  Each source is marked in the assembled scripts ("-- source:
# FILE"), for "make locate" below.  At a release, the assembled upgrade
# script is committed and frozen as the install script is (moved to DATA):
# it must not take later versions' function bodies.
SQL_SCRIPT = sql/$(EXTENSION)--$(EXTVERSION).sql
RELEASED = sql/$(EXTENSION)--0.1.0.sql
UPGRADES = sql/$(EXTENSION)--0.1.0--0.2.0.sql
DATA = $(RELEASED)
DATA_built = $(SQL_SCRIPT) $(UPGRADES)
EXTRA_CLEAN = $(SQL_SCRIPT) $(UPGRADES) test/regress/results/ test/regress/regression.diffs test/regress/regression.out

# the install script's sources, in order (types/fixed_type.sql.in is a
# template, instantiated once for wad and once for ray)
INSTALL_SOURCES = \
	sql/install/header.sql \
	sql/install/types/aggregate_state.sql \
	sql/install/types/fixed_type.sql.in \
	sql/install/types/wad_ray.sql \
	sql/install/types/health_factor.sql \
	sql/install/types/enums.sql \
	sql/install/platform/base.sql \
	sql/install/users/users.sql \
	sql/install/ledger/ledger.sql \
	sql/install/ledger/wallet.sql \
	sql/install/mining/mining.sql \
	sql/install/platform/admin.sql \
	sql/install/staking/staking.sql \
	sql/install/lending/math.sql \
	sql/install/lending/pools.sql \
	sql/install/platform/invariants.sql \
	sql/install/platform/liabilities.sql \
	sql/install/platform/jobs.sql \
	sql/install/platform/security.sql \
	sql/install/platform/param_types.sql

REGRESS = io arithmetic casts indexes aggregates health_factor
REGRESS_OPTS = --inputdir=test/regress --outputdir=test/regress --load-extension=pgcrypto --load-extension=$(EXTENSION)

# "make installcheck" runs pg_regress (REGRESS) and then the pgTAP files
# (TESTS, with pg_prove in the database PGTAP_DB, created and dropped)
# against the installed server that PGHOST/PGPORT/PGUSER point at; it
# builds nothing.  "make installcheck-regress" and "make installcheck-pgtap"
# run one suite; naming only REGRESS or only TESTS on the command line
# runs only that suite.  See doc/testing.md.
NO_INSTALLCHECK = 1
TESTS ?= $(sort $(wildcard test/pgtap/*.sql))
# a name without a folder is a file of test/pgtap, as "make test TESTS=" takes it
PGTAP_FILES = $(foreach t,$(TESTS),$(if $(findstring /,$(t)),$(t),test/pgtap/$(patsubst %.sql,%,$(t)).sql))
PGTAP_DB ?= xphere_pgtap
PG_PROVE ?= pg_prove
PROVE_FLAGS ?=

# make locate LINE=N | CHAR=N [SCRIPT=sql/xphere--0.1.0--0.2.0.sql]: the
# source file and line of line N of an assembled script, or of the
# character N a syntax error of CREATE EXTENSION / ALTER EXTENSION UPDATE
# is logged at (PostgreSQL 15 names no line); it reads the script as it
# is, without rebuilding it (test/lib/locate.sh).
SCRIPT ?= $(SQL_SCRIPT)
.DEFAULT_GOAL := all
.PHONY: locate
locate:
	@if [ -n '$(CHAR)' ]; then bash test/lib/locate.sh '$(SCRIPT)' --char '$(CHAR)'; \
	else bash test/lib/locate.sh '$(SCRIPT)' '$(LINE)'; fi

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifeq ($(PGXS),)
# No PostgreSQL development files yet: "make test" installs them first.
.PHONY: test all
all:
	@echo "pg_config not found: install postgresql-server-dev-15 (or run 'make test')" >&2; exit 1
test:
	bash test/deps.sh
	$(MAKE) test
.PHONY: installcheck installcheck-regress installcheck-pgtap
installcheck installcheck-regress installcheck-pgtap:
	@echo "$@: pg_config not found: install postgresql-server-dev-15 or set PG_CONFIG" >&2; exit 1
.PHONY: demo
demo:
	bash test/deps.sh
	$(MAKE) demo
else
# PostgreSQL's headers are system headers here, so -Wextra reports our code only
PG_CPPFLAGS = -DXPHERE_VERSION='"$(EXTVERSION)"' -I$(srcdir)/src -isystem $(shell $(PG_CONFIG) --includedir-server)
include $(PGXS)

$(OBJS): $(wildcard src/*.h)

override CFLAGS += -std=gnu11

# "-- source: FILE" before each source (line 1 of FILE is the marker's
# next line); the template once per instance
$(SQL_SCRIPT): $(INSTALL_SOURCES)
	{ for f in $(INSTALL_SOURCES); do \
	    case $$f in \
	    *fixed_type.sql.in) \
	      echo "-- source: $$f (wad)"; \
	      sed -e 's/@T@/wad/g' -e 's/@SCALE@/18/g' -e 's/@INTCAST@/AS IMPLICIT/g' -e 's/@NUMCAST@/AS IMPLICIT/g' \
	          -e 's/@DESCRIPTION@/token amount or price: signed 128-bit fixed point, 18 decimal places/g' $$f; \
	      echo "-- source: $$f (ray)"; \
	      sed -e 's/@T@/ray/g' -e 's/@SCALE@/27/g' -e 's/@INTCAST@//g' -e 's/@NUMCAST@/AS ASSIGNMENT/g' \
	          -e 's/@DESCRIPTION@/interest index or rate: signed 128-bit fixed point, 27 decimal places/g' $$f;; \
	    *) echo "-- source: $$f"; cat $$f;; \
	    esac; \
	  done; } > $@

# sql/xphere--FROM--TO.sql: a header, the fragments of sql/upgrade/FROM--TO/
# in file-name order but the last (99_end.sql), every function of the
# install sources outside types/ again as CREATE OR REPLACE FUNCTION
# (sql/upgrade/functions.awk: the bodies of an update are the install
# sources'), then 99_end.sql; each part marked as the install sources are
UPGRADE_FRAGMENTS = $(sort $(wildcard sql/upgrade/0.1.0--0.2.0/*.sql))
UPGRADE_FUNCTIONS = $(filter-out sql/install/header.sql sql/install/types/%,$(INSTALL_SOURCES))
# (the folder too: a fragment removed or renamed changes its time)
$(UPGRADES): sql/upgrade/0.1.0--0.2.0 $(UPGRADE_FRAGMENTS) $(UPGRADE_FUNCTIONS) sql/upgrade/functions.awk
	{ printf '%s\n' '/*' \
	    ' * xphere: upgrade script 0.1.0--0.2.0, assembled by the Makefile' \
	    ' * from the fragments in sql/upgrade/0.1.0--0.2.0/ and the functions' \
	    ' * of the install sources.' ' */' \
	    '\echo Use "ALTER EXTENSION xphere UPDATE" to load this file. \quit'; \
	  for f in $(filter-out %/99_end.sql,$(UPGRADE_FRAGMENTS)); do echo "-- source: $$f"; cat $$f; done; \
	  awk -f sql/upgrade/functions.awk $(UPGRADE_FUNCTIONS) || exit 1; \
	  for f in $(filter %/99_end.sql,$(UPGRADE_FRAGMENTS)); do echo "-- source: $$f"; cat $$f; done; } > $@


# "make test" runs every suite (CI's command); "make test TESTS='lending
# load io'" builds the same way and runs only the named suites or files
# (see test/run.sh).  The selection reaches test/run.sh as XPHERE_TESTS,
# and the makes it runs do not inherit TESTS.
TEST_SELECTION = $(if $(filter command line,$(origin TESTS)),$(TESTS))
.PHONY: test unit
test:
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL XPHERE_TESTS='$(TEST_SELECTION)' bash test/run.sh

# The suites "make installcheck" runs: both, unless the command line names
# only REGRESS or only TESTS.
INSTALLCHECK_SUITES = installcheck-regress installcheck-pgtap
ifeq ($(origin REGRESS),command line)
ifneq ($(origin TESTS),command line)
INSTALLCHECK_SUITES = installcheck-regress
endif
else ifeq ($(origin TESTS),command line)
INSTALLCHECK_SUITES = installcheck-pgtap
endif

.PHONY: installcheck installcheck-regress installcheck-pgtap
installcheck:
	@failed=; \
	for suite in $(INSTALLCHECK_SUITES); do \
		$(MAKE) --no-print-directory $$suite || failed="$$failed $$suite"; \
	done; \
	if [ -n "$$failed" ]; then echo "installcheck: FAILED:$$failed" >&2; exit 1; fi; \
	echo "installcheck: passed ($(INSTALLCHECK_SUITES))"

installcheck-regress:
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)

# pg_prove and the pgtap extension are checked first, so that a missing
# one fails with a message saying which, rather than as failed tests.
installcheck-pgtap:
	@if [ -z "$(strip $(PGTAP_FILES))" ]; then \
		echo "$@: no pgTAP files (TESTS is empty)" >&2; exit 1; fi
	@command -v $(PG_PROVE) >/dev/null 2>&1 || { \
		echo "$@: $(PG_PROVE) not found: install pg_prove (Debian: libtap-parser-sourcehandler-pgtap-perl) or set PG_PROVE" >&2; \
		exit 1; }
	@n=$$('$(bindir)/psql' -X -At -d postgres \
		-c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgtap'") || { \
		echo "$@: cannot connect to the server (PGHOST, PGPORT, PGUSER)" >&2; exit 1; }; \
	if [ "$$n" != 1 ]; then \
		echo "$@: the pgtap extension is not installed in this server (Debian: postgresql-$(MAJORVERSION)-pgtap)" >&2; \
		exit 1; fi
	'$(bindir)/dropdb' --if-exists '$(PGTAP_DB)'
	'$(bindir)/createdb' '$(PGTAP_DB)'
	@rc=0; \
	echo "$(PG_PROVE) --norc --nocolor --failures -d $(PGTAP_DB) $(PROVE_FLAGS) $(PGTAP_FILES)"; \
	$(PG_PROVE) --norc --nocolor --failures -d '$(PGTAP_DB)' \
		--psql-bin '$(bindir)/psql' $(PROVE_FLAGS) $(PGTAP_FILES) || rc=$$?; \
	'$(bindir)/dropdb' '$(PGTAP_DB)' || rc=1; \
	exit $$rc

.PHONY: demo
demo:
	bash demo/run.sh

unit:
	$(MAKE) -C test/unit check

# The long runs, not part of "make test" (see README, Testing):
#   make fuzz    libFuzzer, FUZZ_RUNS (3 000 000) executions per target
#   make soak    test/scripts/load.sh for SOAK_SECONDS (600) with 8 clients, then
#                test/scripts/crash.sh with SOAK_CRASHES (50) immediate shutdowns
#   make bench   every benchmark of bench/, one throw-away cluster each
FUZZ_RUNS ?= 3000000
SOAK_SECONDS ?= 600
SOAK_CRASHES ?= 50
.PHONY: fuzz soak bench
fuzz:
	$(MAKE) -C test/unit fuzz FUZZ_RUNS=$(FUZZ_RUNS)

soak: install
	TMPDIR=/tmp pg_virtualenv -t -o shared_preload_libraries=xphere -o max_worker_processes=16 \
		env XPHERE_LOAD_SECONDS=$(SOAK_SECONDS) bash test/scripts/load.sh
	XPHERE_CRASH_ROUNDS=$(SOAK_CRASHES) bash test/scripts/crash.sh

bench: install
	for b in types liquidation ops scale memory dust liabilities; do bash bench/run.sh $$b || exit 1; done
endif
