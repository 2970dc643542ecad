#!/bin/bash
# serve_reddit.sh — `backbench serve --project reddit` (the discussion site
# gold implementation, 59 operations) answers a story over real HTTP on
# loopback with curl that calls every operation at least once: members and an
# administrator join, log in and refresh; a member creates a community (its
# first moderator), appoints and removes moderators, writes rules and flairs;
# members subscribe, post (text and link, versions kept), comment in nested
# threads down to the depth limit, vote (score and karma follow), save,
# report; the moderator handles a report removing the post, locks, removes
# and restores content, bans (an expired ban is replaced) and unbans;
# notifications are listed and marked read; the administrator lists and bans
# members, deletes a post and the community. Non-moderators (403), wrong
# actors (403), missing rows (404), duplicates (409) and invalid input (400)
# are checked too. One TAP line per check.
set -u
. "$(dirname "$0")/lib/serve.bash"
serve_start --project reddit

pw=secret123
# accounts
call POST /auth/administrator/join "{\"email\":\"Root@x.io\",\"password\":\"$pw\",\"name\":\"Root\"}"
check 201 "an administrator joins" '"administrator":{' '"email":"root@x.io"'
adm=$(field access)
call POST /auth/administrator/login "{\"email\":\"ROOT@x.io\",\"password\":\"$pw\"}"
check 200 "the administrator logs in" '"token"'
call POST /auth/administrator/refresh "{\"refresh_token\":\"$(field refresh)\"}"
check 200 "the administrator refreshes the tokens" '"administrator":{'
call POST /auth/member/join "{\"email\":\"Alice@x.io\",\"password\":\"$pw\",\"username\":\"alice\"}"
check 201 "alice joins" '"member":{' '"email":"alice@x.io"' '"karma":0'
a=$(field access)
aid=$(field id)
call POST /auth/member/join "{\"email\":\"other@x.io\",\"password\":\"$pw\",\"username\":\"alice\"}"
check 409 "a taken username is a conflict"
call POST /auth/member/join "{\"email\":\"ALICE@x.io\",\"password\":\"$pw\",\"username\":\"alice2\"}"
check 409 "a taken email (any case) is a conflict"
call POST /auth/member/join "{\"email\":\"b@x.io\",\"password\":\"$pw\",\"username\":\"b!\"}"
check 400 "a bad username is invalid"
call POST /auth/member/join "{\"email\":\"b@x.io\",\"password\":\"$pw\",\"username\":\"bob\"}"
check 201 "bob joins"
b=$(field access)
bid=$(field id)
call POST /auth/member/join "{\"email\":\"c@x.io\",\"password\":\"$pw\",\"username\":\"carol\"}"
check 201 "carol joins"
c=$(field access)
cid=$(field id)
call POST /auth/member/login "{\"email\":\"ALICE@X.IO\",\"password\":\"$pw\"}"
check 200 "alice logs in (email in any case)" '"username":"alice"'
call POST /auth/member/refresh "{\"refresh_token\":\"$(field refresh)\"}"
check 200 "alice refreshes the tokens" '"member":{'
call POST /auth/member/login "{\"email\":\"alice@x.io\",\"password\":\"wrongpass\"}"
check 401 "a wrong password is unauthorized"

# communities
call POST /member/communities '{"name":"rust_lang","title":"Rust"}' "$adm"
check 403 "an administrator cannot create a community"
call POST /member/communities '{"name":"rust_lang","title":"Rust"}'
check 401 "a guest cannot create a community"
call POST /member/communities '{"name":"rust_lang","title":"Rust"}' "$a"
check 201 "alice creates a community" '"subscriber_count":1' '"description":null' '"is_nsfw":false'
com=$(field id)
call POST /member/communities '{"name":"rust_lang","title":"Again"}' "$b"
check 409 "a community name is unique"
call POST /member/communities '{"name":"x","title":"Too short"}' "$b"
check 400 "a community name of one character is invalid"
call PUT "/member/communities/$com" '{"title":"Hijack"}' "$b"
check 403 "a non-moderator cannot edit the community"
call PUT "/member/communities/$com" '{"description":"All about Rust"}' "$a"
check 200 "the moderator edits the community" '"description":"All about Rust"' '"title":"Rust"'
call GET "/communities/$com"
check 200 "a guest reads the community" '"name":"rust_lang"'
call GET /communities/00000000-0000-4000-8000-000000000000
check 404 "an unknown community is not found"
call PATCH /communities '{"search":"RUST"}'
check 200 "the community search ignores case" '"records":1' '"name":"rust_lang"'

