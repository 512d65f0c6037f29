import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../../../src/text/errors.js';
import {
  findJsonSyntaxError,
  fromRegisteredRevision,
  parseTaskDefinitionText,
  readTaskDefinitionFile,
} from '../../../src/taskdef/read.js';
import type { TaskDefinition } from '../../../src/aws/ports.js';

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const minimal = { family: 'web', containerDefinitions: [{ name: 'app', image: 'nginx' }] };

describe('parseTaskDefinitionText', () => {
  it('reads JSON', () => {
    expect(parseTaskDefinitionText(JSON.stringify(minimal), 'td.json')).toEqual(minimal);
  });

  it('reads YAML by extension (.yaml and .yml)', () => {
    const yaml = 'family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx\n';
    expect(parseTaskDefinitionText(yaml, 'td.yaml')).toEqual(minimal);
    expect(parseTaskDefinitionText(yaml, 'td.yml')).toEqual(minimal);
  });

  it('tries JSON then YAML for an unknown extension', () => {
    expect(parseTaskDefinitionText(JSON.stringify(minimal), 'taskdef')).toEqual(minimal);
    expect(
      parseTaskDefinitionText('family: web\ncontainerDefinitions: [{name: app, image: nginx}]', 'td.txt'),
    ).toEqual(minimal);
  });

  it('accepts the whole describe-task-definition output and keeps its tags', () => {
    const text = JSON.stringify({
      taskDefinition: { ...minimal, revision: 3 },
      tags: [{ key: 'team', value: 'web' }],
    });
    expect(parseTaskDefinitionText(text, 'td.json')).toEqual({
      ...minimal,
      revision: 3,
      tags: [{ key: 'team', value: 'web' }],
    });
  });

  it('leaves out empty tags of a describe-task-definition output', () => {
    const text = JSON.stringify({ taskDefinition: minimal, tags: [] });
    expect(parseTaskDefinitionText(text, 'td.json')).toEqual(minimal);
  });

  it('reports a JSON syntax error with line and column and points at it', () => {
    const text = '{\n  "family": "web",\n  "cpu": }\n';
    const error = errorOf(() => parseTaskDefinitionText(text, '.aws/td.json'));
    expect(error.message).toBe(
      'task-definition: .aws/td.json is not valid JSON: Unexpected token } at line 3, column 10.',
    );
    expect(error.details).toEqual(['  "cpu": }', '         ^']);
  });

  it('explains a trailing comma', () => {
    const error = errorOf(() => parseTaskDefinitionText('{"family": "web",\n}', 'td.json'));
    expect(error.message).toBe(
      'task-definition: td.json is not valid JSON: Unexpected token } (a trailing comma is not allowed in JSON) at line 2, column 1.',
    );
  });

  it('reports truncated JSON', () => {
    const error = errorOf(() => parseTaskDefinitionText('{"family": "web"', 'td.json'));
    expect(error.message).toBe(
      'task-definition: td.json is not valid JSON: Unexpected end of input at line 1, column 17.',
    );
  });

  it('reports a YAML syntax error with line and column', () => {
    const text = 'family: web\ncontainerDefinitions:\n  - name: app\n   image: nginx\n';
    const error = errorOf(() => parseTaskDefinitionText(text, 'td.yaml'));
    expect(error.message).toMatch(
      /^task-definition: td\.yaml is not valid YAML: .+ at line 4, column \d+\.$/,
    );
  });

  it('reports an unknown-extension file that looks like JSON as JSON', () => {
    const error = errorOf(() => parseTaskDefinitionText('{"family": "web",, "cpu": "256"}', 'td'));
    expect(error.message).toBe(
      'task-definition: td is not valid JSON: Expected a property name in double quotes at line 1, column 18.',
    );
  });

  it('suggests double quotes for single-quoted JSON', () => {
    const error = errorOf(() => parseTaskDefinitionText("{'family': 'web'}", 'td.json'));
    expect(error.message).toBe(
      'task-definition: td.json is not valid JSON: Expected a property name in double quotes at line 1, column 2.',
    );
    const value = errorOf(() => parseTaskDefinitionText('{"family": \'web\'}', 'td.json'));
    expect(value.message).toBe(
      "task-definition: td.json is not valid JSON: Unexpected token ' (JSON strings use double quotes) at line 1, column 12.",
    );
  });

  it.each([
    ['[1, 2]', 'a list'],
    ['"web"', 'a string'],
    ['null', 'null'],
  ])('rejects a top-level %s', (text, described) => {
    expect(errorOf(() => parseTaskDefinitionText(text, 'td.json')).message).toBe(
      `task-definition: td.json must hold a task definition object (with "family" and "containerDefinitions"), but its top-level value is ${described}.`,
    );
  });

  it('says when a YAML file holds several documents', () => {
    expect(errorOf(() => parseTaskDefinitionText('family: web\n---\nfamily: api\n', 'td.yaml')).message).toBe(
      'task-definition: td.yaml is not valid YAML: it holds more than one document (a second "---"); keep one at line 2, column 1.',
    );
  });

  it('rejects an empty file', () => {
    expect(errorOf(() => parseTaskDefinitionText('  \n', 'td.yaml')).message).toBe(
      'task-definition: td.yaml is empty. Expected a JSON or YAML document, e.g. {"family": "web", "containerDefinitions": [...]}.',
    );
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    '{}',
    '[]',
    '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}',
    '  {"nested": {"a": {"b": []}}}  ',
  ])('finds nothing wrong in %s', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each(['{"a": 1,}', '[1,]', '{"a" 1}', '{"a": 01}', '"\\x"', '{"a": "b"} x', "{'a': 1}", '{"a": tru}'])(
    'agrees with JSON.parse that %s is invalid',
    (text) => {
      expect(() => JSON.parse(text)).toThrow();
      expect(findJsonSyntaxError(text)).toBeDefined();
    },
  );
});

describe('readTaskDefinitionFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-read-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file', () => {
    const file = path.join(dir, 'td.json');
    fs.writeFileSync(file, JSON.stringify(minimal));
    expect(readTaskDefinitionFile(file, 'td.json')).toEqual(minimal);
  });

  it('names a missing file and where it looked', () => {
    const file = path.join(dir, 'missing.json');
    expect(errorOf(() => readTaskDefinitionFile(file, '.aws/missing.json')).message).toBe(
      `task-definition: .aws/missing.json does not exist (looked for ${file}). Expected a path relative to the workspace, ` +
        'e.g. task-definition: .aws/task-definition.json; check the path and that the repository was checked out ' +
        '(actions/checkout) before this step.',
    );
  });

  it('rejects a directory', () => {
    expect(errorOf(() => readTaskDefinitionFile(dir, '.aws')).message).toBe(
      `task-definition: .aws is a directory (${dir}). Expected a JSON or YAML file, e.g. task-definition: .aws/task-definition.json.`,
    );
  });

  // root reads any file whatever its mode, so this can only be shown as a normal user
  (process.getuid?.() === 0 ? it.skip : it)('reports an unreadable file', () => {
    const file = path.join(dir, 'secret.json');
    fs.writeFileSync(file, '{}');
    fs.chmodSync(file, 0o000);
    expect(errorOf(() => readTaskDefinitionFile(file, 'secret.json')).message).toBe(
      `task-definition: secret.json cannot be read: permission denied (${file}). Make the file readable by the runner user.`,
    );
  });
});

