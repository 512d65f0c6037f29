/**
 * `npx tsx scripts/release/prepare.ts [TAG] [--notes-file FILE]`: the checks release.yml makes on a pushed
 * tag (notes.ts), run from the repository root. TAG defaults to $GITHUB_REF_NAME. Writes the release notes to
 * FILE (default: stdout) and, on GitHub, the outputs `version`, `major` and `prerelease` to $GITHUB_OUTPUT.
 * Exits 1 naming every problem, 2 on a usage error. A maintainer can run it before tagging:
 * `npx tsx scripts/release/prepare.ts v1.2.0`.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepareRelease } from './notes.js';

const USAGE = 'Usage: npx tsx scripts/release/prepare.ts [vX.Y.Z] [--notes-file FILE]';

function main(): number {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: { 'notes-file': { type: 'string' }, help: { type: 'boolean' } },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const tag = args.positionals[0] ?? process.env.GITHUB_REF_NAME;
  if (!tag || args.positionals.length > 1) {
    console.error(`Give one tag (or set GITHUB_REF_NAME).\n${USAGE}`);
    return 2;
  }
  const onGitHub = process.env.GITHUB_ACTIONS === 'true';
  const fail = (message: string) => console.error(onGitHub ? `::error::${message}` : `error: ${message}`);

  let prepared;
  try {
    const packageVersion = String(
      (JSON.parse(readFileSync('package.json', 'utf8')) as { version?: unknown }).version,
    );
    prepared = prepareRelease({ tag, packageVersion, changelog: readFileSync('CHANGELOG.md', 'utf8') });
  } catch (error) {
    fail((error as Error).message);
    return 1;
  }
  if (prepared.problems.length > 0) {
    prepared.problems.forEach(fail);
    return 1;
  }

  const { release, notes } = prepared;
  const notesFile = args.values['notes-file'];
  if (notesFile) writeFileSync(notesFile, `${notes}\n`);
  else process.stdout.write(`${notes}\n`);
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      `version=${release.version}\nmajor=${release.major}\nprerelease=${release.prerelease}\n`,
    );
  }
  console.error(
    `${release.tag}: package.json and CHANGELOG.md agree; ` +
      (release.prerelease
        ? `a pre-release (${release.major} stays where it is)`
        : `${release.major} moves to it`),
  );
  return 0;
}

process.exitCode = main();