# subscriptions
call POST "/member/communities/$com/subscriptions" "" "$b"
check 201 "bob subscribes" '"subscriber_count":2'
call POST "/member/communities/$com/subscriptions" "" "$b"
check 409 "a second subscription is a conflict"
call PATCH /member/subscriptions '{}' "$b"
check 200 "bob lists his subscriptions" '"records":1' '"name":"rust_lang"'

# moderators
call PATCH "/communities/$com/moderators" '{}'
check 200 "a guest lists the moderators" '"records":1' '"username":"alice"'
amod=$(field id)
call POST "/member/communities/$com/moderators" "{\"reddit_member_id\":\"$cid\"}" "$b"
check 403 "a non-moderator cannot appoint"
call POST "/member/communities/$com/moderators" "{\"reddit_member_id\":\"$bid\"}" "$a"
check 201 "alice appoints bob" '"username":"bob"'
bmod=$(field id)
call POST "/member/communities/$com/moderators" "{\"reddit_member_id\":\"$bid\"}" "$a"
check 409 "bob is already a moderator"
call DELETE "/member/communities/$com/moderators/$bmod" "" "$a"
check 204 "alice removes bob as moderator"
call DELETE "/member/communities/$com/moderators/$amod" "" "$a"
check 409 "the last moderator cannot be removed"

# rules
call POST "/member/communities/$com/rules" '{"title":"Be kind"}' "$b"
check 403 "a former moderator cannot add a rule"
call POST "/member/communities/$com/rules" '{"title":"Be kind"}' "$a"
check 201 "the moderator adds a rule" '"description":null'
rule=$(field id)
call POST "/member/communities/$com/rules" '{"title":""}' "$a"
check 400 "an empty rule title is invalid"
call PUT "/member/communities/$com/rules/$rule" '{"description":"No insults"}' "$a"
check 200 "the moderator edits the rule" '"description":"No insults"' '"title":"Be kind"'
call POST "/member/communities/$com/rules" '{"title":"Temporary"}' "$a"
check 201 "a second rule"
rule2=$(field id)
call DELETE "/member/communities/$com/rules/$rule2" "" "$a"
check 204 "the moderator deletes a rule"
call DELETE "/member/communities/$com/rules/$rule2" "" "$a"
check 404 "a deleted rule is not found"
call PATCH "/communities/$com/rules" '{}'
check 200 "a guest lists the rules" '"records":1' '"title":"Be kind"'

# flairs
call POST "/member/communities/$com/flairs" '{"label":"News","color":"#FF0000"}' "$a"
check 201 "the moderator adds a flair" '"color":"#FF0000"'
flair=$(field id)
call POST "/member/communities/$com/flairs" '{"label":"News"}' "$a"
check 409 "a flair label is unique in the community"
call POST "/member/communities/$com/flairs" '{"label":"Bad","color":"red"}' "$a"
check 400 "a colour must be #RRGGBB"
call POST "/member/communities/$com/flairs" '{"label":"Question"}' "$a"
check 201 "a second flair"
flair2=$(field id)
call PUT "/member/communities/$com/flairs/$flair2" '{"label":"News"}' "$a"
check 409 "renaming to another flair's label is a conflict"
call PUT "/member/communities/$com/flairs/$flair" '{"color":null}' "$a"
check 200 "the moderator clears a flair's colour" '"color":null' '"label":"News"'
call PATCH "/communities/$com/flairs" '{}'
check 200 "a guest lists the flairs" '"records":2'

