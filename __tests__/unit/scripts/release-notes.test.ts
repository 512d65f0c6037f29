import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  changelogSection,
  joinWrappedLines,
  parseTag,
  prepareRelease,
} from '../../../scripts/release/notes.js';

const CHANGELOG = `# Changelog

Intro text.

## [Unreleased]

### Added

- Something new.

## [1.1.0] - 2027-01-10

### Fixed

- A fix.
- Another, with a [link][1.0.0] inside.

## [1.1.0-rc.1] - 2027-01-03

- The candidate.

## 1.0.1 - 2026-12-20

- Without brackets.

## [1.0.0] - 2026-12-02

### Added

- The first release.

[Unreleased]: https://github.com/ecs-shift/ecs-shift/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/ecs-shift/ecs-shift/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/ecs-shift/ecs-shift/releases/tag/v1.0.0
`;

describe('parseTag', () => {
  it('reads a release and a pre-release tag', () => {
    expect(parseTag('v1.2.3')).toEqual({ tag: 'v1.2.3', version: '1.2.3', major: 'v1', prerelease: false });
    expect(parseTag('v10.0.0-rc.1')).toEqual({
      tag: 'v10.0.0-rc.1',
      version: '10.0.0-rc.1',
      major: 'v10',
      prerelease: true,
    });
  });

  it.each(['1.2.3', 'v1', 'v1.2', 'v01.2.3', 'v1.2.3+build.5', 'v1.2.3-', 'v1.2.3-rc..1', 'release-1.0.0'])(
    'refuses %s, naming the form expected',
    (tag) => {
      expect(() => parseTag(tag)).toThrow(/expected vMAJOR\.MINOR\.PATCH/);
    },
  );
});

describe('changelogSection', () => {
  it('is the body of one section, up to the next, trimmed', () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe(
      '### Fixed\n\n- A fix.\n- Another, with a [link][1.0.0] inside.',
    );
    expect(changelogSection(CHANGELOG, 'Unreleased')).toBe('### Added\n\n- Something new.');
    expect(changelogSection(CHANGELOG, 'unreleased')).toBe('### Added\n\n- Something new.');
  });

  it('matches the version whole: 1.1.0 is not 1.1.0-rc.1, nor 1.1.0-rc.1 1.1.0', () => {
    expect(changelogSection(CHANGELOG, '1.1.0-rc.1')).toBe('- The candidate.');
    expect(changelogSection(CHANGELOG, '1.1')).toBeUndefined();
    expect(changelogSection(CHANGELOG, '1.0')).toBeUndefined();
  });

  it('reads a heading without brackets', () => {
    expect(changelogSection(CHANGELOG, '1.0.1')).toBe('- Without brackets.');
  });

  it('leaves the link definitions at the end out of the last section', () => {
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('### Added\n\n- The first release.');
  });

  it('is undefined for a version without a section, and empty for an empty one', () => {
    expect(changelogSection(CHANGELOG, '2.0.0')).toBeUndefined();
    expect(changelogSection('## [Unreleased]\n\n## [1.0.0] - 2026-12-02\n\n- x\n', 'Unreleased')).toBe('');
  });

  it('does not treat a ### heading as the end of a section, and reads CRLF files', () => {
    const crlf = '## [2.0.0] - 2027-02-01\r\n\r\n### Changed\r\n\r\n- Big.\r\n\r\n## [1.0.0]\r\n- Old.\r\n';
    expect(changelogSection(crlf, '2.0.0')).toBe('### Changed\n\n- Big.');
  });
});

describe('joinWrappedLines', () => {
  it('puts each paragraph and list item on one line, as a release body shows every newline', () => {
    const wrapped = [
      'The first release. One step',
      'releases an image.',
      '',
      '### Added',
      '',
      '- **A drop-in.** It replaces',
      '  the official pair.',
      '- Second item',
      '  1. nested',
      '     and wrapped',
    ].join('\n');
    expect(joinWrappedLines(wrapped)).toBe(
      [
        'The first release. One step releases an image.',
        '',
        '### Added',
        '',
        '- **A drop-in.** It replaces the official pair.',
        '- Second item',
        '  1. nested and wrapped',
      ].join('\n'),
    );
  });

  it('leaves code blocks, tables, headings, quotes and hard breaks as they are', () => {
    const text = [
      '```yaml',
      'uses: owner/ecs-shift@v1',
      'with:',
      '```',
      'after the fence',
      '| a | b |',
      '| - | - |',
      '> quoted',
      '> on two lines',
      'hard break  ',
      'next line',
      '#### Heading',
      'text',
    ].join('\n');
    expect(joinWrappedLines(text)).toBe(text);
  });
});

