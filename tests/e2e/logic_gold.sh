#!/bin/bash
# logic_gold.sh — the gold figures of the logic phases (issue 6), printed and
# checked for every project by `backbench logic --project NAME`: every hidden
# acceptance test passes on the gold implementation, at least 90% of the
# non-equivalent mutants are killed (per operator in the log), every listed
# equivalent mutant survives, every operation has tests (three per operation
# on average), every scenario's key test scores 100. Each verdict line of the
# command becomes one TAP line. The mutation analysis is pure computation on
# the project's own data, so it runs in the release build (BB_REL_BIN, built
# by `make test`) to keep the test fast; test_logic runs the same code under
# the sanitizers on todo.
set -u
B=${BB_REL_BIN:-${BB_BIN:?}}
cd "${BB_ROOT:?}"
n=0
for p in todo bbs reddit shopping; do
  out=$("$B" logic --project "$p" 2>&1)
  rc=$?
  echo "$out" | sed 's/^/# /'
  while IFS= read -r line; do
    case "$line" in
      "ok     "*) n=$((n + 1)); echo "ok $n - ${line#ok     }" ;;
      "FAILED "*) n=$((n + 1)); echo "not ok $n - ${line#FAILED }" ;;
    esac
  done <<<"$out"
  n=$((n + 1))
  if [ "$rc" -eq 0 ]; then echo "ok $n - $p: logic exits 0"; else echo "not ok $n - $p: logic exits $rc"; fi
done
echo "1..$n"
