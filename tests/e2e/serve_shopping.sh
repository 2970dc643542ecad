#!/bin/bash
# serve_shopping.sh — `backbench serve --project shopping` (the shopping mall
# gold implementation: three actors, seller approval, products with options
# and variants, stock, cart, coupons, orders, payment, shipping, refunds and
# reviews) answers a story over real HTTP on loopback with curl: a seller
# joins and is approved by an administrator, lists a product with variants, a
# customer fills a cart, claims a coupon, orders with it, pays, the seller
# ships and delivers, the customer asks a refund, reviews and completes the
# order. Actor checks (401/403), ownership (403), duplicates (409), state
# machines (409), arithmetic (discount, stock) and validation (400) are
# checked too. One TAP line per check. BB_SHOP_IMPL=FILE serves another
# implementation file (e.g. the text form) instead of the embedded gold one.
set -u
. "$(dirname "$0")/lib/serve.bash"
serve_start --project shopping ${BB_SHOP_IMPL:+--impl "$BB_SHOP_IMPL"}
idof() { # id of the variant with code $1 in $body
  printf '%s' "$body" | grep -o "\"id\":\"[^\"]*\",\"code\":\"$1\"" | head -1 | sed 's/^"id":"//; s/".*//'
}
num() { # first "name":number in $body
  printf '%s' "$body" | grep -o "\"$1\":[0-9-]*" | head -1 | sed "s/^\"$1\"://"
}

# accounts
call POST /auth/admin/join '{"email":"Root@Mall.io","password":"secret123","name":"Root"}'
check 201 "an administrator joins" '"email":"root@mall.io"' '"refresh"'
adm=$(field access)
call POST /auth/seller/join '{"email":"s@mall.io","password":"secret123","name":"Sam","company_name":"Sam Co"}'
check 201 "a seller joins" '"name":"Sam"'
sel=$(field access)
sid=$(field id)
sref=$(field refresh)
call POST /auth/seller/join '{"email":"S@MALL.IO","password":"secret123","name":"Dup","company_name":"Dup"}'
check 409 "a taken seller e-mail is a conflict"
call POST /auth/customer/join '{"email":"s@mall.io","password":"secret123","name":"Cora"}'
check 201 "the same e-mail is free for a customer"
cus=$(field access)
call POST /auth/customer/join '{"email":"bad","password":"secret123","name":"X"}'
check 400 "a bad e-mail is invalid input"
call POST /auth/customer/join '{"email":"d@mall.io","password":"secret123","name":"Dan"}'
check 201 "a second customer joins"
cus2=$(field access)
call POST /auth/customer/login '{"email":"S@mall.io","password":"wrong-pass"}'
check 401 "a wrong password is refused"
call POST /auth/customer/login '{"email":"S@mall.io","password":"secret123"}'
check 200 "a customer logs in" '"token"'
call POST /auth/seller/refresh "{\"refresh_token\":\"$sref\"}"
check 200 "a seller refreshes its tokens" '"access"'
call POST /auth/customer/refresh "{\"refresh_token\":\"$sref\"}"
check 401 "a seller refresh token is not a customer's"
call GET /seller/me "" "$cus"
check 403 "a customer token cannot read a seller account"
call GET /seller/me "" "garbage"
check 401 "a forged token is refused"
call PUT /customer/me '{"mobile":"+82 10-1234"}' "$cus"
check 200 "a customer changes the mobile number" '"mobile":"+82 10-1234"' '"name":"Cora"'
has password && tap 0 "an account leaks its password hash" || tap 1 "no password hash is returned"