# posts
call POST "/member/communities/$com/posts" "{\"kind\":\"text\",\"title\":\"Hello\",\"body\":\"first\",\"reddit_post_flair_id\":\"$flair\"}" "$b"
check 201 "bob posts" '"score":0' '"comment_count":0' '"username":"bob"' '"label":"News"' '"is_locked":false'
post=$(field id)
call POST "/member/communities/$com/posts" '{"kind":"link","title":"Site"}' "$c"
check 400 "a link post needs a url"
call POST "/member/communities/$com/posts" '{"kind":"link","title":"Site","url":"ftp://example.com/x"}' "$c"
check 400 "a link must be http or https"
call POST "/member/communities/$com/posts" "{\"kind\":\"text\",\"title\":\"T\",\"reddit_post_flair_id\":\"00000000-0000-4000-8000-000000000000\"}" "$c"
check 404 "an unknown flair is not found"
call POST "/member/communities/$com/posts" "{\"kind\":\"link\",\"title\":\"Site\",\"url\":\"https://example.com/\",\"reddit_post_flair_id\":\"$flair2\",\"is_nsfw\":true}" "$c"
check 201 "carol posts a link" '"url":"https://example.com/"' '"body":null' '"is_nsfw":true'
link=$(field id)
call PUT "/member/posts/$post" '{"body":"second"}' "$c"
check 403 "only the author edits a post"
call PUT "/member/posts/$link" '{"body":"text"}' "$c"
check 400 "a link post gets no body"
call PUT "/member/posts/$post" '{"body":"second","is_spoiler":true}' "$b"
check 200 "bob edits his post" '"body":"second"' '"is_spoiler":true' '"title":"Hello"'
call PATCH "/posts/$post/snapshots" '{}'
check 200 "every body is kept as a version" '"records":2' '"body":"second"'
call GET "/posts/$post"
check 200 "a guest reads the post" '"name":"rust_lang"' '"username":"bob"'
call PATCH /posts '{"search":"HELL"}'
check 200 "the site-wide list searches titles" '"records":1' '"title":"Hello"'
call PATCH "/communities/$com/posts" '{}'
check 200 "NSFW posts are left out by default" '"records":1'
call PATCH "/communities/$com/posts" '{"include_nsfw":true}'
check 200 "NSFW posts on request" '"records":2'
has '"body":' && tap 0 "post lists leave out the body" || tap 1 "post lists leave out the body"
call PATCH /member/feed '{"include_nsfw":true}' "$b"
check 200 "bob's feed has the community's posts" '"records":2'
call PATCH /member/feed '{}' "$c"
check 200 "carol subscribes to nothing: empty feed" '"records":0'

# votes and karma
call PUT "/member/posts/$post/vote" '{"vote_value":1}' "$b"
check 403 "no vote on one's own post"
call PUT "/member/posts/$post/vote" '{"vote_value":2}' "$c"
check 400 "a vote is +1 or -1"
call PUT "/member/posts/$post/vote" '{"vote_value":1}' "$c"
check 200 "carol upvotes" '"vote_value":1'
call GET "/members/$bid"
check 200 "bob's karma is 1" '"karma":1' '"username":"bob"'
has '"email"' && tap 0 "the public profile shows no email" || tap 1 "the public profile shows no email"
call PUT "/member/posts/$post/vote" '{"vote_value":-1}' "$c"
check 200 "carol changes to a downvote" '"vote_value":-1'
call GET "/posts/$post"
check 200 "the score follows" '"score":-1'
call DELETE "/member/posts/$post/vote" "" "$c"
check 204 "carol takes her vote back"
call DELETE "/member/posts/$post/vote" "" "$c"
check 404 "no vote to take back"
call GET "/members/$bid"
check 200 "bob's karma is back to 0" '"karma":0'
call PUT "/member/posts/$post/vote" '{"vote_value":1}' "$a"
check 200 "alice upvotes"
call PATCH /posts '{"sort":"top","include_nsfw":true}'
check 200 "top sort shows the upvoted post first" '"score":1'
[ "$(field title)" = "Hello" ] && tap 1 "top sort order" || tap 0 "top sort order"

# comments, nesting, notifications
call POST "/member/posts/$post/comments" '{"body":"nice"}' "$c"
check 201 "carol comments" '"depth":0' '"parent_id":null' '"username":"carol"'
cc=$(field id)
call POST "/member/posts/$post/comments" '{"body":""}' "$c"
check 400 "an empty comment is invalid"
call POST "/member/posts/$post/comments" '{"body":"x","parent_id":"00000000-0000-4000-8000-000000000000"}' "$c"
check 404 "a reply to an unknown comment is not found"
call POST "/member/posts/$post/comments" "{\"body\":\"thanks\",\"parent_id\":\"$cc\"}" "$b"
check 201 "bob replies" '"depth":1' "\"parent_id\":\"$cc\""
reply=$(field id)
parent=$reply
for d in 2 3 4 5 6 7 8 9; do
  call POST "/member/posts/$post/comments" "{\"body\":\"level $d\",\"parent_id\":\"$parent\"}" "$a"
  parent=$(field id)
