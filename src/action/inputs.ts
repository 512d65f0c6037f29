/**
 * The only reader of the action's inputs (core.getInput): the step's inputs and the runner's
 * environment, parsed into Settings by the parser both front ends share.
 */
import * as fs from 'node:fs';
import * as core from '@actions/core';
import { INPUT_NAMES, parseSettings } from '../settings/inputs.js';
import { givenInputNames, unknownInputWarnings } from '../settings/unknown-inputs.js';
import * as log from './log.js';
import type { Settings } from '../settings/settings.js';

export function readSettings(): Settings {
  for (const warning of unknownInputWarnings(givenInputNames(process.env), INPUT_NAMES)) {
    log.warning(warning);
  }
  return parseSettings(
    (name) => core.getInput(name),
    process.env,
    (file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false,
    (file) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false,
  );
}
