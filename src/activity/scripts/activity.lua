-- Records one gameplay event and, when a session is open, bumps its counters.
-- Own arguments: event_type, details_json, and only where they apply
-- trade_value (a trade), is_combat ('1'), sector (a sector move).
-- Every event counts in the day's game-wide numbers, session or not.
-- Returns the updated session JSON, or false when no session is open.
-- A repeated event id returns the first call's answer and changes nothing.
local first = remembered_call()
if first then return repeated_reply(first, false) end
local result = false
-- A session last active today was counted among today's players when that
-- was written (login and activity both do it in the same step): no PFADD.
local counted_today = false
local session = read_session(redis_call('GET', K.session))
if session then
  counted_today = sub(session.last_activity_at, 1, 10) == A.now_date
  session.actions_count = session.actions_count + 1
  session.last_activity_at = A.now_ts
  if A.trade_value then
    session.trades_count = session.trades_count + 1
    session.trade_volume = session.trade_volume + tonumber(A.trade_value)
  end
  if A.is_combat then
    session.combat_events = session.combat_events + 1
  end
  if A.sector then visit_sector(session, A.sector) end
  result = encode_session(session)
end

-- The event goes first: GET above (and remembered_call's reads) and this
-- first write fail on a key of the wrong type before anything is written, so
-- no type checks are needed here.
push_event(encode_event(A.event_type, A.now_ts, A.details_json, A.event_id))
if result then redis_call('SET', K.session, result, 'EX', A.session_ttl) end
-- counts as strings: HINCRBY gets them as they are, a number would be formatted first
global_add(A.now_date, 'actions', '1')
if A.trade_value then
  global_add(A.now_date, 'trades', '1')
  global_add(A.now_date, 'trade_volume', A.trade_value)
end
if A.is_combat then global_add(A.now_date, 'combat_events', '1') end
if not counted_today then global_seen(A.now_date) end
remember_call(result)
return global_reply(result)