describe('fromRegisteredRevision', () => {
  const registered: TaskDefinition = {
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:7',
    family: 'web',
    revision: 7,
    status: 'ACTIVE',
    containerDefinitions: [{ name: 'app', image: 'nginx' }],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    registeredAt: new Date(0),
    registeredBy: 'arn:aws:iam::123456789012:role/deploy',
    cpu: '256',
  };

  it('keeps what RegisterTaskDefinition accepts and the tags', () => {
    expect(fromRegisteredRevision(registered, [{ key: 'team', value: 'web' }])).toEqual({
      family: 'web',
      containerDefinitions: [{ name: 'app', image: 'nginx' }],
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      tags: [{ key: 'team', value: 'web' }],
    });
  });

  it('leaves tags out when there are none', () => {
    expect(fromRegisteredRevision(registered, [])).not.toHaveProperty('tags');
  });
});

describe('hostile documents', () => {
  it('reports a YAML alias bomb as an input error, not as a bug', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'family: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const error = errorOf(() => parseTaskDefinitionText(bomb, 'td.yaml'));
    expect(error.message).toMatch(
      /^task-definition: td\.yaml is not usable YAML: its aliases \(\*name\) expand to too many nodes/,
    );
  });

  it.each([
    ['JSON', 'td.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['YAML', 'td.yaml', `${'- '.repeat(200)}x`],
  ])('reports %s nested far too deep as an input error', (_format, file, text) => {
    const error = errorOf(() => parseTaskDefinitionText(text, file));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(
      new RegExp(
        `^task-definition: ${file.replace('.', '\\.')} is (nested more than 64 levels deep|not usable)`,
      ),
    );
  });

  it('points at a syntax error in a huge one-line file with a bounded excerpt', () => {
    const secretish = 'A'.repeat(50_000);
    const text = `{"family": "web", "note": "${secretish}", oops}`;
    const error = errorOf(() => parseTaskDefinitionText(text, 'td.json'));
    expect(error.message).toMatch(/is not valid JSON: .* at line 1, column 500\d\d\./);
    const [excerpt, caret] = error.details;
    expect(excerpt.length).toBeLessThanOrEqual(122);
    expect(excerpt).toContain('oops');
    expect(excerpt[caret.indexOf('^')]).toBe('o');
  });
});
