/**
 * Builds what production runs: src/ compiled to JavaScript in dist/ (same
 * tree), with the files src/ reads at run time (Lua scripts, the admin
 * console's browser files) copied beside it. Node could run src/*.ts itself
 * (type stripping), but that loads a WebAssembly compiler costing ~17 MiB of
 * RSS for the life of the process; see README, Memory.
 *   node scripts/build.ts     (npm run build; npm start runs it first)
 * A dist/ built from the same sources is kept as it is, so a start or a test
 * run never rewrites files a running service may still read.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const STAMP = '.built-from';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();

/** Everything under src/ that is not TypeScript or a folder README: read at run time. */
const isRuntimeFile = (path: string) => !path.endsWith('.ts') && !path.endsWith('README.md');

const inputs = [...filesUnder(src), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json')];
const hash = createHash('sha256');
for (const file of inputs) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
const fingerprint = hash.digest('hex');

const stamp = join(dist, STAMP);
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) {
  console.log('build: dist/ is up to date');
  process.exit(0);
}

// Built aside and moved into place, so a half-written dist/ is never run.
const staging = join(root, `dist.building-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsc'),
    ['-p', join(root, 'tsconfig.build.json'), '--outDir', staging],
    {
      stdio: 'inherit',
    },
  );
} catch {
  rmSync(staging, { recursive: true, force: true });
  console.error('build: tsc failed (is `npm ci` done? the build needs the dev dependencies)');
  process.exit(1);
}
const copied = filesUnder(src).filter(isRuntimeFile);
for (const file of copied) cpSync(file, join(staging, relative(src, file)));
writeFileSync(join(staging, STAMP), fingerprint);
const previous = join(root, `dist.previous-${process.pid}`);
if (existsSync(dist)) renameSync(dist, previous);
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
console.log(`build: dist/ compiled from src/ (+${copied.length} run-time files)`);
