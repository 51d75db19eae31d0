#!/usr/bin/env bash
#
# test/scripts/meta.sh - META.json (PGXN meta-spec 1.0.0), LICENSE and the
# Debian changelog agree with the Makefile and xphere.control; the
# assembled scripts map back to their sources.
#
# What it ensures:
#   * META.json is valid JSON with every key meta-spec 1.0.0 requires
#     (name, version, abstract, maintainer, license, provides with file and
#     version for each extension, meta-spec.version 1.0.0), its version a
#     semantic version;
#   * its version, provides.xphere.version, the Makefile's EXTVERSION,
#     xphere.control's default_version and the upstream version of the
#     newest debian/changelog entry are one and the same;
#   * provides.xphere.file and docfile exist; the license is postgresql
#     and LICENSE is the PostgreSQL License; PostgreSQL 15 and pgcrypto are
#     runtime prerequisites;
#   * every line of the assembled install and upgrade scripts is the line
#     of the source its "-- source:" marker names (the functions the
#     upgrade copies from the install sources included), and "make locate
#     LINE=N" (test/lib/locate.sh) names it;
#   * xphere_internal.errcode() maps the names and codes of src/errcodes.h.
# No server needed (the scripts must be built); a few seconds.
#
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

if ! command -v python3 >/dev/null 2>&1; then
	echo "not ok - the tool python3 is missing"
	exit 1
fi

python3 - <<'EOF'
import json, os, re, sys

fails = 0
def check(desc, cond, detail=""):
    global fails
    print(("ok - " if cond else "not ok - ") + desc)
    if not cond:
        fails += 1
        if detail:
            print("#   " + detail)

try:
    meta = json.load(open("META.json", encoding="utf-8"))
except (OSError, ValueError) as e:
    check("META.json is valid JSON", False, str(e))
    sys.exit(1)
check("META.json is valid JSON", isinstance(meta, dict))

required = ["name", "version", "abstract", "maintainer", "license",
            "provides", "meta-spec"]
missing = [k for k in required if not meta.get(k)]
check("META.json has every required key (%s)" % ", ".join(required),
      not missing, "missing: %s" % missing)
check("meta-spec version is 1.0.0",
      meta.get("meta-spec", {}).get("version") == "1.0.0")
check("name is xphere", meta.get("name") == "xphere")
semver = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")
check("version is a semantic version", bool(semver.match(str(meta.get("version")))),
      repr(meta.get("version")))

provides = meta.get("provides", {})
bad = [e for e, p in provides.items()
       if not isinstance(p, dict) or not p.get("file") or not p.get("version")]
check("every provided extension has a file and a version", provides and not bad,
      "incomplete: %s" % bad)
x = provides.get("xphere", {})
check("provides.xphere.file (%s) exists" % x.get("file"),
      bool(x.get("file")) and os.path.isfile(x["file"]))
check("provides.xphere.docfile (%s) exists" % x.get("docfile"),
      bool(x.get("docfile")) and os.path.isfile(x["docfile"]))

makefile = open("Makefile", encoding="utf-8").read()
m = re.search(r"^EXTVERSION\s*=\s*(\S+)\s*$", makefile, re.M)
extversion = m.group(1) if m else None
control = open("xphere.control", encoding="utf-8").read()
m = re.search(r"^default_version\s*=\s*'([^']*)'", control, re.M)
default_version = m.group(1) if m else None
first = open("debian/changelog", encoding="utf-8").readline()
m = re.match(r"^\S+ \(([^)-]+)-[^)]+\)", first)
debian_upstream = m.group(1) if m else None
versions = {
    "META.json version": meta.get("version"),
    "provides.xphere.version": x.get("version"),
    "Makefile EXTVERSION": extversion,
    "xphere.control default_version": default_version,
    "debian/changelog upstream version": debian_upstream,
}
check("META.json version = provides.xphere.version = EXTVERSION = default_version"
      " = debian/changelog's (%s)" % extversion,
      extversion is not None and set(versions.values()) == {extversion},
      "; ".join("%s: %s" % kv for kv in versions.items()))

check("license is postgresql", meta.get("license") == "postgresql")
lic = open("LICENSE", encoding="utf-8").read() if os.path.isfile("LICENSE") else ""
check("LICENSE is the PostgreSQL License of the xphere developers",
      lic.startswith("PostgreSQL License")
      and "Copyright (c) 2026, The xphere developers" in lic
      and "Permission to use, copy, modify, and distribute this software" in lic)

runtime = meta.get("prereqs", {}).get("runtime", {}).get("requires", {})
check("runtime prerequisites: PostgreSQL 15 and pgcrypto",
      str(runtime.get("PostgreSQL", "")).startswith("15.") and "pgcrypto" in runtime,
      "runtime requires: %s" % runtime)

# The assembled scripts (built by make before the scripts run): every line
# of sql/xphere--EXTVERSION.sql and of each upgrade script is the line of
# the source its "-- source: FILE" marker names (the template's lines with
# its @NAME@ placeholders filled in), so "make locate LINE=N" is right.
import glob, subprocess
assembled = ["sql/xphere--%s.sql" % extversion] + sorted(
    f for f in glob.glob("sql/xphere--*--*.sql"))
