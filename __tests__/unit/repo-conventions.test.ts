/**
 * The conventions of a published Action repository, checked offline from the repository's own files:
 * action.yml as the Marketplace accepts it, the workflows and dependabot.yml valid against SchemaStore's
 * JSON schemas (vendored in __tests__/fixtures/schemas/, see its README), and a CHANGELOG.md section for
 * the version package.json says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { changelogSection } from '../../scripts/release/notes.js';

const readYaml = (file: string): unknown => parse(readFileSync(file, 'utf8'));
const SCHEMAS = path.join('__tests__', 'fixtures', 'schemas');

const ajv = new Ajv({ allErrors: true, strict: false });
const schema = (name: string): ValidateFunction =>
  ajv.compile(JSON.parse(readFileSync(path.join(SCHEMAS, `${name}.json`), 'utf8')) as object);
const workflowSchema = schema('github-workflow');
const actionSchema = schema('github-action');
const dependabotSchema = schema('dependabot-2.0');

/** Every schema error of `data`, one line each ([] when valid). */
function schemaErrors(validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}

// Feather icon names the Marketplace shows (GitHub supports Feather's set but for a few, such as coffee,
// key and tool); the icons that could stand for this action. Each is checked against the schema's full list.
const FEATHER_ICONS = [
  'activity',
  'anchor',
  'box',
  'check-circle',
  'cloud',
  'git-branch',
  'git-merge',
  'layers',
  'navigation',
  'package',
  'refresh-cw',
  'repeat',
  'rotate-ccw',
  'send',
  'server',
  'shield',
  'shuffle',
  'trending-up',
  'truck',
  'upload-cloud',
  'zap',
];
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'];
const PLACEHOLDER_AUTHORS = [
  'ecs-shift',
  'owner',
  'author',
  'your name',
  'your-name',
  'name',
  'todo',
  'tbd',
  'xxx',
];

interface ActionYml {
  name?: unknown;
  description?: unknown;
  author?: unknown;
  branding?: { icon?: unknown; color?: unknown };
}

describe('action.yml meets the Marketplace rules', () => {
  const action = readYaml('action.yml') as ActionYml;

  it('is valid against the action metadata schema', () => {
    expect(schemaErrors(actionSchema, action)).toEqual([]);
  });

  it('has a name, and a description of at most 125 characters', () => {
    expect(typeof action.name).toBe('string');
    expect((action.name as string).trim()).not.toBe('');
    expect(typeof action.description).toBe('string');
    const description = (action.description as string).trim();
    expect(description.length).toBeGreaterThan(20);
    expect(description.length).toBeLessThanOrEqual(125);
  });

  it('names a real author, not a placeholder', () => {
    expect(typeof action.author).toBe('string');
    const author = (action.author as string).trim();
    expect(author).not.toBe('');
    expect(PLACEHOLDER_AUTHORS).not.toContain(author.toLowerCase());
    expect(author).not.toMatch(/[<>]|example|changeme/i);
  });

  it('has branding with a supported Feather icon and colour', () => {
    expect(FEATHER_ICONS).toContain(action.branding?.icon);
    expect(BRANDING_COLORS).toContain(action.branding?.color);
  });

  it("lists only icons the schema's full Feather list has", () => {
    const icon = (
      actionSchema.schema as { properties: { branding: { properties: { icon: { enum: string[] } } } } }
    ).properties.branding.properties.icon.enum;
    expect(FEATHER_ICONS.filter((name) => !icon.includes(name))).toEqual([]);
  });
});