done
check 201 "replies nest down to depth 9" '"depth":9'
call POST "/member/posts/$post/comments" "{\"body\":\"too deep\",\"parent_id\":\"$parent\"}" "$a"
check 400 "a reply at depth 10 is invalid"
call PUT "/member/posts/$post/comments/$cc" '{"body":"edited"}' "$b"
check 403 "only the author edits a comment"
call PUT "/member/posts/$post/comments/$cc" '{"body":"very nice"}' "$c"
check 200 "carol edits her comment" '"body":"very nice"'
call PUT "/member/posts/$link/comments/$cc" '{"body":"x"}' "$c"
check 404 "a comment addressed through another post is not found"
call PATCH "/posts/$post/comments" '{}'
check 200 "a guest lists the comments" '"records":10' '"depth":9'
call GET "/posts/$post"
check 200 "the post counts its comments" '"comment_count":10'
call PUT "/member/posts/$post/comments/$cc/vote" '{"vote_value":1}' "$c"
check 403 "no vote on one's own comment"
call PUT "/member/posts/$post/comments/$cc/vote" '{"vote_value":1}' "$b"
check 200 "bob upvotes carol's comment" '"vote_value":1'
call GET "/members/$cid"
check 200 "carol's karma is 1" '"karma":1'
call DELETE "/member/posts/$post/comments/$cc/vote" "" "$b"
check 204 "bob takes the comment vote back"
call GET "/members/$cid"
check 200 "carol's karma is 0 again" '"karma":0'
call PATCH /member/notifications '{}' "$b"
check 200 "bob is notified of the comment on his post" '"records":2' '"kind":"post_comment"'
call PATCH /member/notifications '{}' "$c"
check 200 "carol is notified of the reply" '"records":1' '"kind":"comment_reply"'
nid=$(field id)
call PUT "/member/notifications/$nid" '{"read":true}' "$b"
check 404 "another member's notification is not found"
call PUT "/member/notifications/$nid" '{"read":true}' "$c"
check 200 "carol marks it read" '"read_at":"2026-'
call PUT "/member/notifications/$nid" '{"read":false}' "$c"
check 200 "carol marks it unread" '"read_at":null'
call POST /member/notifications/read-all "" "$b"
check 204 "bob marks all read"
call PATCH /member/notifications '{"unread_only":true}' "$b"
check 200 "bob has no unread notification" '"records":0'

# saved posts
call PUT "/member/posts/$post/save" "" "$c"
check 200 "carol saves the post" "\"reddit_post_id\":\"$post\"" '"post":{'
call PUT "/member/posts/$post/save" "" "$c"
check 200 "saving again changes nothing"
call PATCH /member/saved-posts '{}' "$c"
check 200 "carol lists her saved posts" '"records":1' '"title":"Hello"'
call DELETE "/member/posts/$post/save" "" "$c"
check 204 "carol unsaves it"
call DELETE "/member/posts/$post/save" "" "$c"
check 404 "unsaving an unsaved post is not found"
call PUT "/member/posts/$post/save" "" "$c"
check 200 "carol saves it again"

# moderation: lock, remove, restore
call PUT "/member/posts/$post/moderation" '{"is_locked":true}' "$b"
check 403 "a non-moderator cannot lock"
call PUT "/member/posts/$post/moderation" '{"is_locked":true}' "$a"
check 200 "the moderator locks the post" '"is_locked":true'
call POST "/member/posts/$post/comments" '{"body":"late"}' "$c"
check 403 "no comment on a locked post"
call PUT "/member/posts/$post/vote" '{"vote_value":1}' "$c"
check 403 "no vote on a locked post"
call PUT "/member/posts/$post/comments/$cc" '{"body":"still editable"}' "$c"
check 200 "comments stay editable on a locked post"
call PUT "/member/posts/$post/moderation" '{"is_locked":false}' "$a"
check 200 "the moderator unlocks the post" '"is_locked":false'
call PUT "/member/posts/$post/comments/$reply/moderation" '{"removed":true}' "$b"
check 403 "a non-moderator cannot remove a comment"
call PUT "/member/posts/$post/comments/$reply/moderation" '{"removed":true}' "$a"
check 200 "the moderator removes bob's reply"
call GET "/posts/$post"
check 200 "a removed comment leaves the count" '"comment_count":9'
call PUT "/member/posts/$post/comments/$reply/moderation" '{"removed":false}' "$a"
check 200 "the moderator restores it"
call PATCH "/posts/$post/comments" '{}'
check 200 "the restored comment is listed again" '"records":10'

