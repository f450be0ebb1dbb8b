#!/usr/bin/env bash
# Runs old-API versions of issue 10's defect tests on the code before the fixes (e849a3c) with the strict
# simulator of 6752f3b copied in, and prints each test's result. README.md beside this script says why and
# what each directory holds.
#
#   tools/before-fix/run.sh [--relax-task-set-tags] [--worktree DIR] TESTDIR [TestClass ...]
#
#   TESTDIR               a directory of .java test sources (e.g. tools/before-fix/A); each file is copied to
#                         src/test/java/<its package>/ of the old worktree, whatever its place in TESTDIR
#   TestClass ...         simple names of the classes to run; default: every *Test.java in TESTDIR
#   --relax-task-set-tags apply tools/before-fix/relax-task-set-tags.patch to the copied simulator (it then
#                         accepts TagResource on a task set, so a canary of the old code gets past defect 6);
#                         when the patch is missing the run goes on without it and says so
#   --worktree DIR        where the old code is checked out (default /tmp/before-fix-<TESTDIR's name>); made
#                         with `git worktree add` if absent, else reset to e849a3c (target/ is kept, so a
#                         second run compiles less)
#
# Offline: Maven runs with -o (the old pom's jqwik, the one dependency missing from ~/.m2, is dropped along
# with its one test). Exit status: 0 when the tests ran (whatever their results), 1 on a build failure,
# 2 on a usage error.
set -euo pipefail

OLD=e849a3c      # the code before the fixes: the code under test, never edited outside the simulator
STRICT=6752f3b   # the strict simulator of the earlier run, still in the single-module layout

usage() { sed -n '5,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

relax=false
worktree=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --relax-task-set-tags) relax=true; shift ;;
    --worktree) [[ $# -ge 2 ]] || usage; worktree=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || usage
testdir=$(cd "$1" && pwd); shift
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(git -C "$here" rev-parse --show-toplevel)
patch="$here/relax-task-set-tags.patch"
worktree=${worktree:-/tmp/before-fix-$(basename "$testdir")}

mapfile -t sources < <(find "$testdir" -name '*.java' | sort)
[[ ${#sources[@]} -gt 0 ]] || { echo "no .java files in $testdir" >&2; exit 2; }
if [[ $# -gt 0 ]]; then
  classes=("$@")
else
  mapfile -t classes < <(for f in "${sources[@]}"; do b=$(basename "$f" .java); [[ $b == *Test ]] && echo "$b"; done)
fi
[[ ${#classes[@]} -gt 0 ]] || { echo "no test classes to run" >&2; exit 2; }

echo "== old code $OLD with the strict simulator of $STRICT in $worktree"
# Step 1: the old code, fresh (untracked files such as earlier copied tests go; ignored target/ stays).
if git -C "$worktree" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$worktree" checkout -q --force --detach "$OLD"
  git -C "$worktree" clean -fdq
else
  git -C "$repo" worktree add -q --detach "$worktree" "$OLD"
fi
cd "$worktree"

# Step 2: the strict simulator (its packages only; the operator's packages are the code under test).
git checkout -q "$STRICT" -- src/main/java/io/ecsbluegreen/sim src/main/resources/io/ecsbluegreen/sim
# The build offline: jqwik 1.10.1 is not in ~/.m2 (main dropped it), and RandomizedScenarioTest is its only user.
python3 - <<'PY'
import re
p = 'pom.xml'
s = open(p).read()
s = re.sub(r'\s*<dependency>\s*<groupId>net\.jqwik</groupId>.*?</dependency>', '', s, flags=re.S)
open(p, 'w').write(s)
PY
rm -f src/test/java/io/ecsbluegreen/loop/RandomizedScenarioTest.java
# The old harness waits up to two simulated hours for a rollout; 20 minutes is enough to tell a stall.
sed -i 's/for (int i = 0; i < 1440; i++)/for (int i = 0; i < 240; i++)/' src/test/java/io/ecsbluegreen/loop/EngineOnSimulatorTest.java

relaxation="none"
if $relax; then
  if [[ -f "$patch" ]]; then
    git apply "$patch"
    relaxation="relax-task-set-tags.patch applied (the simulator accepts TagResource on a task set)"
  else
    relaxation="RELAXATION REQUESTED BUT NOT APPLIED: $patch is missing"
    echo "!! $relaxation" >&2
  fi
fi

# Step 3: the old-API tests, each into its package's directory.
for f in "${sources[@]}"; do
  pkg=$(sed -n 's/^package \([a-zA-Z0-9_.]*\);.*/\1/p' "$f" | head -1)
  [[ -n $pkg ]] || { echo "no package line in $f" >&2; exit 2; }
  mkdir -p "src/test/java/${pkg//.//}"
  cp "$f" "src/test/java/${pkg//.//}/"
done

# Step 4: only the named classes, in the default surefire execution (surefire:test alone, so the pom's
# extra ssh-tests execution does not run them a second time); failures do not stop the build, the reports say.
rm -rf target/surefire-reports
list=$(IFS=,; echo "${classes[*]}")
log="$worktree/target/before-fix-run.log"
mkdir -p target
echo "== running $list (relaxation: $relaxation); Maven log: $log"
if ! ./mvnw -B -o test-compile surefire:test -Dtest="$list" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dmaven.test.failure.ignore=true >"$log" 2>&1; then
  grep -E 'ERROR|BUILD' "$log" | head -40 >&2
  echo "== build failed (see $log)" >&2
  exit 1
fi

# Step 5: each test's result, with the first lines of its failure.
python3 - "$relaxation" "${classes[@]}" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
relaxation, classes = sys.argv[1], set(sys.argv[2:])
counts = {}
for path in sorted(glob.glob('target/surefire-reports/TEST-*.xml')):
    for case in ET.parse(path).getroot().iter('testcase'):
        cls = case.get('classname', '').rsplit('.', 1)[-1]
        if cls not in classes:
            continue
        result, text = 'PASS', ''
        for kind, label in (('failure', 'FAIL'), ('error', 'ERROR'), ('skipped', 'SKIP')):
            el = case.find(kind)
            if el is not None:
                result = label
                text = (el.get('message') or el.text or '').strip()
                break
        counts[result] = counts.get(result, 0) + 1
        print(f"{result:5} {cls}#{case.get('name')} ({case.get('time')} s)")
        if text:
            lines = [l for l in text.splitlines() if l.strip()][:6]
            for l in lines:
                print('        ' + (l if len(l) <= 700 else l[:700] + ' ...'))
print('== ' + ', '.join(f'{v} {k}' for k, v in sorted(counts.items())) + f'; relaxation: {relaxation}')
missing = classes - {p.split('TEST-')[-1].rsplit('.', 2)[-2] for p in glob.glob('target/surefire-reports/TEST-*.xml')}
if missing:
    print('== no report for: ' + ', '.join(sorted(missing)))
PY
