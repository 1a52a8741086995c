-- One client as the changelog needs it, read at once: its version, its state (when asked for), and its outbox
-- entries except the positions given (a flush's own, which its transaction carries already). Both keys carry
-- the client's hash tag, so they live in one Redis Cluster slot.
-- KEYS[1] state hash {v, s}   KEYS[2] outbox hash (position -> outputs, sealed)
-- ARGV[1] '1': the state too   ARGV[2..] positions left out
-- Returns { version ('0': unknown), state ('' when not asked for or unknown), position, outputs, ... }
local v = redis.call('HGET', KEYS[1], 'v')
if not v then
  return { '0', '' }
end
local s = ''
if ARGV[1] == '1' then
  s = redis.call('HGET', KEYS[1], 's') or ''
end
local out = { v, s }
local entries = redis.call('HGETALL', KEYS[2])
if #entries == 0 then
  return out
end
local skip = {}
for i = 2, #ARGV do
  skip[ARGV[i]] = true
end
for i = 1, #entries, 2 do
  if not skip[entries[i]] then
    out[#out + 1] = entries[i]
    out[#out + 1] = entries[i + 1]
  end
end
return out
