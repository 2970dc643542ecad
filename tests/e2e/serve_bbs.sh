#!/bin/bash
# serve_bbs.sh — `backbench serve --project bbs` (the bulletin board gold
# implementation: two actors, counters, versions, nested comments, reports,
# suspensions) answers a story over real HTTP on loopback with curl: an
# administrator opens a board, members post, edit (a version each), comment,
# reply, like, report; the administrator resolves the report removing the
# post and suspends a member, who can no longer post until the suspension is
# lifted. Actor checks (403), ownership (403), duplicates (409) and deleted
# content (404) are checked too. One TAP line per check.
set -u
. "$(dirname "$0")/lib/serve.bash"
serve_start --project bbs

call POST /auth/administrator/join '{"email":"Root@x.io","password":"secret123","name":"Root"}'
check 201 "an administrator joins" '"administrator":{' '"email":"root@x.io"'
adm=$(field access)
call POST /auth/member/join '{"email":"m@x.io","password":"secret123","nickname":"mem_1"}'
check 201 "a member joins" '"member":{' '"nickname":"mem_1"'
m1=$(field access)
mid=$(field id)
call POST /auth/member/join '{"email":"n@x.io","password":"secret123","nickname":"mem_1"}'
check 409 "a taken nickname is a conflict"
call POST /auth/member/join '{"email":"n@x.io","password":"secret123","nickname":"mem_2"}'
check 201 "a second member joins"
m2=$(field access)
call POST /auth/member/login '{"email":"M@X.IO","password":"secret123"}'
check 200 "a member logs in" '"token"'
call POST /administrator/boards '{"name":"General"}' "$m1"
check 403 "a member cannot open a board"
call POST /administrator/boards '{"name":"General","description":"talk"}' "$adm"
check 201 "the administrator opens a board" '"is_locked":false' '"description":"talk"'
board=$(field id)
call POST /administrator/boards '{"name":"General"}' "$adm"
check 409 "a board name is unique"
call PATCH /boards '{}'
check 200 "anyone lists the boards" '"records":1' '"name":"General"'
call POST "/member/boards/$board/posts" '{"title":"Hello","body":"World"}' "$m1"
check 201 "a member posts" '"view_count":0' '"nickname":"mem_1"'
post=$(field id)
call PUT "/member/boards/$board/posts/$post" '{"title":"Hello again"}' "$m1"
check 200 "the author edits the post" '"title":"Hello again"' '"body":"World"'
call PUT "/member/boards/$board/posts/$post" '{"title":"Hijack"}' "$m2"
check 403 "another member cannot edit it"
call PATCH "/boards/$board/posts/$post/snapshots" '{}'
check 200 "each version is kept" '"records":2'
call GET "/boards/$board/posts/$post"
check 200 "reading counts a view" '"view_count":1'
call POST "/member/boards/$board/posts/$post/comments" '{"body":"nice"}' "$m2"
check 201 "a member comments" '"parent_id":null' '"nickname":"mem_2"'
comment=$(field id)
call POST "/member/boards/$board/posts/$post/comments" "{\"body\":\"thanks\",\"parent_id\":\"$comment\"}" "$m1"
check 201 "the author replies" "\"parent_id\":\"$comment\""
reply=$(field id)
call POST "/member/boards/$board/posts/$post/comments" "{\"body\":\"deeper\",\"parent_id\":\"$reply\"}" "$m2"
check 400 "a reply to a reply is refused"
call POST "/member/boards/$board/posts/$post/likes" "" "$m2"
check 201 "a member likes the post"
call POST "/member/boards/$board/posts/$post/likes" "" "$m2"
check 409 "a second like is a conflict"
call PATCH "/boards/$board/posts" '{"sort":"like_count"}'
check 200 "the post list shows the counters" '"like_count":1' '"comment_count":2'
call DELETE "/member/boards/$board/posts/$post/comments/$comment" "" "$m2"
check 204 "the commenter deletes the top-level comment"
call PATCH "/boards/$board/posts/$post/comments" '{}'
check 200 "its reply is hidden with it" '"records":0'
call GET "/boards/$board/posts/$post"
check 200 "the comment counter dropped by both" '"comment_count":0'
call POST /member/reports "{\"bbs_post_id\":\"$post\",\"reason\":\"other\"}" "$m2"
check 400 "reason other needs an explanation"
call POST /member/reports "{\"bbs_post_id\":\"$post\",\"reason\":\"spam\"}" "$m2"
check 201 "a member reports the post" '"status":"pending"' '"reporter":{'
report=$(field id)
call PUT "/administrator/reports/$report" '{"status":"resolved","remove_content":true}' "$adm"
check 200 "the administrator resolves it, removing the post" '"status":"resolved"' '"handled_at":"2026-'
call GET "/boards/$board/posts/$post"
check 404 "the removed post is not found"
call POST "/administrator/members/$mid/suspensions" '{"reason":"spam","ends_at":"2027-06-01T00:00:00Z"}' "$adm"
check 400 "a suspension longer than a year is refused"
call POST "/administrator/members/$mid/suspensions" '{"reason":"spam","ends_at":"2026-01-10T00:00:00Z"}' "$adm"
check 201 "the administrator suspends the author" '"lifted_at":null'
susp=$(field id)
call POST "/member/boards/$board/posts" '{"title":"Again","body":"x"}' "$m1"
check 403 "a suspended member cannot post"
call DELETE "/administrator/members/$mid/suspensions/$susp" "" "$adm"
check 204 "the suspension is lifted"
call POST "/member/boards/$board/posts" '{"title":"Again","body":"x"}' "$m1"
check 201 "the member posts again"
call GET "/members/$mid"
check 200 "a public profile shows no email" '"nickname":"mem_1"'
has '"email"' && tap 0 "the public profile leaks the email" || tap 1 "the public profile has no email"
serve_done serve_bbs
