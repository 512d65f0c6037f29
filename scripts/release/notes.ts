/**
 * What a release tag needs (.github/workflows/release.yml, docs/releasing-ecs-shift.md): the tag read as
 * a semantic version, package.json's version checked against it, and the tag's CHANGELOG.md section as the
 * release notes. Pure: text in, text out; prepare.ts reads the files and talks to GitHub.
 */

export interface ReleaseTag {
  /** `v1.2.0` or `v1.2.0-rc.1`, as pushed. */
  tag: string;
  /** The tag without its `v`: what package.json and CHANGELOG.md must say. */
  version: string;
  /** `v1`: the major tag that a full release moves to its commit. */
  major: string;
  /** `v1.2.0-rc.1` and the like: released as a GitHub pre-release, and the major tag stays where it is. */
  prerelease: boolean;
}

export interface PreparedRelease {
  release: ReleaseTag;
  /** The release body: the version's CHANGELOG section (for a pre-release without one, Unreleased). */
  notes: string;
  /** Why this tag must not be released; empty when it may. */
  problems: string[];
}

// Semantic Versioning 2.0.0's core and pre-release (no build metadata: a tag with `+` is refused).
const SEMVER_TAG =
  /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?$/;

/** Reads `v1.2.3` or `v1.2.3-rc.1`; anything else throws, naming the form expected. */
export function parseTag(tag: string): ReleaseTag {
  const match = SEMVER_TAG.exec(tag);
  if (!match) {
    throw new Error(
      `tag "${tag}" is not a release tag: expected vMAJOR.MINOR.PATCH (v1.2.3) or a pre-release (v1.2.3-rc.1)`,
    );
  }
  return { tag, version: tag.slice(1), major: `v${match[1]}`, prerelease: match[4] !== undefined };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A link reference definition such as `[1.0.0]: https://…`, kept at the bottom in Keep a Changelog. */
const LINK_DEFINITION = /^\s{0,3}\[[^\]]+\]:\s*\S+/;

/**
 * The body of a `## [name]` section of a Keep a Changelog file (`## [1.0.0] - 2026-12-02`,
 * `## [Unreleased]`; the brackets may be left out): the lines up to the next `## ` heading, trimmed, without
 * the link definitions that close the file. `undefined` when there is no such section. The name is matched
 * whole and case-insensitively (`[unreleased]` too); `1.0.0` never matches `1.0.0-rc.1`.
 */
export function changelogSection(changelog: string, name: string): string | undefined {
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n');
  const heading = new RegExp(`^##\\s+(?:\\[${escapeRegExp(name)}\\]|${escapeRegExp(name)})(?=\\s|$)`, 'i');
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const next = rest.findIndex((line) => /^##\s/.test(line));
  const body = next < 0 ? rest : rest.slice(0, next);
  while (body.length > 0 && (body.at(-1)!.trim() === '' || LINK_DEFINITION.test(body.at(-1)!))) body.pop();
  while (body.length > 0 && body[0].trim() === '') body.shift();
  return body.join('\n');
}

/**
 * Markdown with its paragraphs and list items each on one line. A CHANGELOG is wrapped at 110 columns, and a
 * GitHub release body shows every newline as a line break, so the wrapped lines are joined (with one space).
 * Code blocks, headings, tables, quotes and hard breaks (two trailing spaces or a backslash) stay as they are.
 */
export function joinWrappedLines(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  let joinable = false; // the last line is paragraph or list-item text that a continuation may join
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(```|~~~)/.test(line);
    const startsBlock = line.trim() === '' || /^\s*([-*+]\s|\d+[.)]\s|#|>|\||<)/.test(line);
    if (!fenced && !fence && joinable && !startsBlock) {
      out[out.length - 1] = `${out[out.length - 1]} ${line.trimStart()}`;
    } else {
      out.push(line);
    }
    if (fence) fenced = !fenced;
    const last = out[out.length - 1];
    joinable =
      !fenced && !fence && last.trim() !== '' && !/^\s*(#|\||<|>)/.test(last) && !/( {2}|\\)$/.test(last);
  }
  return out.join('\n');
}

/**
 * Everything release.yml checks before it creates a release: the tag is a version, package.json says the
 * same version, and CHANGELOG.md has a non-empty section for it. A pre-release without a section of its own
 * takes the Unreleased section (the changes it previews), if that has any.
 */
export function prepareRelease(input: {
  tag: string;
  packageVersion: string;
  changelog: string;
}): PreparedRelease {
  const release = parseTag(input.tag);
  const problems: string[] = [];
  if (input.packageVersion !== release.version) {
    problems.push(
      `package.json has version "${input.packageVersion}" but the tag is ${release.tag}: set "version": ` +
        `"${release.version}" (and in package-lock.json), commit, and tag that commit`,
    );
  }
  let notes = changelogSection(input.changelog, release.version);
  if (notes === undefined && release.prerelease) {
    const unreleased = changelogSection(input.changelog, 'Unreleased');
    if (unreleased) notes = `Pre-release of the changes not yet in a release:\n\n${unreleased}`;
  }
  if (notes === undefined) {
    problems.push(
      `CHANGELOG.md has no "## [${release.version}] - YYYY-MM-DD" section: move the Unreleased entries ` +
        `under one, commit, and tag that commit`,
    );
  } else if (notes.trim() === '') {
    problems.push(`CHANGELOG.md's section for ${release.version} is empty: say what changed for users`);
  }
  return { release, notes: joinWrappedLines(notes ?? ''), problems };
}