describe('prepareRelease', () => {
  it('passes when package.json and CHANGELOG.md agree with the tag', () => {
    expect(prepareRelease({ tag: 'v1.1.0', packageVersion: '1.1.0', changelog: CHANGELOG })).toEqual({
      release: { tag: 'v1.1.0', version: '1.1.0', major: 'v1', prerelease: false },
      notes: '### Fixed\n\n- A fix.\n- Another, with a [link][1.0.0] inside.',
      problems: [],
    });
  });

  it('names every problem: the version package.json says, and the missing section', () => {
    const { problems } = prepareRelease({ tag: 'v2.0.0', packageVersion: '1.1.0', changelog: CHANGELOG });
    expect(problems).toEqual([
      expect.stringMatching(
        /^package\.json has version "1\.1\.0" but the tag is v2\.0\.0: set "version": "2\.0\.0"/,
      ),
      expect.stringMatching(/^CHANGELOG\.md has no "## \[2\.0\.0\] - YYYY-MM-DD" section/),
    ]);
  });

  it('refuses an empty section', () => {
    const changelog = '## [Unreleased]\n\n## [1.2.0] - 2027-03-01\n\n## [1.1.0] - 2027-01-10\n\n- x\n';
    expect(prepareRelease({ tag: 'v1.2.0', packageVersion: '1.2.0', changelog }).problems).toEqual([
      expect.stringMatching(/section for 1\.2\.0 is empty/),
    ]);
  });

  it('gives a pre-release its own section, or else the Unreleased one', () => {
    expect(
      prepareRelease({ tag: 'v1.1.0-rc.1', packageVersion: '1.1.0-rc.1', changelog: CHANGELOG }).notes,
    ).toBe('- The candidate.');
    const rc2 = prepareRelease({ tag: 'v1.2.0-rc.2', packageVersion: '1.2.0-rc.2', changelog: CHANGELOG });
    expect(rc2.problems).toEqual([]);
    expect(rc2.release.prerelease).toBe(true);
    expect(rc2.notes).toBe(
      'Pre-release of the changes not yet in a release:\n\n### Added\n\n- Something new.',
    );
  });

  it('joins the wrapped lines of the notes', () => {
    const changelog = '## [1.3.0] - 2027-04-01\n\n- A change that is\n  wrapped.\n';
    expect(prepareRelease({ tag: 'v1.3.0', packageVersion: '1.3.0', changelog }).notes).toBe(
      '- A change that is wrapped.',
    );
  });

  it('throws for a tag that is not a version', () => {
    expect(() => prepareRelease({ tag: 'latest', packageVersion: '1.0.0', changelog: CHANGELOG })).toThrow(
      /not a release tag/,
    );
  });
});

describe('scripts/release/prepare.ts, as release.yml runs it', () => {
  const script = path.resolve('scripts/release/prepare.ts');
  const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-shift-release-'));
    fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), CHANGELOG);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (version: string, args: string[]) => {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ version }));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: path.join(dir, 'output'),
    };
    delete env.NODE_OPTIONS;
    try {
      const stdout = execFileSync(process.execPath, [tsx, script, ...args], { cwd: dir, env, stdio: 'pipe' });
      return { status: 0, stdout: stdout.toString(), stderr: '' };
    } catch (error) {
      const failed = error as { status: number; stdout: Buffer; stderr: Buffer };
      return { status: failed.status, stdout: failed.stdout.toString(), stderr: failed.stderr.toString() };
    }
  };

  it('writes the notes file and the step outputs', () => {
    const result = run('1.1.0', ['v1.1.0', '--notes-file', 'notes.md']);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe(
      '### Fixed\n\n- A fix.\n- Another, with a [link][1.0.0] inside.\n',
    );
    expect(fs.readFileSync(path.join(dir, 'output'), 'utf8')).toBe(
      'version=1.1.0\nmajor=v1\nprerelease=false\n',
    );
  });

  it('fails with an error annotation for each problem, and writes no outputs', () => {
    const result = run('1.0.0', ['v1.1.0']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^::error::package\.json has version "1\.0\.0" but the tag is v1\.1\.0/m);
    expect(fs.existsSync(path.join(dir, 'output'))).toBe(false);
  });

  it('says how to call it when the arguments are wrong', () => {
    const result = run('1.0.0', ['v1.0.0', 'v1.1.0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Usage: npx tsx scripts\/release\/prepare\.ts/);
  });
});
