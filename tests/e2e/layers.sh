#!/bin/bash
# layers.sh — the architecture of DESIGN.md section 5, enforced: each module
# under src/ may include only the modules listed for it here (lower layers
# never include higher ones; util includes nothing of ours; the harness
# knows no AST). A new module must be added to this table.
set -u
cd "${BB_ROOT:?}"
declare -A allowed=(
  [util]=""
  [json]="util"
  [schema]="json util"
  [llm]="json util"
  [store]="util"
  [harness]="llm schema json util"
  [ast]="schema json util"
  [emit]="ast schema json util"
  [sim]="schema json util"
  [engine]="ast emit schema json util"
  [bench]="harness llm ast emit engine store schema json util"
  [report]="bench store schema json util"
  [cli]="bench report sim harness llm ast emit engine store schema json util"
)
n=0
for dir in src/*/; do
  mod=$(basename "$dir")
  n=$((n + 1))
  if [ -z "${allowed[$mod]+x}" ]; then
    echo "not ok $n - $mod: not in the layer table of tests/e2e/layers.sh"
    continue
  fi
  bad=""
  for inc in $(grep -ho '#include "[a-z_]*/' "$dir"*.[ch] 2>/dev/null | sed 's/#include "//; s|/||' | sort -u); do
    [ "$inc" = "$mod" ] && continue
    case " ${allowed[$mod]} " in *" $inc "*) ;; *) bad="$bad $inc" ;; esac
  done
  if [ -z "$bad" ]; then echo "ok $n - $mod includes only: ${allowed[$mod]:-nothing of ours}"
  else echo "not ok $n - $mod includes a higher layer:$bad"; fi
done
# every source file opens with a purpose paragraph
n=$((n + 1))
missing=$(for f in src/*.c src/*/*.[ch]; do head -c 3 "$f" | grep -q '^/\*' || echo "$f"; done)
if [ -z "$missing" ]; then echo "ok $n - every source file opens with a comment"
else echo "not ok $n - files without an opening comment: $missing"; fi
# banned functions (STYLE.md)
n=$((n + 1))
banned=$(grep -nE '\b(strcpy|sprintf|strcat|atoi|strtok|gets)\s*\(' src/*.c src/*/*.c | grep -v '^\s*//' || true)
if [ -z "$banned" ]; then echo "ok $n - no strcpy/sprintf/strcat/atoi/strtok/gets"
else echo "not ok $n - banned functions:"; echo "$banned" | sed 's/^/# /'; fi