# reports
call POST /member/reports "{\"reddit_post_id\":\"$post\",\"reason\":\"rule_violation\"}" "$c"
check 400 "a rule violation must name a rule"
call POST /member/reports "{\"reddit_post_id\":\"$post\",\"reddit_comment_id\":\"$cc\",\"reason\":\"spam\"}" "$c"
check 400 "a report targets exactly one item"
call POST /member/reports "{\"reddit_post_id\":\"$post\",\"reason\":\"rule_violation\",\"reddit_community_rule_id\":\"$rule\"}" "$c"
check 201 "carol reports the post" '"status":"pending"' '"reporter":{' "\"reddit_community_id\":\"$com\""
report=$(field id)
call POST /member/reports "{\"reddit_post_id\":\"$post\",\"reason\":\"spam\"}" "$c"
check 409 "a second pending report on the item is a conflict"
call POST /member/reports "{\"reddit_comment_id\":\"$reply\",\"reason\":\"other\",\"explanation\":\"rude\"}" "$c"
check 201 "carol reports a comment" "\"reddit_comment_id\":\"$reply\"" '"reddit_post_id":null'
call PATCH "/member/communities/$com/reports" '{}' "$b"
check 403 "a non-moderator cannot list reports"
call PATCH "/member/communities/$com/reports" '{"status":"pending"}' "$a"
check 200 "the moderator lists pending reports" '"records":2'
call PUT "/member/communities/$com/reports/$report" '{"status":"dismissed","remove_content":true}' "$a"
check 400 "only a resolution removes content"
call PUT "/member/communities/$com/reports/$report" '{"status":"resolved","note":"gone","remove_content":true}' "$a"
check 200 "the moderator resolves the report, removing the post" '"status":"resolved"' "\"handled_by_member_id\":\"$aid\"" '"handled_at":"2026-'
call PUT "/member/communities/$com/reports/$report" '{"status":"dismissed"}' "$a"
check 409 "a handled report cannot be handled again"
call GET "/posts/$post"
check 404 "the removed post is not found"
call PATCH /member/saved-posts '{}' "$c"
check 200 "a removed post leaves the saved list" '"records":0'
call PUT "/member/posts/$post/moderation" '{"removed":false}' "$a"
check 200 "the moderator restores the post"
call GET "/posts/$post"
check 200 "the restored post is readable"

