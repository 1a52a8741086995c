-- Takes clients of one slice that are due for the daily re-evaluation: up to ARGV[2] members of the due index
-- with a day on or before ARGV[1] that this tick has not taken yet, and records them as taken by it (so a
-- redelivered tick finds them again, and no client is taken twice by one tick). The index is not changed: the
-- commit of each client moves its day. Both keys carry the slice's hash tag.
-- KEYS[1] due sorted set   KEYS[2] set of the clients this tick took
-- ARGV[1] YYYYMMDD   ARGV[2] limit   ARGV[3] seconds to keep KEYS[2]
local out = {}
local limit = tonumber(ARGV[2])
local offset = 0
while #out < limit do
  local page = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', offset, 200)
  if #page == 0 then
    break
  end
  for _, id in ipairs(page) do
    if #out < limit and redis.call('SISMEMBER', KEYS[2], id) == 0 then
      out[#out + 1] = id
    end
  end
  offset = offset + #page
end
if #out > 0 then
  redis.call('SADD', KEYS[2], unpack(out))
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return out