# catalogue
call POST /admin/sections '{"code":"fashion","name":"Fashion"}' "$adm"
check 201 "the administrator opens a section" '"code":"fashion"'
sec=$(field id)
call POST /admin/sections '{"code":"fashion","name":"Again"}' "$adm"
check 409 "a section code is unique"
call POST /admin/sections '{"code":"Bad Code","name":"x"}' "$adm"
check 400 "a section code has a pattern"
call POST /admin/sections '{"code":"food","name":"Food"}' "$cus"
check 403 "a customer cannot open a section"
call POST /admin/categories '{"code":"shirts","name":"Shirts"}' "$adm"
check 201 "a root category" '"parent_id":null'
cat1=$(field id)
call POST /admin/categories "{\"code\":\"tees\",\"name\":\"Tees\",\"parent_id\":\"$cat1\"}" "$adm"
check 201 "a child category" "\"parent_id\":\"$cat1\""
cat2=$(field id)
call PUT "/admin/categories/$cat1" "{\"parent_id\":\"$cat2\"}" "$adm"
check 400 "a category cannot become its own ancestor"
call PATCH /categories "{\"parent_id\":null}"
check 200 "root categories" '"records":1' '"code":"shirts"'
prod='{"shopping_section_id":"'$sec'","shopping_category_id":"'$cat2'","name":"Plain tee","description":"Cotton",
 "imageUrls":["https://img.mall.io/a.png","https://img.mall.io/b.png"],"tagNames":["summer","cotton"],
 "productOptions":[{"name":"Colour","optionCandidates":[{"name":"Red"},{"name":"Blue"}]},{"name":"Size","optionCandidates":[{"name":"M"},{"name":"L"}]}],
 "productVariants":[{"code":"T-RM","name":"Red / M","price":10000,"stock":5,"candidateNames":["Red","M"]},
                    {"code":"T-BL","name":"Blue / L","price":12000,"stock":1,"candidateNames":["Blue","L"]}]}'
call POST /seller/products "$prod" "$sel"
check 403 "an unapproved seller cannot list a product"
call PUT "/admin/sellers/$sid/approve" "" "$adm"
check 200 "the administrator approves the seller" '"approved_at":"2026-'
call PUT "/admin/sellers/$sid/approve" "" "$adm"
check 409 "approving twice is a conflict"
call POST /seller/products "${prod/'"Blue / L","price":12000,"stock":1,"candidateNames":["Blue","L"]'/'"Blue / L","price":12000,"stock":1,"candidateNames":["Red","M"]'}" "$sel"
check 400 "two variants picking the same candidates are refused"
call POST /seller/products "${prod/\"Blue\",\"L\"/\"Blue\",\"XL\"}" "$sel"
check 400 "a variant naming an unknown candidate is refused"
call POST /seller/products "$prod" "$sel"
check 201 "the approved seller lists a product" '"imageUrls":["https://img.mall.io/a.png","https://img.mall.io/b.png"]' '"tagNames":["cotton","summer"]' '"optionCandidates":[{'
prid=$(field id)
v1=$(idof T-RM)
v2=$(idof T-BL)
[ -n "$v1" ] && [ -n "$v2" ] && [ "$v1" != "$v2" ]; tap $((! $?)) "the product carries its two variants"
call PATCH /products '{"tag":"summer"}'
check 200 "visitors find it by tag" '"records":1' '"lowestPrice":10000' '"thumbnailUrl":"https://img.mall.io/a.png"'
call PATCH /products '{"search":"TEE","sort":"name"}'
check 200 "visitors find it by a case-insensitive search" '"records":1'
call DELETE "/admin/sections/$sec" "" "$adm"
check 409 "a section with products cannot be deleted"
call POST "/seller/products/$prid/variants" '{"code":"T-RM","name":"dup","price":1,"stock":0,"candidateNames":["Red","L"]}' "$sel"
check 409 "a variant code is unique within the product"
call POST "/seller/products/$prid/variants" '{"code":"T-RL","name":"Red / L","price":11000,"stock":0,"candidateNames":["Red","L"]}' "$sel"
check 201 "the seller adds a variant" '"stock":0' '"candidateIds":["'
v3=$(field id)
call POST "/seller/products/$prid/variants/$v3/restocks" '{"quantity":3}' "$sel"
check 201 "the seller restocks it" '"quantity":3'
call GET "/products/$prid"
check 200 "the restock shows in the stock" '"code":"T-RL","name":"Red / L","price":11000,"stock":3'
call PUT "/seller/products/$prid" '{"name":"Plain tee v2"}' "$sel"
check 200 "the seller renames the product" '"name":"Plain tee v2"'
call PATCH "/seller/products/$prid/snapshots" '{}' "$sel"
check 200 "each change takes a snapshot" '"records":2'
call PUT "/seller/products/$prid/pause" "" "$sel"
check 200 "the seller pauses the sale" '"paused_at":"2026-'
call GET "/products/$prid"
check 404 "a paused product is not visible"
call PUT "/admin/products/$prid/suspend" "" "$adm"
check 200 "the administrator suspends it" '"suspended_at":"2026-'
call PUT "/seller/products/$prid/resume" "" "$sel"
check 409 "a suspended product cannot be resumed by its seller"
call PUT "/admin/products/$prid/unsuspend" "" "$adm"
check 200 "the suspension is lifted" '"suspended_at":null'
call PUT "/seller/products/$prid/resume" "" "$sel"
check 200 "the seller resumes the sale" '"paused_at":null'

