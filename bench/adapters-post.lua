-- wrk script for the adapters benchmark: POST /json with a 64 KiB JSON document.
local item = '{"id":123456,"name":"item-name-abcdefgh","tags":["alpha","beta","gamma"],"price":12.5},'
local count = math.floor(65536 / #item)
local items = string.rep(item, count)
local body = '{"items":[' .. items:sub(1, -2) .. '],"pad":"'
body = body .. string.rep('x', 65536 - #body - 2) .. '"}'

wrk.method = 'POST'
wrk.path = '/json'
wrk.body = body
wrk.headers['Content-Type'] = 'application/json'
