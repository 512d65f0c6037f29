#!/usr/bin/env node
/** Entry of the CLI bundle (dist/cli/index.js, the package's `ecs-shift` bin). */
import { exitOnCtrlCOutsideARun } from './ctrl-c.js';
import { runCli } from './program.js';

exitOnCtrlCOutsideARun();

process.exitCode = await runCli({
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
