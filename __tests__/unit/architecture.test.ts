/**
 * The layout rules of docs/ARCHITECTURE.md, checked on the source: a path never imports another path,
 * only the engine picks a path, and the action's inputs are read in one module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const SRC = path.resolve('src');
const PATHS = ['codedeploy', 'ecs', 'run-task'];

function sources(): { file: string; text: string }[] {
  return readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({
      file: file.split(path.sep).join('/'),
      text: readFileSync(path.join(SRC, file), 'utf8'),
    }));
}

/** The src-relative modules a file imports (relative specifiers only). */
function importsOf(file: string, text: string): string[] {
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return found.map((spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
}

const folder = (module: string) => module.split('/')[0];

describe('layout', () => {
  const files = sources();

  it('no module of one deployment path imports another path, or the module that chooses one', () => {
    const crossings = files.flatMap(({ file, text }) =>
      PATHS.includes(folder(file))
        ? importsOf(file, text)
            .filter(
              (module) =>
                (PATHS.includes(folder(module)) && folder(module) !== folder(file)) ||
                module === 'release/strategies.js',
            )
            .map((module) => `${file} → ${module}`)
        : [],
    );
    expect(crossings).toEqual([]);
  });

  it('report/, text/, settings/, aws/ and taskdef/ import no deployment path', () => {
    const shared = ['report', 'text', 'settings', 'aws', 'taskdef'];
    const crossings = files.flatMap(({ file, text }) =>
      shared.includes(folder(file))
        ? importsOf(file, text)
            .filter((module) => PATHS.includes(folder(module)))
            .map((module) => `${file} → ${module}`)
        : [],
    );
    expect(crossings).toEqual([]);
  });

  it('only action/inputs.ts reads the inputs of @actions/core', () => {
    const readers = files.filter(({ text }) => /core\.getInput\(/.test(text)).map(({ file }) => file);
    expect(readers).toEqual(['action/inputs.ts']);
  });
});
