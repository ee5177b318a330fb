import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The Redis Functions library that holds every script a runner defined
 * (Redis 7.0+): the helpers in scripts/lib are defined once when the
 * library loads, and each script becomes one registered function whose
 * body is the script's file.
 *
 * Names are versioned by a hash of the library's whole text (code and the
 * constants written into it): function names are global across libraries
 * in Redis, so two instances with different code or configuration on one
 * Redis each load and call their own version and never replace the other's.
 * A version nobody calls any more stays loaded until FUNCTION DELETE (or
 * FUNCTION FLUSH) removes it.
 */

/** The Lua libraries in scripts/lib, in the order they are written into the library. */
export const LUA_LIBRARIES = ['format', 'global', 'online', 'session', 'event-ids'] as const;
export type LuaLibrary = (typeof LUA_LIBRARIES)[number];

export interface FunctionDefinition {
  /** scripts/<file>.lua */
  readonly file: string;
  readonly libraries: readonly LuaLibrary[];
  readonly keyNames: readonly string[];
  readonly constants: Readonly<Record<string, string | number>>;
  /** Registered with the no-writes flag and called with FCALL_RO. */
  readonly readOnly: boolean;
}

export interface FunctionLibrary {
  readonly name: string;
  /** What FUNCTION LOAD gets. */
  readonly code: string;
  /** The function of each definition, in definition order. */
  readonly functionNames: readonly string[];
}

const HASH_PLACEHOLDER = '@VERSION@';

// Full-line comments and blank lines are left out of what is loaded. Read
// once per file: the library is rebuilt as each script is defined.
const luaText = new Map<string, string>();
const readLua = (path: string) => {
  let text = luaText.get(path);
  if (text === undefined) {
    text = readFileSync(new URL(`../scripts/${path}.lua`, import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*--/.test(line) && line.trim() !== '')
      .join('\n');
    luaText.set(path, text);
  }
  return text;
};

export function buildFunctionLibrary(definitions: readonly FunctionDefinition[]): FunctionLibrary {
  const used = new Set(definitions.flatMap((definition) => definition.libraries));
  const libraries = LUA_LIBRARIES.filter((library) => used.has(library));
  const stems = definitions.map((definition) => `activity_${definition.file.replaceAll('-', '_')}`);
  const template = [
    `#!lua name=activity_${HASH_PLACEHOLDER}`,
    readLua('lib/call'),
    ...libraries.map((library) => readLua(`lib/${library}`)),
    ...definitions.map((definition, index) =>
      registration(definition, `${stems[index]}_${HASH_PLACEHOLDER}`, used.has('global')),
    ),
  ].join('\n');
  const version = createHash('sha256').update(template).digest('hex').slice(0, 16);
  return {
    name: `activity_${version}`,
    code: template.replaceAll(HASH_PLACEHOLDER, version),
    functionNames: stems.map((stem) => `${stem}_${version}`),
  };
}

/**
 * One script as a function. The chunk used to be run whole for every call;
 * now only this entry runs: the per-call state the helpers share (K, A and
 * lib/global.lua's GLOBAL) is set afresh here, before the script's body.
 */
function registration(definition: FunctionDefinition, name: string, resetGlobal: boolean): string {
  const keyNames = definition.keyNames.map((keyName) => luaString(checkName(keyName))).join(', ');
  const constants = Object.entries(definition.constants)
    .map(([constant, value]) => `${checkName(constant)} = ${luaString(String(value))}`)
    .join(', ');
  return [
    'do',
    `local key_names = {${keyNames}}`,
    `local constants, state = {${constants}}, nil`,
    'local function body()',
    readLua(definition.file),
    'end',
    `redis.register_function{function_name = ${luaString(name)}, flags = {${definition.readOnly ? "'no-writes'" : ''}}, callback = function(keys, args)`,
    ...(resetGlobal ? ['GLOBAL = {}'] : []),
    // Redis 7.0 loads a library without pairs or cjson: converted at the first call
    'state = state or call_state(constants)',
    'decode_call(keys, args, key_names, state)',
    'return body()',
    'end}',
    'end',
  ].join('\n');
}

function checkName(name: string): string {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`${name} cannot name a script key or argument`);
  return name;
}

/** A Lua string literal (JSON's escapes are Lua's for these). */
function luaString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`constant ${value} must be printable ASCII`);
  return JSON.stringify(value);
}
