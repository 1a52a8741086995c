-- Deletes one client's register state and outbox if nobody changed the client since it was read (the same
-- optimistic concurrency as commit.lua): the end of the bewaartermijn. Both keys carry the client's hash tag.
-- KEYS[1] state hash {v, s}   KEYS[2] outbox hash
-- ARGV[1] expected version
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
