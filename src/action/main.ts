/**
 * The main step: the action's wiring of the engine (release/step.ts) to the runner — inputs, the log
 * and its groups, outputs, the state the post step reads, the job summary, and the step's failure.
 */
import * as core from '@actions/core';
import { systemClock } from '../release/clock.js';
import { describeError, errorMessage } from '../text/errors.js';
import { readSettings } from './inputs.js';
import * as log from './log.js';
import { connectAws, pollIntervalFromEnv } from '../release/connect.js';
import { runStep, type StepResult } from '../release/step.js';
import { formatProgressEvent } from '../report/progress-lines.js';
import { buildInputErrorSummary, buildJobSummary } from '../report/summary.js';
import { headlineLines, headlineOf } from '../report/headline.js';
import { cancelSignal } from './signals.js';
import { saveInFlight } from './state.js';
import { ACTION_WORDS } from './words.js';

export async function run(): Promise<void> {
  core.saveState('isPost', 'true'); // the same bundle runs as the post step; see index.ts
  const startedAt = systemClock.now();
  const cancel = cancelSignal();
  let result: StepResult | undefined;
  try {
    const settings = readSettings();
    result = await runStep(settings, {
      ...(await connectAws(settings, { signal: cancel.signal, words: ACTION_WORDS })),
      words: ACTION_WORDS,
      startedAt,
      clock: systemClock,
      pollIntervalMs: pollIntervalFromEnv(),
      signal: cancel.signal,
      onEvent: (event) => log.info(formatProgressEvent(event, startedAt)),
      info: log.info,
      warning: log.warning,
      notice: log.notice,
      setOutput: (name, value) => core.setOutput(name, value),
      rememberInFlight: saveInFlight,
      group: (title, body) => core.group(title, body),
    });
    // The headline first: in the error annotation, or as a notice on the run's page.
    const headline = headlineLines(headlineOf(result.report));
    if (result.failure) {
      log.setFailed([...headline, '', result.failure.headline, ...result.failure.details].join('\n'));
    } else log.notice(headline.join('\n'));
  } catch (error) {
    const failure = describeError(error);
    log.setFailed([failure.headline, ...failure.details].join('\n'));
    // Only the inputs and the AWS set-up throw before there is a result: nothing was read or changed.
    if (!result) await writeSummary(buildInputErrorSummary(failure));
  } finally {
    cancel.dispose();
    if (result) await writeSummary(buildJobSummary(result.report));
  }
}

async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    log.warning(`Could not write the job summary: ${errorMessage(error)}`);
  }
}