# cart, coupon, order
call POST /customer/cart-items "{\"shopping_product_variant_id\":\"$v1\",\"quantity\":60}" "$cus"
check 201 "a customer puts a variant in the cart" '"isOrderable":false' '"productName":"Plain tee v2"'
cart=$(field id)
call POST /customer/cart-items "{\"shopping_product_variant_id\":\"$v1\",\"quantity\":41}" "$cus"
check 400 "a cart line holds at most 100 units"
call PUT "/customer/cart-items/$cart" '{"quantity":2}' "$cus"
check 200 "the customer changes the quantity" '"quantity":2' '"isOrderable":true'
call PUT "/customer/cart-items/$cart" '{"quantity":1}' "$cus2"
check 403 "another customer cannot touch the cart"
call POST /admin/coupons '{"name":"Ten off","discount_type":"percent","discount_value":10,"minimum_order_amount":20000,"maximum_discount_amount":2500,"issue_limit":1,"opened_at":"2025-12-01T00:00:00Z"}' "$adm"
check 201 "the administrator issues a coupon" '"issuedCount":0'
cpn=$(field id)
call POST "/customer/coupons/$cpn/tickets" "" "$cus"
check 201 "the customer claims it" "\"shopping_coupon_id\":\"$cpn\"" '"issuedCount":1'
tkt=$(field id)
call POST "/customer/coupons/$cpn/tickets" "" "$cus"
check 409 "a coupon is claimed once"
call POST "/customer/coupons/$cpn/tickets" "" "$cus2"
check 409 "the claim limit is reached"
call POST /customer/addresses '{"name":"Cora","mobile":"010","country":"KR","province":"Seoul","city":"Seoul","street":"1 Main St","postal_code":"04524"}' "$cus"
check 201 "the customer adds an address" '"special_note":null'
addr=$(field id)
call GET "/customer/addresses/$addr" "" "$cus2"
check 403 "another customer cannot read the address"
call POST /customer/orders "{\"shopping_address_id\":\"$addr\",\"orderItems\":[{\"shopping_product_variant_id\":\"$v2\",\"quantity\":2}]}" "$cus"
check 409 "ordering more than the stock is a conflict" 'T-BL'
call POST /customer/orders "{\"shopping_address_id\":\"$addr\",\"shopping_coupon_ticket_id\":\"$tkt\",\"orderItems\":[{\"shopping_product_variant_id\":\"$v2\",\"quantity\":1}]}" "$cus"
check 409 "an order below the coupon minimum cannot use it"
call POST /customer/orders "{\"shopping_address_id\":\"$addr\",\"shopping_coupon_ticket_id\":\"$tkt\",\"orderItems\":[{\"shopping_product_variant_id\":\"$v1\",\"quantity\":2},{\"shopping_product_variant_id\":\"$v2\",\"quantity\":1}]}" "$cus2"
check 403 "another customer's ticket and address are refused"
call POST /customer/orders "{\"shopping_address_id\":\"$addr\",\"shopping_coupon_ticket_id\":\"$tkt\",\"note\":\"door\",\"orderItems\":[{\"shopping_product_variant_id\":\"$v1\",\"quantity\":2},{\"shopping_product_variant_id\":\"$v2\",\"quantity\":1}]}" "$cus"
check 201 "the customer orders with the coupon" '"status":"pending_payment"' '"total_price":32000' '"discount_amount":2500' '"payable_amount":29500' '"variant_name":"Red / M"' '"name":"Plain tee v2"'
oid=$(field id)
item1=$(printf '%s' "$body" | grep -o "\"id\":\"[^\"]*\",\"shopping_product_snapshot_id\":\"[^\"]*\",\"shopping_product_variant_id\":\"$v1\"" | sed 's/^"id":"//; s/".*//')
item2=$(printf '%s' "$body" | grep -o "\"id\":\"[^\"]*\",\"shopping_product_snapshot_id\":\"[^\"]*\",\"shopping_product_variant_id\":\"$v2\"" | sed 's/^"id":"//; s/".*//')
call PATCH /customer/cart-items '{}' "$cus"
check 200 "the ordered cart line is gone" '"records":0'
call GET "/products/$prid"
check 200 "the stock is taken" '"code":"T-RM","name":"Red / M","price":10000,"stock":3' '"code":"T-BL","name":"Blue / L","price":12000,"stock":0'
call POST /customer/orders "{\"shopping_address_id\":\"$addr\",\"shopping_coupon_ticket_id\":\"$tkt\",\"orderItems\":[{\"shopping_product_variant_id\":\"$v1\",\"quantity\":1}]}" "$cus"
check 409 "a used ticket cannot be used again"
call GET "/customer/orders/$oid" "" "$cus2"
check 403 "another customer cannot read the order"
call POST "/seller/orders/$oid/shipments" "{\"carrier\":\"CJ\",\"tracking_number\":\"1\",\"orderItemIds\":[\"$item1\"]}" "$sel"
check 409 "an unpaid order cannot be shipped"
call POST "/customer/orders/$oid/payment" '{"method":"card","amount":32000}' "$cus"
check 400 "the payment must equal the payable amount"
call POST "/customer/orders/$oid/payment" '{"method":"card","amount":29500}' "$cus"
check 201 "the customer pays" '"method":"card"' '"cancelled_at":null'
call POST "/customer/orders/$oid/payment" '{"method":"card","amount":29500}' "$cus"
check 409 "an order is paid once"
call PATCH /seller/orders '{"status":"paid"}' "$sel"
check 200 "the seller sees the paid order" '"records":1' '"itemCount":2'
call POST "/seller/orders/$oid/shipments" "{\"carrier\":\"CJ\",\"tracking_number\":\"T100\",\"orderItemIds\":[\"$item1\"]}" "$sel"
check 201 "the seller ships one item" "\"orderItemIds\":[\"$item1\"]" '"delivered_at":null'
shp=$(field id)
call POST "/seller/orders/$oid/shipments" "{\"carrier\":\"CJ\",\"tracking_number\":\"T101\",\"orderItemIds\":[\"$item1\"]}" "$sel"
check 409 "an item is shipped once"
call PUT "/customer/orders/$oid/cancel" "" "$cus"
check 409 "a shipped order cannot be cancelled"
call GET "/customer/orders/$oid" "" "$cus"
check 200 "the order is in delivery" '"status":"in_delivery"' '"orderPayment":{' '"tracking_number":"T100"'
call PUT "/seller/shipments/$shp/deliver" "" "$sel"
check 200 "the seller marks it delivered" '"delivered_at":"2026-'
call PUT "/seller/shipments/$shp/deliver" "" "$sel"
check 409 "delivering twice is a conflict"
call GET "/customer/orders/$oid" "" "$cus"
check 200 "an order with an unshipped item is not delivered yet" '"status":"in_delivery"'
call PUT "/customer/orders/$oid/complete" "" "$cus"
check 409 "an order not delivered cannot be completed"
call POST /customer/reviews "{\"shopping_order_item_id\":\"$item2\",\"score\":5,\"title\":\"t\",\"body\":\"b\"}" "$cus"
check 409 "an item not delivered cannot be reviewed"
call POST "/seller/orders/$oid/shipments" "{\"carrier\":\"CJ\",\"tracking_number\":\"T102\",\"orderItemIds\":[\"$item2\"]}" "$sel"
check 201 "the seller ships the other item"
shp2=$(field id)
call PUT "/seller/shipments/$shp2/deliver" "" "$sel"
check 200 "the second shipment is delivered"
call GET "/customer/orders/$oid" "" "$cus"
check 200 "every item delivered: the order is delivered" '"status":"delivered"'
call POST /customer/refunds "{\"shopping_order_item_id\":\"$item2\",\"reason\":\"too small\"}" "$cus2"
check 403 "another customer cannot ask a refund"
call POST /customer/refunds "{\"shopping_order_item_id\":\"$item2\",\"reason\":\"too small\"}" "$cus"
check 201 "the customer asks a refund" '"status":"requested"' '"refund_amount":null'
ref=$(field id)
call POST /customer/refunds "{\"shopping_order_item_id\":\"$item2\",\"reason\":\"again\"}" "$cus"
check 409 "one refund request per item"
call PUT "/customer/orders/$oid/complete" "" "$cus"
check 409 "a waiting refund blocks completion"
call PUT "/seller/refunds/$ref/approve" "" "$sel"
check 200 "the seller approves the refund" '"status":"approved"' '"refund_amount":12000'
call PUT "/seller/refunds/$ref/reject" '{"rejection_reason":"no"}' "$sel"
check 409 "a refund is decided once"
call POST /customer/refunds "{\"shopping_order_item_id\":\"$item1\",\"reason\":\"faded\"}" "$cus"
check 201 "a refund of the other item"
ref2=$(field id)
call PUT "/seller/refunds/$ref2/approve" "" "$sel"
check 200 "the second refund is capped by what is left of the payment" '"refund_amount":17500'
call PUT "/customer/orders/$oid/complete" "" "$cus"
check 200 "the customer completes the order" '"status":"completed"' '"completed_at":"2026-'
call POST /customer/reviews "{\"shopping_order_item_id\":\"$item1\",\"score\":4,\"title\":\"Nice\",\"body\":\"Soft cotton\"}" "$cus"
check 201 "the customer reviews a delivered item" "\"shopping_product_id\":\"$prid\"" '"sellerReply":null'
rev=$(field id)
call POST /customer/reviews "{\"shopping_order_item_id\":\"$item1\",\"score\":1,\"title\":\"Again\",\"body\":\"x\"}" "$cus"
check 409 "one review per item"
call POST /customer/reviews "{\"shopping_order_item_id\":\"$item2\",\"score\":6,\"title\":\"t\",\"body\":\"b\"}" "$cus"
check 400 "a score above 5 is invalid"
call PUT "/customer/reviews/$rev" '{"score":5}' "$cus2"
check 403 "another customer cannot change the review"
call POST "/seller/reviews/$rev/reply" '{"body":"Thank you"}' "$sel"
check 201 "the seller replies" '"body":"Thank you"'
call POST "/seller/reviews/$rev/reply" '{"body":"Again"}' "$sel"
check 409 "one reply per review"
call PATCH "/products/$prid/reviews" '{"sort":"-score"}'
check 200 "anyone reads the reviews with the reply" '"records":1' '"score":4' '"sellerReply":{'

