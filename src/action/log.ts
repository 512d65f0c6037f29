/**
 * The action's log: @actions/core's writers with every line passed through the sanitiser first, so
 * nothing from AWS or a file can become a workflow command or flood the log. main.ts and post.ts
 * write through these only.
 */
import * as core from '@actions/core';
import { safeText } from '../text/sanitise.js';

export const info = (text: string): void => core.info(safeText(text));
export const warning = (text: string): void => core.warning(safeText(text));
export const notice = (text: string): void => core.notice(safeText(text));
export const error = (text: string): void => core.error(safeText(text));
export const setFailed = (text: string): void => core.setFailed(safeText(text));
