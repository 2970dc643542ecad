#!/bin/bash
# serve_todo.sh — issue 6 acceptance: `backbench serve --project todo` answers
# curl calls for a whole user story over real HTTP on loopback: sign up, log
# in, refresh, create a list, a tag and tasks, list and filter tasks, update
# and complete a task, delete a tag, a task and a list; and refuses what it
# must (401 without a token, 400 on a bad body, 404 for deleted or foreign
# objects, 409 on a duplicate email). One TAP line per check; the server is
# started on a free port (--port 0) and killed at the end.
set -u
. "$(dirname "$0")/lib/serve.bash"
serve_start --project todo

call POST /auth/user/join '{"email":"Ann@Example.com","password":"secret123","display_name":"Ann"}'
check 201 "join creates the account" '"email":"ann@example.com"' '"access":"bb1.access.user.'
tok=$(field access)
refresh=$(field refresh)
has password_hash && tap 0 "join response leaks password_hash" || tap 1 "join response has no password_hash"
call POST /auth/user/join '{"email":"ann@example.COM","password":"other1234","display_name":"Ann 2"}'
check 409 "join with a taken email (other case) is a conflict"
call POST /auth/user/join '{"email":"not-an-email","password":"secret123","display_name":"X"}'
check 400 "join with a malformed email is invalid input" '"path":"$input.body.email"'
call POST /auth/user/login '{"email":"ANN@example.com","password":"secret123"}'
check 200 "login is case-insensitive on the email" '"token"'
call POST /auth/user/login '{"email":"ann@example.com","password":"wrong-password"}'
check 401 "login with a wrong password is unauthorized"
call POST /auth/user/refresh "{\"refresh_token\":\"$refresh\"}"
check 200 "refresh with the refresh token issues a new pair" '"refresh":"bb1.refresh.user.'
call POST /auth/user/refresh "{\"refresh_token\":\"$tok\"}"
check 401 "refresh with an access token is refused"

call POST /user/lists '{"title":"Groceries"}'
check 401 "create a list without a token is unauthorized"
call POST /user/lists '{"title":"Groceries"}' "${tok}x"
check 401 "create a list with a forged token is unauthorized"
call POST /user/lists '{"title":"Groceries","description":"weekly"}' "$tok"
check 201 "create a list" '"title":"Groceries"' '"description":"weekly"'
list=$(field id)
call POST /user/lists '{"title":""}' "$tok"
check 400 "an empty list title is invalid input" '"path":"$input.body.title"'
call POST /user/tags '{"name":"urgent","color":"#ff8800"}' "$tok"
check 201 "create a tag" '"name":"urgent"'
tag=$(field id)
call POST /user/tags '{"name":"urgent"}' "$tok"
check 409 "a duplicate tag name is a conflict"
call POST /user/tags '{"name":"home","color":"orange"}' "$tok"
check 400 "a malformed colour is invalid input"

call POST "/user/lists/$list/items" "{\"title\":\"Milk\",\"priority\":\"high\",\"tag_ids\":[\"$tag\"]}" "$tok"
check 201 "create a task with a tag" '"priority":"high"' '"completed":false' '"name":"urgent"'
item=$(field id)
call POST "/user/lists/$list/items" '{"title":"Bread","due_at":"2026-03-01T12:00:00Z"}' "$tok"
check 201 "create a task with defaults" '"priority":"normal"' '"tags":[]'
call POST "/user/lists/$list/items" '{"title":"Eggs","priority":"urgent"}' "$tok"
check 400 "an unknown priority is invalid input"
call PATCH "/user/lists/$list/items" '{}' "$tok"
check 200 "list the tasks" '"records":2' '"title":"Milk"' '"title":"Bread"'
call PATCH "/user/lists/$list/items" "{\"todo_tag_id\":\"$tag\"}" "$tok"
check 200 "filter tasks by tag" '"records":1' '"title":"Milk"'
call PATCH "/user/lists/$list/items" '{"sort":"priority","direction":"asc","limit":1}' "$tok"
check 200 "sort tasks by priority (low < normal < high), one per page" '"pages":2' '"title":"Bread"'
call PUT "/user/lists/$list/items/$item" '{"completed":true,"title":"Milk (2 l)"}' "$tok"
check 200 "complete and rename a task" '"completed":true' '"title":"Milk (2 l)"' '"completed_at":"2026-'
call GET "/user/lists/$list/items/$item" "" "$tok"
check 200 "read the task back" '"completed":true' '"name":"urgent"'
call DELETE "/user/tags/$tag" "" "$tok"
check 204 "delete the tag"
call GET "/user/lists/$list/items/$item" "" "$tok"
check 200 "the task lost the deleted tag" '"tags":[]'
call DELETE "/user/lists/$list/items/$item" "" "$tok"
check 204 "delete the task"
call GET "/user/lists/$list/items/$item" "" "$tok"
check 404 "a deleted task is not found"

call POST /auth/user/join '{"email":"bob@example.com","password":"secret456","display_name":"Bob"}'
check 201 "a second user joins"
bob=$(field access)
call GET "/user/lists/$list" "" "$bob"
check 404 "another user's list is not found"
call PATCH /user/lists '{"search":"GROC"}' "$tok"
check 200 "search lists case-insensitively" '"records":1'
call DELETE "/user/lists/$list" "" "$tok"
check 204 "delete the list"
call GET "/user/lists/$list" "" "$tok"
check 404 "a deleted list is not found"
call GET /no/such/route "" "$tok"
check 404 "an unknown route is not found"
serve_done serve_todo
