import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every relative link in the README and docs/ points at a file of the
 * repository (and, with a #fragment, at a heading of it): the contract lives
 * here, not beside the repository.
 */

const root = fileURLToPath(new URL('../', import.meta.url));
const markdownFiles = [
  join(root, 'README.md'),
  ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.md'))
    .map((file) => join(root, 'docs', file)),
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchorsOf = (markdown: string) =>
  new Set(
    [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
      match[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    ),
  );

const linksOf = (markdown: string) =>
  [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z][a-z+.-]*:/i.test(target));

describe('links in the README and docs', () => {
  it('finds the files to check', () => {
    expect(markdownFiles.map((file) => relative(root, file))).toEqual(
      expect.arrayContaining(['README.md', join('docs', 'SPEC.md'), join('docs', 'README.md')]),
    );
  });

  it.each(markdownFiles.map((file) => [relative(root, file), file]))(
    '%s: every relative link resolves',
    (_name, file) => {
      const markdown = readFileSync(file, 'utf8');
      const broken = linksOf(markdown).filter((link) => {
        const [path, fragment] = link.split('#') as [string, string | undefined];
        const target = path ? join(dirname(file), decodeURIComponent(path)) : file;
        if (!target.startsWith(root) || !existsSync(target)) return true;
        if (!fragment) return false;
        return (
          statSync(target).isFile() && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(fragment)
        );
      });
      expect(broken).toEqual([]);
    },
  );

  it('the README no longer sends readers outside the repository', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).not.toContain('../shared');
  });
});
