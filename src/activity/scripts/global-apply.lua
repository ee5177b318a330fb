-- On a Redis Cluster: writes the game-wide numbers that per-player scripts
-- noted (lib/global.lua, global_reply), in the online set's slot.
-- Keys: online (for the slot only). Arguments: notes, a JSON array of
-- date, field, amount triples (strings); the global_* ones are constants.
-- Returns how many were written.
local notes = cjson.decode(A.notes)
for i = 1, #notes, 3 do apply_global(notes[i], notes[i + 1], notes[i + 2]) end
return #notes / 3
