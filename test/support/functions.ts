import type { Cluster, Redis } from 'ioredis';

/** One library of FUNCTION LIST: its name and its functions' names and flags. */
export interface LoadedLibrary {
  name: string;
  functions: { name: string; flags: string[] }[];
}

/** The Redis Functions libraries one server holds (FUNCTION LIST), by name. */
export async function loadedLibraries(redis: Redis | Cluster): Promise<LoadedLibrary[]> {
  const reply = (await redis.call('FUNCTION', 'LIST')) as unknown[][];
  return reply
    .map((library) => {
      const fields = pairs(library);
      return {
        name: String(fields['library_name']),
        functions: (fields['functions'] as unknown[][]).map((fn) => {
          const f = pairs(fn);
          return { name: String(f['name']), flags: (f['flags'] as string[]).map(String) };
        }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function pairs(list: unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) record[String(list[i])] = list[i + 1];
  return record;
}
