import { spawn } from 'node:child_process';
import { once } from 'node:events';

/** The service's start command, as the Dockerfile's CMD and `npm start` give it. */
export const MAIN_COMMAND = ['node', 'dist/main.js'] as const;

/** `node dist/main.js` in a child process, as `npm start` runs it (the global setup built dist/), with only the given environment. */
export function startMain(env: Record<string, string>) {
  const child = spawn(process.execPath, MAIN_COMMAND.slice(1), {
    cwd: new URL('../../', import.meta.url),
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => output };
}
