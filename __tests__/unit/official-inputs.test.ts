/**
 * The drop-in promise, checked on the official actions' own action.yml files (saved as fixtures with
 * their version): every input and output of aws-actions/amazon-ecs-render-task-definition and
 * amazon-ecs-deploy-task-definition is one of ecs-shift's, with the same name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

interface ActionYml {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

const read = (file: string): ActionYml => parse(readFileSync(file, 'utf8')) as ActionYml;
const ours = read('action.yml');
const OFFICIAL = [
  'amazon-ecs-render-task-definition-1.9.0.action.yml',
  'amazon-ecs-deploy-task-definition-2.6.3.action.yml',
];

describe.each(OFFICIAL)('%s', (file) => {
  const official = read(path.join('__tests__', 'fixtures', 'official', file));

  it('has no input that ecs-shift lacks', () => {
    const missing = Object.keys(official.inputs ?? {}).filter((name) => !(name in (ours.inputs ?? {})));
    expect(missing).toEqual([]);
  });

  it('has no output that ecs-shift lacks', () => {
    const missing = Object.keys(official.outputs ?? {}).filter((name) => !(name in (ours.outputs ?? {})));
    expect(missing).toEqual([]);
  });
});

describe('README: Migrating from the official actions', () => {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Migrating from the official actions'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| official input')));

  it.each(OFFICIAL)('names every input and output of %s in its table', (file) => {
    const official = read(path.join('__tests__', 'fixtures', 'official', file));
    const names = [...Object.keys(official.inputs ?? {}), ...Object.keys(official.outputs ?? {})];
    const covered = (name: string) =>
      table.includes(`\`${name}\``) || (name.startsWith('run-task-') && table.includes('`run-task-*`'));
    expect(names.filter((name) => !covered(name))).toEqual([]);
  });
});
