import { describe, expect, it } from '@jest/globals';
import { revisionsToDeregister, shortName } from '../../../src/cleanup/choose.js';

const arn = (revision: number, family = 'web') =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
/** web:10 … web:1, newest first, as ListTaskDefinitions (sort DESC) gives them. */
const active = (newest: number) => Array.from({ length: newest }, (_, i) => arn(newest - i));

describe('revisionsToDeregister', () => {
  it('keeps the newest N and deregisters the rest, oldest first', () => {
    expect(revisionsToDeregister(active(6), 3, new Map(), arn(6))).toEqual({
      deregister: [arn(1), arn(2), arn(3)],
      keptInUse: [],
    });
  });

  it('keeps a revision in use, naming who uses it, whatever the form of its reference', () => {
    const inUse = new Map([
      ['web:2', ['service worker']],
      [arn(1), ['rule/web-nightly']],
    ]);
    expect(revisionsToDeregister(active(5), 2, inUse, arn(5))).toEqual({
      deregister: [arn(3)],
      keptInUse: [
        { arn: arn(1), by: ['rule/web-nightly'] },
        { arn: arn(2), by: ['service worker'] },
      ],
    });
  });

  it('keeps a reused older revision as well as the newest N, never instead of one of them', () => {
    // The release went to web:2 (reused); web:5 and web:4 are still the newest two.
    expect(revisionsToDeregister(active(5), 2, new Map(), arn(2))).toEqual({
      deregister: [arn(1), arn(3)],
      keptInUse: [],
    });
  });

  it('reads a family alone as its newest ACTIVE revision, which is kept anyway', () => {
    const inUse = new Map([['web', ['schedule/default/web-hourly']]]);
    expect(revisionsToDeregister(active(3), 1, inUse, arn(3)).deregister).toEqual([arn(1), arn(2)]);
  });

  it('deregisters nothing when there are no more than N', () => {
    expect(revisionsToDeregister(active(3), 5, new Map(), arn(3))).toEqual({ deregister: [], keptInUse: [] });
  });
});

describe('shortName', () => {
  it('names a revision as family:revision, and leaves anything else as it is', () => {
    expect(shortName(arn(7))).toBe('web:7');
    expect(shortName('web:7')).toBe('web:7');
    expect(shortName('not a task definition')).toBe('not a task definition');
  });
});
