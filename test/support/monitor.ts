import type { Redis } from 'ioredis';

export interface MonitoredCommand {
  /** The command's name, lower-cased. */
  command: string;
  /** 'lua' for a script's own commands, else the client's address. */
  source: string;
}

/**
 * Every command Redis ran while `action` ran, in order, from MONITOR on a
 * connection of its own. MONITOR reports in execution order: once a marker
 * sent after the action shows up, every command of the action has.
 */
export async function commandsDuring(redis: Redis, action: () => Promise<unknown>): Promise<MonitoredCommand[]> {
  const monitor = await redis.duplicate().monitor();
  const seen: MonitoredCommand[] = [];
  const marker = `marker-${Math.random()}`;
  const markerSeen = new Promise<void>((resolve) =>
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[1] === marker) resolve();
      else seen.push({ command: args[0]!.toLowerCase(), source });
    }),
  );
  try {
    await action();
    await redis.echo(marker);
    await markerSeen;
  } finally {
    monitor.disconnect();
  }
  return seen;
}
