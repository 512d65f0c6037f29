/**
 * Inputs a workflow gave that the action does not know — a typo such as `secret:`, or an input of
 * another action left behind when `uses:` was swapped. GitHub only warns "Unexpected input" in the
 * job's annotations and runs the step; here each gets a warning naming the closest input it knows.
 */

/** GitHub passes `with: { some-input: … }` as the variable INPUT_SOME-INPUT (spaces become _). */
export function givenInputNames(env: Record<string, string | undefined>): string[] {
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_'))
    .map((key) => key.slice('INPUT_'.length).toLowerCase());
}

export function unknownInputWarnings(given: string[], known: readonly string[]): string[] {
  const lowerKnown = known.map((name) => name.toLowerCase());
  return given
    .filter((name) => !lowerKnown.includes(name))
    .map((name) => {
      const closest = closestName(name, known);
      return `Input "${name}" is not an input of ecs-shift, so it has no effect${closest ? `; did you mean "${closest}"?` : '.'} The inputs are listed in action.yml and the README.`;
    });
}

/** The known name within a few edits of `name`, if one is that close. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(name.length / 4)) ? best.name : undefined;
}

/** Levenshtein distance, two rows. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
