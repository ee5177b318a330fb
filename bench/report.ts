import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SERVICE_ENTRY, SERVICE_NODE_FLAGS } from '../src/service-process.ts';
import type { MachineInfo } from './machine.ts';
import { BUSY_OTHER_CPU } from './machine.ts';
import type { BenchSettings } from './settings.ts';
import { round } from './stats.ts';
import type { ScenarioResult } from './types.ts';

export interface Ratio {
  name: string;
  numerator: string;
  denominator: string;
  value: number | null;
  target: number;
  /** The goal is value ≤ target (a cost) rather than value ≥ target. */
  atMost?: boolean;
  /** A second, harder target (issue 14's stretch goal). */
  stretch?: number;
  unit?: string;
  met: boolean | null;
  /** One of the two figures was measured while other processes competed for the CPUs. */
  disturbed: boolean;
}

/** `value` ≥ `target`, from two throughputs of the same run (null when one of them did not run). */
export function ratio(
  name: string,
  numerator: string,
  denominator: string,
  results: ReadonlyMap<string, ScenarioResult>,
  target: number,
): Ratio {
  const top = results.get(numerator)?.throughput;
  const bottom = results.get(denominator)?.throughput;
  const value = top !== undefined && bottom !== undefined && bottom > 0 ? round(top / bottom, 2) : null;
  const disturbed = Boolean(results.get(numerator)?.busy || results.get(denominator)?.busy);
  return { name, numerator, denominator, value, target, met: value === null ? null : value >= target, disturbed };
}

/** A goal whose figure is not a throughput ratio: a µs cost, a peak MiB, a median of paired ratios. */
export function goal(
  name: string,
  value: number | undefined,
  target: number,
  {
    atMost = false,
    stretch,
    unit,
    disturbed = false,
  }: { atMost?: boolean; stretch?: number; unit?: string; disturbed?: boolean } = {},
): Ratio {
  const known = value !== undefined && Number.isFinite(value);
  return {
    name,
    numerator: '',
    denominator: '',
    value: known ? round(value, 2) : null,
    target,
    atMost,
    ...(stretch !== undefined ? { stretch } : {}),
    ...(unit ? { unit } : {}),
    met: known ? (atMost ? value <= target : value >= target) : null,
    disturbed,
  };
}

export function header(machine: MachineInfo, settings: BenchSettings, serverLogLevel: string): string {
  return [
    `Player Activity API bench — ${new Date().toISOString()}`,
    ...(machine.gitHead ? [`code:    ${machine.gitHead}`] : []),
    `machine: ${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}`,
    `runtime: Node ${machine.node}, redis-server ${machine.redisServer}`,
    `server:  child process, NODE_ENV=production, LOG_LEVEL=${serverLogLevel}, ` +
      `RATE_LIMIT_MUTATIONS_PER_MINUTE=${settings.rateLimitPerMinute}; load generator in the bench process`,
    `rounds:  ${settings.warmupSeconds} s warm-up, then ${settings.rounds} × ${settings.roundSeconds} s, median round reported; ` +
      `${settings.connections} HTTP connections (${settings.batchConnections} for batches), ${settings.players} players, ` +
      `${settings.storeInFlight} store batches in flight`,
    `service: node ${(settings.serverNodeFlags ?? SERVICE_NODE_FLAGS).join(' ') || '(no flags)'} ${SERVICE_ENTRY}`,
  ].join('\n');
}

export function table(results: readonly ScenarioResult[]): string {
  const rows: [string, string, string][] = [];
  for (const result of results) {
    result.metrics.forEach((metric, index) => {
      const value = typeof metric.value === 'number' ? metric.value.toLocaleString('en-US') : metric.value;
      rows.push([index === 0 ? result.scenario : '', metric.metric, metric.unit ? `${value} ${metric.unit}` : value]);
    });
    if (result.busy) rows.push(['', '! machine busy', `other processes used > ${BUSY_OTHER_CPU} % of a core: rerun`]);
    if (result.errors > 0) rows.push(['', 'FAILED calls / checks', `${result.errors} (first: ${result.firstError})`]);
  }
  const heading: [string, string, string] = ['scenario', 'metric', 'value'];
  const widths = heading.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(heading), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function ratioLines(ratios: readonly Ratio[]): string {
  return ratios
    .map((r) => {
      let verdict = r.met === null ? 'n/a (a scenario did not run)' : r.met ? 'met' : 'MISSED';
      if (r.met && r.stretch !== undefined && r.value !== null)
        verdict += r.value >= r.stretch ? ', stretch met' : ', stretch not met';
      const warning = r.disturbed ? ' — measured on a busy machine, rerun' : '';
      const unit = r.unit ? ` ${r.unit}` : '';
      const stretch = r.stretch !== undefined ? `, stretch ${r.stretch}` : '';
      return `${r.name}: ${r.value ?? '—'}${unit} (target ${r.atMost ? '≤' : '≥'} ${r.target}${unit}${stretch}) ${verdict}${warning}`;
    })
    .join('\n');
}

export function writeJson(path: string, report: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
