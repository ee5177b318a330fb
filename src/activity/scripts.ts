import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * The Lua scripts that apply each tracked call atomically in one round trip.
 * ioredis runs them with EVALSHA and falls back to EVAL once when Redis has
 * not cached them yet (first call, or after a Redis restart).
 */

export type ScriptRunner = (keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

export interface ActivityScripts {
  login: ScriptRunner;
  activity: ScriptRunner;
  logout: ScriptRunner;
  publishCount: ScriptRunner;
  onlineCount: ScriptRunner;
}

const readScript = (name: string) => readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8');

const PLAYER_SCRIPT_KEYS = 5;

export function defineActivityScripts(redis: Redis): ActivityScripts {
  const lib = readScript('lib');
  const define = (name: string, lua: string, numberOfKeys: number): ScriptRunner => {
    const commandName = `activity_${name.replace('-', '_')}`;
    redis.defineCommand(commandName, { lua, numberOfKeys });
    const command = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[
      commandName
    ];
    if (!command) throw new Error(`script ${name} was not defined`);
    return (keys, args) => command.call(redis, ...keys, ...args);
  };
  const playerScript = (name: string) => define(name, `${lib}\n${readScript(name)}`, PLAYER_SCRIPT_KEYS);
  return {
    login: playerScript('login'),
    activity: playerScript('activity'),
    logout: playerScript('logout'),
    publishCount: define('publish-count', readScript('publish-count'), 2),
    onlineCount: define('online-count', readScript('online-count'), 2),
  };
}