# bans
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$cid\",\"reason\":\"spam\"}" "$b"
check 403 "a non-moderator cannot ban"
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$cid\",\"reason\":\"spam\",\"expires_at\":\"2020-01-01T00:00:00Z\"}" "$a"
check 400 "a ban cannot end in the past"
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$aid\",\"reason\":\"spam\"}" "$a"
check 409 "a moderator cannot be banned"
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$bid\",\"reason\":\"spam\",\"expires_at\":\"2030-01-01T00:00:00Z\"}" "$a"
check 201 "the moderator bans bob until 2030" '"username":"bob"' '"expires_at":"2030-'
ban=$(field id)
call GET "/communities/$com"
check 200 "banning unsubscribes" '"subscriber_count":1'
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$bid\",\"reason\":\"again\"}" "$a"
check 409 "an active ban cannot be repeated"
call POST "/member/communities/$com/posts" '{"kind":"text","title":"Banned"}' "$b"
check 403 "a banned member cannot post"
call POST "/member/communities/$com/subscriptions" "" "$b"
check 403 "a banned member cannot subscribe"
call PUT "/member/posts/$link/vote" '{"vote_value":1}' "$b"
check 403 "a banned member cannot vote"
call GET "/posts/$post"
check 200 "a banned member can still read"
call PATCH "/member/communities/$com/bans" '{}' "$a"
check 200 "the moderator lists the bans" '"records":1' '"reason":"spam"'
call DELETE "/member/communities/$com/bans/$ban" "" "$a"
check 204 "the moderator lifts the ban"
call DELETE "/member/communities/$com/bans/$ban" "" "$a"
check 404 "a lifted ban is not found"
# a ban that expires: the engine's clock advances one second per request
call POST "/member/communities/$com/rules" '{"title":"Clock"}' "$a"
check 201 "a rule tells the current time"
t=$(field created_at)
t0=$(date -u -d "${t%.*}Z" +%s)
soon=$(date -u -d "@$((t0 + 3))" +%Y-%m-%dT%H:%M:%SZ)
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$cid\",\"reason\":\"short\",\"expires_at\":\"$soon\"}" "$a"
check 201 "the moderator bans carol for three seconds"
call POST "/member/posts/$post/comments" '{"body":"while banned"}' "$c"
check 403 "a banned member cannot comment"
call POST "/member/communities/$com/bans" "{\"reddit_member_id\":\"$cid\",\"reason\":\"again\"}" "$a"
check 201 "an expired ban is replaced by a new one" '"reason":"again"' '"expires_at":null'
call PATCH "/member/communities/$com/bans" '{}' "$a"
check 200 "one ban row per member" '"records":1'
call DELETE "/member/communities/$com/bans/$(field id)" "" "$a"
check 204 "the moderator lifts carol's ban"
call POST "/member/communities/$com/subscriptions" "" "$b"
check 201 "bob subscribes again" '"subscriber_count":2'
call DELETE "/member/communities/$com/subscriptions" "" "$b"
check 204 "bob unsubscribes"
call DELETE "/member/communities/$com/subscriptions" "" "$b"
check 404 "unsubscribing twice is not found"

# deletions
call DELETE "/member/posts/$post/comments/$cc" "" "$b"
check 403 "only the author deletes a comment"
call DELETE "/member/posts/$post/comments/$cc" "" "$c"
check 204 "carol deletes her comment"
call PATCH "/posts/$post/comments" '{}'
check 200 "its replies stay visible" '"records":9' "\"parent_id\":\"$cc\""
call DELETE "/member/communities/$com/flairs/$flair" "" "$a"
check 204 "the moderator deletes a flair"
call GET "/posts/$post"
check 200 "the post lost the deleted flair" '"flair":null'
call DELETE "/member/posts/$post" "" "$c"
check 403 "only the author deletes a post"
call DELETE "/member/posts/$post" "" "$b"
check 204 "bob deletes his post"
call GET "/posts/$post"
check 404 "a deleted post is not found"

# administrator
call PATCH /administrator/members '{"search":"CAROL"}' "$a"
check 403 "a member cannot list members"
call PATCH /administrator/members '{"sort":"username","direction":"asc"}' "$adm"
check 200 "the administrator lists members" '"records":3' '"email":"alice@x.io"'
call DELETE "/administrator/posts/$link" "" "$adm"
check 204 "the administrator deletes carol's post"
call DELETE "/administrator/posts/$link" "" "$adm"
check 404 "a deleted post cannot be deleted again"
call DELETE "/administrator/members/$cid" "" "$adm"
check 204 "the administrator bans carol from the site"
call PATCH /member/notifications '{}' "$c"
check 401 "a banned member's token stops working"
call POST /auth/member/login "{\"email\":\"c@x.io\",\"password\":\"$pw\"}"
check 401 "a banned member cannot log in"
call GET "/members/$cid"
check 404 "a banned member's profile is gone"
call DELETE "/administrator/communities/$com" "" "$a"
check 403 "a member cannot delete a community"
call DELETE "/administrator/communities/$com" "" "$adm"
check 204 "the administrator deletes the community"
call GET "/communities/$com"
check 404 "a deleted community is not found"
call PATCH /communities '{}'
check 200 "a deleted community is not listed" '"records":0'
call POST /member/communities '{"name":"rust_lang","title":"Rust"}' "$a"
check 409 "a deleted community's name stays taken"
serve_done serve_reddit