for script in assembled:
    if not os.path.isfile(script):
        check("%s is built (make)" % script, False, "run make first")
        continue
    lines = open(script, encoding="utf-8").read().split("\n")
    src, start, bad, marked = None, 0, [], set()
    for n, text in enumerate(lines, 1):
        if text.startswith("-- source: "):
            src, start = text[len("-- source: "):], n
            marked.add(src.split(" (")[0].split(":")[0])
            continue
        if src is None:
            continue
        path, base = src.split(" (")[0], 0
        if src.endswith(" (function)"):
            # copied by sql/upgrade/functions.awk from FILE:LINE on, its
            # first line made CREATE OR REPLACE FUNCTION
            path, base = path.rsplit(":", 1)
            base = int(base) - 1
            if n == start + 1:
                text = text.replace("CREATE OR REPLACE FUNCTION ", "CREATE FUNCTION ", 1)
        srclines = open(path, encoding="utf-8").read().split("\n")
        i = base + n - start - 1
        want = srclines[i] if i < len(srclines) else None
        if want is None:
            ok = text == ""
        elif "@" in want:
            pattern = re.escape(want)
            pattern = re.sub(r"@[A-Z]+@", ".*", pattern)
            ok = re.fullmatch(pattern, text) is not None
        else:
            ok = text == want
        if not ok:
            bad.append("%s:%d is not %s:%d" % (script, n, path, n - start))
    check("every line of %s is the line its source marker names (%d sources)"
          % (script, len(marked)), marked and not bad, "; ".join(bad[:5]))
    # make locate names the same place, for a line in the middle of each source
    markers = [n for n, text in enumerate(lines, 1) if text.startswith("-- source: ")]
    sample = [a + max(1, (b - a) // 2) for a, b in zip(markers, markers[1:] + [len(lines) + 1])
              if b - a > 1]
    wrong = []
    for n in sample:
        out = subprocess.run(["bash", "test/lib/locate.sh", script, str(n)],
                             capture_output=True, text=True)
        m = re.match(r"([^:]+):(\d+): ", out.stdout)
        if out.returncode != 0 or not m:
            wrong.append("line %d: %s" % (n, (out.stdout or out.stderr).strip()))
            continue
        # the line locate names, read from its file, is the script's line
        flines = open(m.group(1), encoding="utf-8").read().split("\n") \
            if os.path.isfile(m.group(1)) else []
        k = int(m.group(2))
        got = flines[k - 1] if 1 <= k <= len(flines) else None
        if got is None:
            wrong.append("line %d: locate says %s:%d, past its end" % (n, m.group(1), k))
            continue
        text = lines[n - 1].replace("CREATE OR REPLACE FUNCTION ", "CREATE FUNCTION ", 1)
        if "@" in got:
            ok = re.fullmatch(re.sub(r"@[A-Z]+@", ".*", re.escape(got)), text) is not None
        else:
            ok = got == text
        if not ok:
            wrong.append("line %d: locate says %s:%s, which is %r" % (n, m.group(1), m.group(2), got))
    # make locate CHAR=N: the character PostgreSQL logs a syntax error at,
    # counted in the script as it runs it (\\echo lines emptied,
    # MODULE_PATHNAME and @extschema@ replaced), names the same line
    ran = re.sub(r"(?m)^\\echo.*$", "", "\n".join(lines))
    ran = ran.replace("MODULE_PATHNAME", "$libdir/xphere").replace("@extschema@", "xphere")
    starts = [0] + [i + 1 for i, c in enumerate(ran) if c == "\n"]
    for n in sample[:40]:
        by_line = subprocess.run(["bash", "test/lib/locate.sh", script, str(n)],
                                 capture_output=True, text=True).stdout
        by_char = subprocess.run(["bash", "test/lib/locate.sh", script, "--char",
                                  str(starts[n - 1] + 1 + min(3, len(lines[n - 1])))],
                                 capture_output=True, text=True).stdout
        if not by_line or by_line.split(": ")[0] != by_char.split(": ")[0]:
            wrong.append("line %d: by line %r, by character %r" % (n, by_line.strip(), by_char.strip()))
    check("make locate names the source line of %s (%d lines, one in the middle of each source)"
          % (script, len(sample)), sample and not wrong, "; ".join(wrong[:5]))

# The XP SQLSTATEs by name: xphere_internal.errcode() (platform/base.sql)
# maps exactly the names and codes of src/errcodes.h.
hdr = {m.group(1).lower(): "".join(m.group(2).split("','"))
       for m in re.finditer(r"#define ERRCODE_XP_(\w+)\s+MAKE_SQLSTATE\('([^)]*)'\)",
                            open("src/errcodes.h", encoding="utf-8").read())}
base = open("sql/install/platform/base.sql", encoding="utf-8").read()
sql = dict(re.findall(r"WHEN '([a-z_]+)' THEN '(XP\d{3})'", base))
check("xphere_internal.errcode() names the %d codes of src/errcodes.h as it does" % len(hdr),
      hdr and hdr == sql, "errcodes.h: %s; base.sql: %s" % (hdr, sql))

sys.exit(1 if fails else 0)
EOF
