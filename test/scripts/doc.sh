#!/usr/bin/env bash
#
# test/scripts/doc.sh - every SQL example of README.md and doc/*.md runs, and every
# result the documentation shows is the result xphere gives.
#
# Conventions of the Markdown files (doc/README.md says the same for
# writers):
#   ```sql            runs.  The ```sql blocks of one file run in order in
#                     one psql session (psql variables set by \gset and
#                     settings carry over), in a fresh database of its own;
#                     a block may not end inside a statement.
#   SELECT ...;  -- → 3.75
#                     an inline result: the output of the statements
#                     ending on that line (psql -At: unaligned, tuples
#                     only, columns separated by "|") must be exactly the
#                     text after the arrow; "(no rows)" means no output.
#   ```text           right after a ```sql block (blank lines between
#                     allowed): the output of that block's statements that
#                     show no inline result, compared line by line.
#   ERROR lines       in an output or a result they read
#                     "ERROR:  SQLSTATE: message"; an error that no result
#                     shows fails the block.
#   ...               in a result, stands for any text (an id that changes
#                     from run to run).
#   ```LANG norun: REASON
#                     any block that does not run (shell commands, a role
#                     with a placeholder password, pg_cron...) says so
#                     with a reason; it is counted and listed.  A block
#                     that is neither run, result nor norun fails.
# Roles the examples create (CREATE ROLE name) are cluster-wide: those that
# did not exist before a file ran are dropped after it.
#
# One "ok"/"not ok" line per block, with file:line; then the counts.
#
# Run by test/run.sh (PGHOST, PGPORT, PGUSER = a superuser, the extension
# installed); by hand:
#     pg_virtualenv -t bash test/scripts/doc.sh [FILE.md...]
#
set -euo pipefail
exec </dev/null

# shellcheck source=lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d -t xphere-doc.XXXXXX)
DBS=()
ROLES_MADE=()
started=$SECONDS

for tool in "$PGBIN/psql" "$PGBIN/createdb" "$PGBIN/dropdb" python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		not_ok "the tool $tool is missing"
		finish
	fi
done

drop_roles() {
	local r
	for r in "${ROLES_MADE[@]}"; do
		"$PGBIN/psql" -X -q -d postgres -c "DROP OWNED BY \"$r\"" -c "DROP ROLE \"$r\"" \
			>/dev/null 2>&1 || echo "# could not drop role $r"
	done
	ROLES_MADE=()
}
cleanup() {
	local db
	for db in "${DBS[@]}"; do
		"$PGBIN/dropdb" --if-exists --force "$db" >/dev/null 2>&1 || true
	done
	drop_roles
	rm -rf "$TMP"
	resume_worker
}
trap cleanup EXIT
# The background worker (when preloaded) would tick the examples' databases
# on the real clock, and a tick of its own makes an example's tick() skip:
# paused as test/scripts/upgrade.sh does (a cycle lists its databases when
# it starts, so none made afterwards is ticked).
pause_worker 1

