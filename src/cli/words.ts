/** How the CLI words what differs between the front ends: Ctrl-C or SIGTERM, and no post step. */
import type { FrontEndWords } from '../release/runtime.js';

export const CLI_WORDS: FrontEndWords = {
  cancelled: 'the run was interrupted',
  backstop:
    'nothing looks for it once ecs-shift has exited: check for it with `ecs-shift status` and stop it from the console',
};
