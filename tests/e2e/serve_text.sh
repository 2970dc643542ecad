#!/bin/bash
# serve_text.sh — `backbench serve --project todo --impl FILE.txt` serves an
# implementation written in the text form of the Impl AST
# (tests/data/impl/text/todo_subset.txt: join, create and read a list); the
# operations the file does not implement answer 501. A text file with a
# syntax error is refused at start with its line and column. One TAP line per
# check.
set -u
. "$(dirname "$0")/lib/serve.bash"
serve_start --project todo --impl tests/data/impl/text/todo_subset.txt

call POST /auth/user/join '{"email":"Ann@Example.com","password":"secret123","display_name":"Ann"}'
check 201 "join (from the text form)" '"email":"ann@example.com"'
tok=$(field access)
call POST /user/lists '{"title":"Groceries"}' "$tok"
check 201 "create a list" '"title":"Groceries"'
list=$(field id)
call GET "/user/lists/$list" "" "$tok"
check 200 "read it back" "\"id\":\"$list\""
call DELETE "/user/lists/$list" "" "$tok"
check 501 "an operation the file does not implement"
printf 'endpoint get /user/lists/{listId}\nreturn 200 (1 +\n' >"$dir/bad.txt"
if "$BB_BIN" serve --project todo --impl "$dir/bad.txt" --port 0 >"$dir/bad.out" 2>"$dir/bad.err"; then
  tap 0 "a text file with a syntax error is refused"
else
  grep -q 'bad.txt: line 3, column 1: expected an expression' "$dir/bad.err"
  tap $((1 - $?)) "a text file with a syntax error is refused with line and column"
fi
serve_done serve_text
