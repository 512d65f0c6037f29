import { describe, expect, it } from '@jest/globals';
import { detailsMarkdown } from '../../../src/report/details-markdown.js';
import { labelled } from '../../../src/report/diagnosis.js';

describe('detailsMarkdown', () => {
  it('turns labelled lines into bold labels, indentation into nested lists, URLs into links', () => {
    expect(
      detailsMarkdown([
        ...labelled('Lifecycle event', 'AfterAllowTestTraffic failed after 12s'),
        '  error code      ScriptFailed',
        ...labelled('Service events', 'last 2, oldest first'),
        '  03:52:50  (service web) has reached a steady state.',
        ...labelled(
          'Deployment',
          'https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-1?region=us-east-1',
        ),
      ]),
    ).toEqual([
      '- **Lifecycle event:** AfterAllowTestTraffic failed after 12s',
      '  - error code: ScriptFailed',
      '- **Service events:** last 2, oldest first',
      '  - 03:52:50 (service web) has reached a steady state.',
      '- **Deployment:** [https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-1?region=us-east-1](https://console.aws.amazon.com/codesuite/codedeploy/deployments/d-1?region=us-east-1)',
    ]);
  });

  it("keeps a value's continuation lines with it, and a plain sentence as a sentence", () => {
    expect(
      detailsMarkdown([
        ...labelled('Rollback', 'first line\nsecond line'),
        'Raise wait-for-minutes if this deployment needs longer.',
      ]),
    ).toEqual([
      '- **Rollback:** first line<br>second line',
      '- Raise wait-for-minutes if this deployment needs longer.',
    ]);
  });

  // A code span that ends in a backtick gets a space each side, which Markdown strips again.
  it("shows the app's log lines as code that wraps, indentation and all, one item each", () => {
    const lines = detailsMarkdown([
      "    app's last 3 log lines (/ecs/web, stream ecs/app/abc):",
      '      | Error: connect ECONNREFUSED 10.0.3.12:5432',
      '      |     at TCPConnectWrap.afterConnect `net`',
      '      | <script>alert(1)</script> **bold**',
    ]);
    expect(lines).toEqual([
      "  - app's last 3 log lines (/ecs/web, stream ecs/app/abc):",
      '    - `Error: connect ECONNREFUSED 10.0.3.12:5432`',
      '    - ``     at TCPConnectWrap.afterConnect `net` ``',
      '    - `<script>alert(1)</script> **bold**`',
    ]);
  });

  it('escapes Markdown and HTML in text from AWS', () => {
    expect(detailsMarkdown(['Reason: <img src=x> *not bold* [link](x) | pipe'])).toEqual([
      '- Reason: &lt;img src=x&gt; \\*not bold\\* \\[link\\](x) \\| pipe',
    ]);
    // Lines that would open a block of their own: a rule, a list, a heading underline.
    expect(detailsMarkdown(['---', '+ plus', '1. first', '==='])).toEqual([
      '- \\---',
      '- \\+ plus',
      '- 1\\. first',
      '- \\===',
    ]);
  });

  it('keeps every one of twenty long app log lines (each would pass the line cap together)', () => {
    const log = Array.from({ length: 20 }, (_, i) => `      | line ${i} ${'x'.repeat(140)}`);
    const lines = detailsMarkdown(["    app's last 20 log lines (/ecs/web):", ...log]);
    expect(lines).toHaveLength(21);
    expect(lines.every((line) => line.length < 2000)).toBe(true);
    expect(lines[20]).toContain('line 19');
  });
});
