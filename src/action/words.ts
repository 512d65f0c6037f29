/** How the action words what differs between the front ends: a cancel, and the post step's part. */
import type { FrontEndWords } from '../release/runtime.js';

export const ACTION_WORDS: FrontEndWords = {
  cancelled: 'the workflow was cancelled',
  backstop: 'the post step looks for the deployment again and stops it with rollback',
};
