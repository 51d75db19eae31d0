#!/usr/bin/env bash
#
# test/meta.sh - META.json (PGXN meta-spec 1.0.0), LICENSE and the Debian
# changelog agree with the Makefile and xphere.control.
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
#     runtime prerequisites.
# No server needed; under a second.
#
set -euo pipefail
exec </dev/null

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
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

sys.exit(1 if fails else 0)
EOF