# the parser and judge: "prepare FILE DIR" writes DIR/script.sql (the run
# blocks with segment markers), DIR/plan.json and prints the roles the
# file creates; "judge DIR LABEL" reads DIR/out and prints one line per
# block: "ok<TAB>text", "not_ok<TAB>text<TAB>diagnostics (\n escaped)",
# "skip<TAB>text", then "count<TAB>run<TAB>compared<TAB>norun"
cat >"$TMP/doctest.py" <<-'PYEOF'
	import json, os, re, sys

	MARK = '@@xphere-doc-segment@@'
	FENCE = re.compile(r'^(\s*)(`{3,}|~{3,})\s*(.*)$')
	ARROW = re.compile(r'^--\s*→\s?(.*)$')
	DOLLAR = re.compile(r'\$[A-Za-z_][A-Za-z_0-9]*\$|\$\$')

	def split_comment(line):
	    """code and trailing -- comment of a line (quotes respected)"""
	    q = None
	    i = 0
	    while i < len(line):
	        c = line[i]
	        if q:
	            if c == q:
	                q = None
	        elif c in "'\"":
	            q = c
	        elif line.startswith('--', i):
	            return line[:i], line[i:]
	        i += 1
	    return line, ''

	def blocks(path):
	    lines = open(path, encoding='utf-8').read().split('\n')
	    out, i = [], 0
	    while i < len(lines):
	        m = FENCE.match(lines[i])
	        if not m:
	            i += 1
	            continue
	        fence, info = m.group(2), m.group(3).strip()
	        start = i + 1
	        j = start
	        while j < len(lines) and not lines[j].strip().startswith(fence):
	            j += 1
	        words = info.split(None, 1)
	        out.append({'line': i + 1, 'lang': words[0] if words else '',
	                    'info': words[1] if len(words) > 1 else '',
	                    'body': lines[start:j], 'first': start + 1})
	        out[-1]['after'] = j + 1
	        i = j + 1
	    # blank-only gap to the previous block
	    for k in range(1, len(out)):
	        between = lines[out[k - 1]['after']:out[k]['line'] - 1]
	        out[k]['adjacent'] = all(not l.strip() for l in between)
	    if out:
	        out[0]['adjacent'] = False
	    return out

	def prepare(path, d):
	    plan, script, roles = [], ['\\set VERBOSITY verbose', '\\set SHOW_CONTEXT never'], []
	    seg = 0
	    script.append("\\echo '%s %d'" % (MARK, seg))
	    prev_run = None
	    for b in blocks(path):
	        entry = {'line': b['line'], 'lang': b['lang']}
	        norun = re.match(r'^norun\b[:\s]*(.*)$', b['info'])
	        if norun:
	            entry['kind'] = 'norun'
	            entry['reason'] = norun.group(1).strip()
	            prev_run = None
	        elif b['lang'] == 'sql' and not b['info']:
	            entry['kind'] = 'run'
	            entry['segments'] = []
	            dollar = False
	            pending = []
	            for n, text in enumerate(b['body']):
	                script.append(text)
	                code, comment = split_comment(text)
	                if len(DOLLAR.findall(code)) % 2:
	                    dollar = not dollar
	                m = ARROW.match(comment.strip())
	                if m:
	                    pending.append(m.group(1).strip())
	                meta = re.search(r'(^|\s)\\[a-z]', code) is not None
	                for r in re.findall(r'\bCREATE\s+(?:ROLE|USER)\s+("?)([A-Za-z_][A-Za-z_0-9]*)\1', code, re.I):
	                    roles.append(r[1].lower() if not r[0] else r[1])
	                if not dollar and (code.rstrip().endswith(';') or meta):
	                    seg += 1
	                    script.append("\\echo '%s %d'" % (MARK, seg))
	                    entry['segments'].append({'seg': seg, 'line': b['first'] + n,
	                                              'want': pending[-1] if pending else None})
	                    pending = []
	                elif m:
	                    entry['error'] = '%s:%d: a result shown on a line that ends no statement' % (
	                        os.path.basename(path), b['first'] + n)
	            code_lines = [b['first'] + k for k, t in enumerate(b['body'])
	                          if split_comment(t)[0].strip()]
	            last_end = entry['segments'][-1]['line'] if entry['segments'] else 0
	            if code_lines and code_lines[-1] > last_end:
	                entry['error'] = 'the block ends inside a statement'
	            prev_run = entry
	        elif b['lang'] == 'text' and b['adjacent'] and prev_run is not None and 'result' not in prev_run:
	            prev_run['result'] = b['body']
	            prev_run['result_line'] = b['line']
	            prev_run = None
	            continue
	        else:
	            entry['kind'] = 'unmarked'
	            prev_run = None
	        plan.append(entry)
	    open(os.path.join(d, 'script.sql'), 'w', encoding='utf-8').write('\n'.join(script) + '\n')
	    json.dump(plan, open(os.path.join(d, 'plan.json'), 'w'))
	    for r in sorted(set(roles)):
	        print(r)

	DROP = re.compile(r'^(DETAIL|HINT|LOCATION|CONTEXT|QUERY|STATEMENT|NOTICE|WARNING|INFO|LINE \d+):')

	def segments(out):
	    segs, cur = {}, None
	    for line in out.split('\n'):
	        if line.startswith(MARK + ' '):
	            cur = int(line.split()[1])
	            segs[cur] = []
	            continue
	        line = re.sub(r'^psql:[^:]*:\d+: ', '', line)
	        if cur is None or DROP.match(line) or re.match(r'^\s*\^\s*$', line):
	            continue
	        segs[cur].append(line)
	    # the output of segment k is printed before marker k
	    res = {}
	    keys = sorted(segs)
	    for a, b in zip(keys, keys[1:]):
	        res[b] = segs[a]
	    return res, segs.get(keys[-1], []) if keys else []

	def same(got, want):
	    if len(got) != len(want):
	        return False
	    for g, w in zip(got, want):
	        if '...' in w:
	            if not re.fullmatch('.*'.join(map(re.escape, w.split('...'))), g):
	                return False
	        elif g != w:
	            return False
	    return True

	def judge(d, label):
	    plan = json.load(open(os.path.join(d, 'plan.json')))
	    out = open(os.path.join(d, 'out'), encoding='utf-8', errors='replace').read()
	    res, tail = segments(out)
	    run = compared = norun = 0
	    for e in plan:
	        where = '%s:%d' % (label, e['line'])
	        if e['kind'] == 'norun':
	            if e['reason']:
	                norun += 1
	                print('skip\t%s %s block not run: %s' % (where, e['lang'] or 'plain', e['reason']))
	            else:
	                print('not_ok\t%s a norun block without a reason\t' % where)
	            continue
	        if e['kind'] == 'unmarked':
	            print('not_ok\t%s a ```%s block that is neither run nor marked norun\t' % (where, e['lang']))
	            continue
	        run += 1
	        problems, n = [], 0
	        if 'error' in e:
	            problems.append(e['error'])
	        allout = []
	        for s in e['segments']:
	            got = res.get(s['seg'])
	            if got is None:
	                problems.append('line %d: no output at all (psql stopped)' % s['line'])
	                continue
	            if s['want'] is not None:
	                n += 1
	                want = '' if s['want'] == '(no rows)' else s['want']
	                if not same(got, want.split('\n') if want else []):
	                    problems.append('line %d: got: %s | want: %s' % (
	                        s['line'], '\\n'.join(got) or '(no rows)', s['want']))
	                continue
	            allout += got
	            if 'result' not in e:
	                errs = [g for g in got if g.startswith('ERROR:')]
	                if errs:
	                    problems.append('line %d: %s' % (s['line'], errs[0]))
	        if 'result' in e:
	            n += 1
	            want = list(e['result'])
	            while want and not want[-1].strip():
	                want.pop()
	            if not same(allout, want):
	                problems.append('result at line %d differs: got:\\n%s\\nwant:\\n%s' % (
	                    e['result_line'], '\\n'.join(allout), '\\n'.join(want)))
	        compared += n
	        what = '%s sql block runs' % where + (', %d result(s) as shown' % n if n else '')
	        if problems:
	            print('not_ok\t%s\t%s' % (what, '\\n'.join(problems)))
	        else:
	            print('ok\t%s' % what)
	    print('count\t%d\t%d\t%d' % (run, compared, norun))

	if sys.argv[1] == 'prepare':
	    prepare(sys.argv[2], sys.argv[3])
	else:
	    judge(sys.argv[2], sys.argv[3])
