/**
 * No new revision where one would change nothing: a registered revision given with nothing to render
 * is deployed as it is, and a rendered task definition equal to its family's latest ACTIVE revision
 * (tags included) reuses that revision instead of registering a copy. Either way the log says so.
 */
import type { RenderSettings, Settings } from '../settings/settings.js';
import { anyContainerInput } from '../settings/container-inputs.js';
import { cleanTaskDefinition } from '../taskdef/clean.js';
import { fromRegisteredRevision } from '../taskdef/read.js';
import { sameRegisterInput } from '../taskdef/same.js';
import { errorMessage } from '../text/errors.js';
import type { Runtime } from './runtime.js';

export interface Reuse {
  arn: string;
  /** The log line that says why no revision is registered. */
  line: string;
}

/**
 * A step shaped like the official render action (something to render, no service, no one-off task,
 * no `register: true`, no scheduled task to move) renders only: it writes the file for a later step and registers nothing.
 */
export function rendersOnly(
  settings: Pick<Settings, 'target' | 'render' | 'runTask'> & Partial<Pick<Settings, 'afterRelease'>>,
): boolean {
  // Scheduled tasks to move or revisions to clean up need a registered revision.
  const after = settings.afterRelease;
  return (
    !settings.target.service &&
    !after?.scheduledTasks &&
    after?.keepRevisions === undefined &&
    !settings.target.register &&
    !settings.target.dryRun &&
    !settings.runTask &&
    !nothingToRender(settings.render)
  );
}

/** True when the render inputs change nothing: no image, environment, container or task-level input. */
export function nothingToRender(render: RenderSettings): boolean {
  return (
    render.containerImages.length === 0 &&
    render.environmentVariables.length === 0 &&
    !anyContainerInput(render.container) &&
    Object.values(render.taskLevel).every((value) => value === undefined)
  );
}

export async function revisionToReuse(
  rt: Pick<Runtime, 'ecs' | 'info'>,
  render: RenderSettings,
  rendered: Record<string, unknown>,
  /** The registered revision the task definition was read from, if it was. */
  sourceArn: string | undefined,
): Promise<Reuse | undefined> {
  if (sourceArn && nothingToRender(render)) {
    return {
      arn: sourceArn,
      line: `Deploying ${sourceArn} as it is: nothing to render, so no new revision is registered.`,
    };
  }
  const family = typeof rendered.family === 'string' ? rendered.family : undefined;
  if (!family) return undefined;
  let latest: Awaited<ReturnType<Runtime['ecs']['describeTaskDefinition']>>;
  try {
    latest = await rt.ecs.describeTaskDefinition(family);
  } catch (error) {
    // A new family, or no ecs:DescribeTaskDefinition permission: register, as without this check.
    rt.info(`Not compared with the latest revision of ${family} (${errorMessage(error)}); registering.`);
    return undefined;
  }
  const arn = latest.taskDefinition.taskDefinitionArn;
  const { taskDefinition: registered } = cleanTaskDefinition(
    fromRegisteredRevision(latest.taskDefinition, latest.tags),
    render.keepNullValueKeys,
  );
  if (!arn || !sameRegisterInput(registered, rendered)) return undefined;
  return {
    arn,
    line: `The rendered task definition is the same as ${arn} (tags included): reusing it instead of registering a copy.`,
  };
}
