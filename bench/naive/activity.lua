-- The straightforward activity script (issue 14's comparison): GET the
-- session, decode it with cjson, bump its counters, SET it back, push the
-- event. Also the "minimal activity script" whose redis-benchmark ceiling
-- the bench measures.
-- KEYS: session, events. ARGV: now, event JSON, trade value ('' unless a
-- trade), '1' for combat, sector ('' when none).
local raw = redis.call('GET', KEYS[1])
local session = false
if raw then
  local s = cjson.decode(raw)
  s.actions_count = s.actions_count + 1
  s.last_activity_at = ARGV[1]
  if ARGV[3] ~= '' then
    s.trades_count = s.trades_count + 1
    s.trade_volume = s.trade_volume + tonumber(ARGV[3])
  end
  if ARGV[4] == '1' then s.combat_events = s.combat_events + 1 end
  if ARGV[5] ~= '' then
    local seen = false
    for _, v in ipairs(s.sectors_visited) do
      if v == ARGV[5] then seen = true break end
    end
    if not seen then
      table.insert(s.sectors_visited, ARGV[5])
      if #s.sectors_visited > 100 then table.remove(s.sectors_visited, 1) end
    end
  end
  session = cjson.encode(s)
  redis.call('SET', KEYS[1], session, 'EX', 86400)
end
redis.call('LPUSH', KEYS[2], ARGV[2])
redis.call('LTRIM', KEYS[2], 0, 499)
redis.call('EXPIRE', KEYS[2], 604800)
return session