PYEOF

if [ $# -gt 0 ]; then
	files=("$@")
else
	files=("$ROOT/README.md")
	for f in "$ROOT"/doc/*.md; do
		[ -e "$f" ] && files+=("$f")
	done
fi

total_run=0 total_compared=0 total_norun=0 i=0
for f in "${files[@]}"; do
	i=$((i + 1))
	label=${f#"$ROOT"/}
	d=$TMP/$i
	mkdir "$d"
	db=xphere_doc_$$_$i
	DBS+=("$db")
	echo "# $label"
	mapfile -t roles < <(python3 "$TMP/doctest.py" prepare "$f" "$d")
	for r in "${roles[@]}"; do
		exists=$("$PGBIN/psql" -X -qAt -d postgres -v r="$r" \
			<<<"SELECT count(*) FROM pg_roles WHERE rolname = :'r'" 2>/dev/null || echo unknown)
		if [ "$exists" = 0 ]; then
			ROLES_MADE+=("$r")
		else
			echo "# role $r exists already: its CREATE ROLE will fail and it is not dropped"
		fi
	done
	"$PGBIN/createdb" "$db"
	PGOPTIONS="-c client_min_messages=warning" \
		"$PGBIN/psql" -X -q -At -v ON_ERROR_STOP=0 -d "$db" -f "$d/script.sql" \
		>"$d/out" 2>&1 || echo "# psql exited with status $?"
	"$PGBIN/dropdb" --force "$db"
	drop_roles
	counted=0
	while IFS=$'\t' read -r verdict text detail; do
		case $verdict in
		ok) ok "$text" ;;
		skip) ok "$text # SKIP" ;;
		not_ok)
			not_ok "$text"
			[ -n "$detail" ] && printf '%b\n' "$detail" | diag
			;;
		count)
			read -r r c n <<<"$text${detail:+ $detail}"
			total_run=$((total_run + r))
			total_compared=$((total_compared + c))
			total_norun=$((total_norun + n))
			counted=1
			;;
		esac
	done < <(python3 "$TMP/doctest.py" judge "$d" "$label" 2>&1)
	[ "$counted" = 1 ] || not_ok "$label: its blocks could not be judged"
done

echo "# ${#files[@]} file(s): $total_run sql block(s) run, $total_compared result(s) compared, $total_norun block(s) not run"
check_true "the documentation has SQL examples that run" \
	"$([ "$total_run" -gt 0 ] && echo t)" "no sql block ran"
finish