# another order, cancelled after payment
call POST /customer/orders "{\"shopping_address_id\":\"$addr\",\"orderItems\":[{\"shopping_product_variant_id\":\"$v3\",\"quantity\":3}]}" "$cus"
check 201 "a second order without coupon" '"discount_amount":0' '"payable_amount":33000'
oid2=$(field id)
call POST "/customer/orders/$oid2/payment" '{"method":"bank_transfer","amount":33000}' "$cus"
check 201 "it is paid"
call PUT "/customer/orders/$oid2/cancel" "" "$cus"
check 200 "the customer cancels the paid order" '"status":"cancelled"' '"orderPayment":{' '"cancelled_at":"2026-'
call GET "/products/$prid"
check 200 "the stock is back" '"code":"T-RL","name":"Red / L","price":11000,"stock":3'
call PUT "/customer/orders/$oid2/cancel" "" "$cus"
check 409 "cancelling twice is a conflict"
call PATCH /customer/orders '{"status":"cancelled"}' "$cus"
check 200 "orders filter by state" '"records":1' '"itemCount":1'
call GET "/seller/orders/$oid" "" "$sel"
check 200 "the seller reads the order" '"status":"completed"'

# questions, favorites, inquiries
call POST "/customer/products/$prid/questions" '{"title":"Secret","body":"size?","is_secret":true}' "$cus"
check 201 "a secret question" '"is_secret":true' '"sellerAnswer":null'
q1=$(field id)
call GET "/products/$prid/questions/$q1"
check 404 "a secret question reads as 404 for visitors"
call PATCH /seller/questions '{"answered":false}' "$sel"
check 200 "the seller sees the unanswered secret question" '"records":1'
call POST "/seller/questions/$q1/answer" '{"body":"runs small"}' "$sel"
check 201 "the seller answers"
call POST "/seller/questions/$q1/answer" '{"body":"again"}' "$sel"
check 409 "one answer per question"
call PUT "/customer/questions/$q1" '{"title":"Changed"}' "$cus"
check 409 "an answered question cannot be changed"
call PATCH /customer/questions '{"answered":true}' "$cus"
check 200 "the author lists answered questions" '"records":1' '"body":"runs small"'
call POST /customer/favorites "{\"shopping_product_id\":\"$prid\"}" "$cus"
check 201 "a favorite" '"lowestPrice":10000'
fav=$(field id)
call POST /customer/favorites "{\"shopping_product_id\":\"$prid\"}" "$cus"
check 409 "a product is a favorite once"
call DELETE "/customer/favorites/$fav" "" "$cus2"
check 403 "another customer cannot remove it"
call POST /customer/inquiries "{\"title\":\"Where\",\"body\":\"my parcel\",\"shopping_order_id\":\"$oid\"}" "$cus2"
check 403 "an inquiry about another customer's order is refused"
call POST /customer/inquiries "{\"title\":\"Where\",\"body\":\"my parcel\",\"shopping_order_id\":\"$oid\"}" "$cus"
check 201 "the customer opens an inquiry" '"status":"open"' '"inquiryComments":[]'
inq=$(field id)
call POST "/admin/inquiries/$inq/comments" '{"body":"on its way"}' "$adm"
check 201 "the administrator answers"
call GET "/customer/inquiries/$inq" "" "$cus"
check 200 "the inquiry is answered" '"status":"answered"' '"body":"on its way"'
call PUT "/customer/inquiries/$inq/close" "" "$cus"
check 200 "the author closes it" '"status":"closed"'
call POST "/customer/inquiries/$inq/comments" '{"body":"one more"}' "$cus"
check 409 "a closed inquiry takes no comment"

