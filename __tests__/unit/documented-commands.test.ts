/**
 * The commands the README and the other Markdown documents tell a newcomer to run exist as written:
 * every `npm run SCRIPT` is a script of package.json, every `npm run demo -- …` parses with the
 * demo's own parser, and every relative link leads to a file of the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseDemoArgs } from '../../sim/demo-args.js';

const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  'CHANGELOG.md',
  ...readdirSync('docs')
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
  'sim/README.md',
  'bench/NOTES.md',
].filter((file) => existsSync(file));

const scripts = Object.keys(JSON.parse(readFileSync('package.json', 'utf8')).scripts as object);

/** `npm run NAME -- ARGS` as written in a document (code spans, code blocks), up to the end of the command. */
function npmRuns(text: string): { script: string; args: string[] }[] {
  return [...text.matchAll(/npm run ([\w:-]+)((?: -- [^`\n#|]*)?)/g)].map((match) => ({
    script: match[1]!,
    args: match[2]!.replace(/^ -- /, '').trim().split(/\s+/).filter(Boolean),
  }));
}

describe('documented commands', () => {
  it.each(DOCUMENTS)('%s: every npm run names a script of package.json', (file) => {
    const missing = npmRuns(readFileSync(file, 'utf8'))
      .map((run) => run.script)
      .filter((script) => !scripts.includes(script));
    expect(missing).toEqual([]);
  });

  it.each(DOCUMENTS)('%s: every npm run demo -- … is accepted by the demo', (file) => {
    const refused = npmRuns(readFileSync(file, 'utf8'))
      .filter((run) => run.script === 'demo')
      .map((run) => ({ args: run.args.join(' '), parsed: parseDemoArgs(run.args) }))
      .filter(({ parsed }) => parsed.kind === 'exit' && parsed.code !== 0)
      .map(({ args, parsed }) => `${args}: ${parsed.kind === 'exit' ? parsed.stderr.trim() : ''}`);
    expect(refused).toEqual([]);
  });

  it.each(DOCUMENTS)('%s: every relative link leads to a file of the repository', (file) => {
    const text = readFileSync(file, 'utf8');
    const broken = [...text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^[a-z]+:/i.test(target))
      .filter((target) => !existsSync(path.join(path.dirname(file), decodeURIComponent(target))));
    expect(broken).toEqual([]);
  });

  it('finds the commands it checks (a pattern that matched nothing would check nothing)', () => {
    const readme = npmRuns(readFileSync('README.md', 'utf8'));
    expect(readme.map((run) => run.script)).toEqual(expect.arrayContaining(['demo', 'bundle']));
  });
});
