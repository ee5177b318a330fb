/**
 * Summarizes a `node --cpu-prof` profile (BENCH_SERVER_CPU_PROF=1 writes
 * the server's into bench/results/profiles/): self time by package or
 * source area, and the hottest functions.
 *   node bench/profile-summary.ts bench/results/profiles/CPU.….cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.ts <file.cpuprofile> [top=25]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));

// Self time per node: each sample's time delta belongs to the node it hit.
const selfUs = new Map<number, number>();
for (const [index, id] of profile.samples.entries()) {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}
const totalUs = [...selfUs.values()].reduce((sum, us) => sum + us, 0);

/** node_modules/<package>, src/<area>, node:<internal>, or a V8 pseudo-frame. */
function areaOf({ url, functionName }: ProfileNode['callFrame']): string {
  if (!url) return `(${functionName || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const src = /\/(src|bench)\/(.+?)(?:\.ts)?$/.exec(url);
  if (src) return `${src[1]}/${src[2]!.split('/')[0]}`;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  return url;
}

const byArea = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, us] of selfUs) {
  const { callFrame } = nodes.get(id)!;
  const area = areaOf(callFrame);
  byArea.set(area, (byArea.get(area) ?? 0) + us);
  const where = callFrame.url
    ? `${callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(src|bench)\//, '$1/')}:${callFrame.lineNumber + 1}`
    : '';
  const name = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
}

const print = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / totalUs) * 100).toFixed(1).padStart(5)} %  ${name}`);
  }
};
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s sampled`);
print('self time by package / area', byArea);
print('self time by function', byFunction);
