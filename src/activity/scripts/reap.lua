-- Reaps one online-set member, re-checking everything atomically so that
-- several instances reaping at once never complete a session twice:
-- - no session (expired): the member is a ghost and leaves the set;
-- - idle longer than the timeout (no activity and no heartbeat): the session
--   is completed as a logout ending at its last activity (reason "idle").
-- An unreadable session is left to its TTL. Own argument: idle_timeout_us.
-- Returns 'ghost', 'reaped' or false (left alone).
check_key_types()
local raw = redis_call('GET', K.session)
if not raw then
  if leave_online_set() == 1 then return global_reply('ghost') end
  return global_reply(false)
end

local session = read_session(raw)
if not session then return global_reply(false) end
local last_activity_us, end_ts, end_date = parse_ts(session.last_activity_at)
local idle_since = max(last_activity_us, parse_ts(session.last_seen_at) or 0)
if A.now_us - idle_since <= A.idle_timeout_us then return global_reply(false) end

complete_session(session, last_activity_us, end_ts, end_date, 'idle', false)
return global_reply('reaped')
