-- Records one gameplay event and, when a session is open, bumps its counters.
-- Own ARGV: event type, details JSON, trade value to add ('' unless a trade),
-- 1 when a combat event, sector visited ('' when none).
-- Returns the updated session JSON, or false when no session is open.
local event_type = ARGV[FIRST_OWN_ARG]
local details_json = ARGV[FIRST_OWN_ARG + 1]
local trade_value = ARGV[FIRST_OWN_ARG + 2]
local is_combat = ARGV[FIRST_OWN_ARG + 3] == '1'
local sector = ARGV[FIRST_OWN_ARG + 4]

local result = false
local session = read_session(redis.call('GET', cfg.session_key), cfg.player_id)
if session then
  session.actions_count = session.actions_count + 1
  session.last_activity_at = cfg.now_ts
  if trade_value ~= '' then
    session.trades_count = session.trades_count + 1
    session.trade_volume = session.trade_volume + tonumber(trade_value)
  end
  if is_combat then
    session.combat_events = session.combat_events + 1
  end
  if sector ~= '' then
    local sectors = session.sectors_visited
    local known = false
    for i = 1, #sectors do
      if sectors[i] == sector then known = true break end
    end
    if not known then
      sectors[#sectors + 1] = sector
      local overflow = #sectors - cfg.max_session_sectors
      if overflow > 0 then
        local kept = {}
        for i = overflow + 1, #sectors do kept[#kept + 1] = sectors[i] end
        session.sectors_visited = kept
      end
    end
  end
  result = encode_session(session)
end

-- The event goes first: GET above and this first write fail on a key of the
-- wrong type before anything is written, so no type checks are needed here.
push_event(cfg.events_key, event_type, cfg.now_ts, details_json, cfg.max_events, cfg.events_ttl)
if result then redis.call('SET', cfg.session_key, result, 'EX', cfg.session_ttl) end
return result