describe('.github/workflows', () => {
  const dir = path.join('.github', 'workflows');
  const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));
  const workflow = (file: string) => readYaml(path.join(dir, file)) as Record<string, unknown>;

  it('has CI and release workflows', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
  });

  it.each(files)('%s is valid against the workflow schema', (file) => {
    expect(schemaErrors(workflowSchema, workflow(file))).toEqual([]);
  });

  it.each(files)('%s grants the token read-only contents by default', (file) => {
    expect(workflow(file).permissions).toEqual({ contents: 'read' });
  });

  it.each(files)('%s pins every action it uses to a version', (file) => {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)/gm)].map((match) => match[1]);
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((ref) => !/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(ref))).toEqual(
      [],
    );
  });

  it('the schema check catches a misspelt key (it is not vacuous)', () => {
    const ci = workflow('ci.yml') as { jobs: Record<string, Record<string, unknown>> };
    const job = Object.keys(ci.jobs)[0];
    const { 'runs-on': runsOn, ...rest } = ci.jobs[job];
    const misspelt = { ...ci, jobs: { ...ci.jobs, [job]: { ...rest, 'run-on': runsOn } } };
    expect(schemaErrors(workflowSchema, misspelt)).not.toEqual([]);
    expect(schemaErrors(workflowSchema, { ...ci, permission: { contents: 'read' } })).not.toEqual([]);
  });

  it('CI runs the repository check script, and uploads the expected dist/ when it differs', () => {
    const text = readFileSync(path.join(dir, 'ci.yml'), 'utf8');
    expect(text).toContain('bash .ci/run');
    expect(text).toMatch(/uses: actions\/upload-artifact@/);
  });

  it('the release workflow runs for version tags and moves the major tag', () => {
    const release = workflow('release.yml') as { on: { push: { tags: string[] } } };
    expect(release.on.push.tags).toContain('v[0-9]+.[0-9]+.[0-9]+');
    const text = readFileSync(path.join(dir, 'release.yml'), 'utf8');
    expect(text).toContain('scripts/release/prepare.ts');
    expect(text).toContain('gh release create');
    expect(text).toMatch(/git push -f origin "refs\/tags\/\$MAJOR"/);
  });
});

describe('.github/dependabot.yml', () => {
  const config = readYaml(path.join('.github', 'dependabot.yml')) as {
    updates: { 'package-ecosystem': string; groups?: Record<string, { patterns?: string[] }> }[];
  };

  it('is valid against the Dependabot schema', () => {
    expect(schemaErrors(dependabotSchema, config)).toEqual([]);
  });

  it('updates npm, with the AWS SDK clients in one group, and the actions', () => {
    const ecosystems = config.updates.map((update) => update['package-ecosystem']);
    expect(ecosystems).toEqual(expect.arrayContaining(['npm', 'github-actions']));
    const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm');
    const groups = Object.values(npm?.groups ?? {});
    expect(groups.some((group) => group.patterns?.includes('@aws-sdk/*'))).toBe(true);
  });

  it('the schema check catches a misspelt key (it is not vacuous)', () => {
    expect(schemaErrors(dependabotSchema, { ...config, update: config.updates })).not.toEqual([]);
  });
});

describe('CHANGELOG.md', () => {
  const changelog = readFileSync('CHANGELOG.md', 'utf8');
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

  it("has a dated, non-empty section for package.json's version", () => {
    expect(changelog).toMatch(
      new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
    );
    expect(changelogSection(changelog, version)?.trim()).toBeTruthy();
  });

  it('keeps an Unreleased section on top, and a link for every section', () => {
    const headings = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((match) => match[1]);
    expect(headings[0]).toBe('Unreleased');
    const links = [...changelog.matchAll(/^\[([^\]]+)\]: https:\/\/\S+$/gm)].map((match) => match[1]);
    expect(headings.filter((heading) => !links.includes(heading))).toEqual([]);
  });

  it('the link refs use the repository URL of package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { repository?: { url?: string } };
    const repo = (pkg.repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
    expect(repo).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    const links = [...changelog.matchAll(/^\[[^\]]+\]: (\S+)$/gm)].map((match) => match[1]);
    expect(links.filter((link) => !link.startsWith(`${repo}/`))).toEqual([]);
  });
});
