/**
 * Entry of the bundle. action.yml runs it twice: as the main step and as the post step (the main step
 * saves `isPost`, as actions/checkout does), so one bundle serves both.
 */
import * as core from '@actions/core';
import { run } from './main.js';
import { runPost } from './post.js';

if (core.getState('isPost') === 'true') await runPost();
else await run();