# the remaining reads and lists answer with their DTOs
call PATCH /admin/customers '{"search":"MALL.IO"}' "$adm"
check 200 "the administrator searches customers" '"records":2'
call PATCH /admin/sellers '{"approved":true}' "$adm"
check 200 "the administrator lists approved sellers" '"records":1' '"company_name":"Sam Co"'
call PATCH /admin/sellers '{"approved":false}' "$adm"
check 200 "no seller waits for approval" '"records":0'
call GET "/admin/sellers/$sid" "" "$adm"
check 200 "the administrator reads a seller" '"company_name":"Sam Co"'
call PATCH /customer/addresses '{}' "$cus"
check 200 "the customer lists the address book" '"records":1'
call PATCH /sections '{"search":"FASH"}'
check 200 "anyone lists sections" '"records":1'
call GET "/categories/$cat2"
check 200 "anyone reads a category" '"code":"tees"'
call PATCH /seller/products '{"sort":"created_at"}' "$sel"
check 200 "the seller lists own products" '"records":1' '"name":"Plain tee v2"'
call PATCH "/seller/products/$prid/variants/$v3/restocks" '{}' "$sel"
check 200 "the seller lists a variant's restocks" '"records":1' '"quantity":3'
call PATCH /admin/coupons '{"search":"ten"}' "$adm"
check 200 "the administrator lists coupons" '"records":1' '"issuedCount":1'
call PUT "/admin/coupons/$cpn" '{"issue_limit":2,"name":"Ten percent"}' "$adm"
check 200 "the administrator raises the claim limit" '"issue_limit":2' '"name":"Ten percent"' '"discount_value":10'
call PATCH /customer/coupons '{}' "$cus2"
check 200 "customers list open coupons" '"records":1'
call PATCH /customer/coupon-tickets '{"used":true}' "$cus"
check 200 "the customer lists used tickets" '"records":1' '"claimedCoupon":{'
call DELETE "/admin/coupons/$cpn" "" "$adm"
check 204 "the administrator deletes the coupon"
call GET "/admin/coupons/$cpn" "" "$adm"
check 404 "a deleted coupon is gone"
call PATCH /admin/orders '{"created_from":"2026-01-01T00:00:00Z"}' "$adm"
check 200 "the administrator lists every order" '"records":2'
call GET "/admin/orders/$oid" "" "$adm"
check 200 "the administrator reads an order" '"deliveryAddress":{'
call PATCH /seller/shipments '{"delivered":true}' "$sel"
check 200 "the seller lists delivered shipments" '"records":2'
call PATCH /customer/refunds '{"status":"approved"}' "$cus"
check 200 "the customer lists approved refunds" '"records":2'
call GET "/customer/refunds/$ref" "" "$cus2"
check 403 "another customer cannot read the refund"
call PATCH /seller/refunds '{}' "$sel"
check 200 "the seller lists refunds of own items" '"records":2'
call GET "/products/$prid/reviews/$rev"
check 200 "anyone reads a review" '"title":"Nice"'
call PUT "/customer/reviews/$rev" '{"score":5}' "$cus"
check 200 "the author changes the score" '"score":5' '"title":"Nice"'
call POST "/customer/products/$prid/questions" '{"title":"Public","body":"wash?","is_secret":false}' "$cus2"
check 201 "a public question"
q2=$(field id)
call PATCH "/products/$prid/questions" '{}'
check 200 "visitors list only public questions" '"records":1' '"title":"Public"'
call PUT "/seller/questions/$q1/answer" '{"body":"runs very small"}' "$sel"
check 200 "the seller changes the answer" '"body":"runs very small"'
call DELETE "/customer/questions/$q2" "" "$cus"
check 403 "another customer cannot delete the question"
call DELETE "/customer/questions/$q2" "" "$cus2"
check 204 "the author deletes the question"
call PATCH /customer/inquiries '{"status":"closed"}' "$cus"
check 200 "the customer lists closed inquiries" '"records":1'
call PATCH /admin/inquiries '{}' "$adm"
check 200 "the administrator lists inquiries" '"records":1'
call GET "/admin/inquiries/$inq" "" "$adm"
check 200 "the administrator reads an inquiry" '"inquiryComments":[{'
call DELETE "/admin/reviews/$rev" "" "$adm"
check 204 "the administrator deletes the review"
call PATCH "/products/$prid/reviews" '{}'
check 200 "a deleted review is invisible" '"records":0'

# deletions
call DELETE "/seller/products/$prid/variants/$v3" "" "$sel"
check 204 "the seller deletes a variant"
call DELETE "/admin/categories/$cat1" "" "$adm"
check 409 "a category with children cannot be deleted"
call DELETE "/seller/products/$prid" "" "$sel"
check 204 "the seller deletes the product"
call GET "/products/$prid"
check 404 "a deleted product is gone"
call PATCH /customer/favorites '{}' "$cus"
check 200 "favorites of deleted products are left out" '"records":0'
call DELETE "/admin/sections/$sec" "" "$adm"
check 204 "an empty section can be deleted"
call POST /admin/sections '{"code":"fashion","name":"Fashion again"}' "$adm"
check 409 "a deleted section's code stays reserved"
serve_done serve_shopping
