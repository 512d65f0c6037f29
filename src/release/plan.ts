/**
 * Everything that is read and checked before anything is changed: the service and its controller,
 * the task definition (read, cleaned, rendered), and the controller's own preconditions. A plan that
 * comes back is safe to carry out; any problem is a UserError and nothing has been registered.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Service } from '../aws/ports.js';
import { type CodeDeployPlan, planCodeDeploy } from '../codedeploy/deploy.js';
import { type EcsPlan, planEcsDeployment } from '../ecs/deploy.js';
import type { DeployContext } from './runtime.js';
import { checkClusterArn, inertInputsWarning, inputsWithoutEffect } from './target-checks.js';
import { UserError } from '../text/errors.js';
import { readInputFile } from '../text/input-file.js';
import { cleanTaskDefinition } from '../taskdef/clean.js';
import { fromRegisteredRevision, readTaskDefinitionFile } from '../taskdef/read.js';
import { renderTaskDefinition } from '../taskdef/render.js';
import { checkFamily, describeKeysTheSdkWouldDrop } from '../taskdef/validate.js';

export interface Plan {
  service?: Service;
  /** The register input, rendered. */
  taskDefinition: Record<string, unknown>;
  /** Where the rendered task definition was written (output `task-definition`). */
  renderedPath: string;
  codeDeploy?: CodeDeployPlan;
  ecs?: EcsPlan;
}

export async function makePlan(ctx: DeployContext): Promise<Plan> {
  const { settings } = ctx;
  checkClusterArn(settings.target.cluster, ctx.region);
  const service = settings.target.service ? await findService(ctx, settings.target.service) : undefined;
  checkClusterArn(settings.target.cluster, ctx.region, service?.serviceArn);

  const { taskDefinition, origin } = await renderSource(ctx, service);
  const renderedPath = await writeRendered(settings.runner.runnerTemp, taskDefinition);
  ctx.setOutput('task-definition', renderedPath);
  ctx.info(`Rendered task definition written to ${renderedPath}`);

  checkRunTaskOverrides(ctx, taskDefinition, origin);
  // The service's deployment controller decides the path.
  const controller = service ? (service.deploymentController?.type ?? 'ECS') : 'NONE';
  warnAboutInertInputs(ctx, controller);
  if (!service) return { taskDefinition, renderedPath };
  if (controller === 'ECS')
    return { service, taskDefinition, renderedPath, ecs: planEcsDeployment(ctx, service) };
  if (controller !== 'CODE_DEPLOY') {
    throw new UserError(
      `Service "${service.serviceName}" uses the ${controller} deployment controller: its deployments are driven by a tool outside ECS (task sets you create yourself), which ecs-shift does not drive. Nothing was changed.`,
      [
        'Deploy it with that tool, or recreate the service with the ECS controller (rolling or blue/green) or CODE_DEPLOY.',
        'Without `service`, ecs-shift only renders and registers the task definition.',
      ],
    );
  }
  const appSpecText = readAppSpec(ctx);
  const codeDeploy = await planCodeDeploy(ctx, service, taskDefinition, appSpecText);
  return { service, taskDefinition, renderedPath, codeDeploy };
}

function warnAboutInertInputs(ctx: DeployContext, controller: string): void {
  if (controller !== 'ECS' && controller !== 'CODE_DEPLOY' && controller !== 'NONE') return;
  const { settings } = ctx;
  const inert = inputsWithoutEffect(controller, settings.runner.givenInputs, {
    forceNewDeployment: settings.serviceUpdate.forceNewDeployment,
    runTask: settings.runTask !== undefined,
  });
  const warning = inertInputsWarning(controller, inert, settings.target.service);
  if (warning) ctx.warning(warning);
}

/**
 * The task definition to register: read from its source (a file needs no AWS call; a family, ARN or
 * the service's revision are read from ECS), cleaned, checked and rendered with the step's overrides.
 */
export async function renderSource(
  ctx: Pick<DeployContext, 'settings' | 'ecs' | 'info' | 'warning'>,
  service: Service | undefined,
): Promise<{ taskDefinition: Record<string, unknown>; origin: string }> {
  const { settings } = ctx;
  const { raw, origin } = await readSourceTaskDefinition(ctx, service);
  const { taskDefinition: cleaned, droppedReadOnlyKeys } = cleanTaskDefinition(
    raw,
    settings.render.keepNullValueKeys,
  );
  if (droppedReadOnlyKeys.length > 0) {
    ctx.info(`Dropped keys that only DescribeTaskDefinition returns: ${droppedReadOnlyKeys.join(', ')}.`);
  }
  checkFamily(cleaned, origin);
  const taskDefinition = renderTaskDefinition(cleaned, { ...settings.render, origin });
  // A warning, not an error: the key may be newer than the bundled SDK, and ECS works without it.
  const unknownKeys = describeKeysTheSdkWouldDrop(taskDefinition, origin);
  if (unknownKeys) ctx.warning([unknownKeys.message, ...unknownKeys.details].join('\n'));
  return { taskDefinition, origin };
}

export async function findService(
  ctx: Pick<DeployContext, 'settings' | 'ecs' | 'region'>,
  name: string,
): Promise<Service> {
  const { cluster } = ctx.settings.target;
  const service = await ctx.ecs.describeService(cluster, name);
  const where = `cluster "${cluster}" (region ${ctx.region})`;
  if (!service) {
    throw new UserError(`Service "${name}" was not found in ${where}. Check the service and cluster inputs.`);
  }
  if (service.status !== undefined && service.status !== 'ACTIVE') {
    throw new UserError(
      `Service "${name}" in ${where} is ${service.status}, not ACTIVE: it is being deleted or was deleted. Deploy to an active service.`,
    );
  }
  return service;
}

async function readSourceTaskDefinition(
  ctx: Pick<DeployContext, 'settings' | 'ecs' | 'info'>,
  service: Service | undefined,
): Promise<{ raw: Record<string, unknown>; origin: string }> {
  const source = ctx.settings.source.taskDefinition;
  if (source.kind === 'file') {
    const origin = path.relative(ctx.settings.runner.workspace, source.path) || source.path;
    return { raw: readTaskDefinitionFile(source.path, origin, ctx.settings.runner.workspace), origin };
  }
  const ref =
    source.kind === 'family' ? source.family : source.kind === 'arn' ? source.arn : service?.taskDefinition;
  if (!ref) {
    throw new UserError(
      `Service "${service?.serviceName}" has no task definition to start from. Set task-definition.`,
    );
  }
  const { taskDefinition, tags } = await ctx.ecs.describeTaskDefinition(ref);
  const origin = `the registered revision ${taskDefinition.taskDefinitionArn ?? ref}`;
  ctx.info(`Starting from ${origin}.`);
  return { raw: fromRegisteredRevision(taskDefinition, tags), origin };
}

function readAppSpec(ctx: DeployContext): { text: string; origin: string } | undefined {
  const source = ctx.settings.codeDeploy.appSpec;
  if (source.kind === 'inline') return { text: source.content, origin: 'codedeploy-appspec (inline)' };
  if (source.kind === 'generate') return undefined;
  const origin = `codedeploy-appspec: ${path.relative(ctx.settings.runner.workspace, source.path) || source.path}`;
  const text = readInputFile({
    absPath: source.path,
    subject: origin,
    workspace: ctx.settings.runner.workspace,
    expected: 'an AppSpec YAML or JSON file, e.g. codedeploy-appspec: appspec.yaml',
  });
  return { text, origin };
}

async function writeRendered(dir: string, taskDefinition: Record<string, unknown>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const family = typeof taskDefinition.family === 'string' ? taskDefinition.family : 'task-definition';
  const file = path.join(dir, `ecs-shift-${family.replace(/[^\w.-]/g, '_')}-${process.pid}.json`);
  // 0600: it may hold environment values; other users of a self-hosted runner need not read them.
  await writeFile(file, `${JSON.stringify(taskDefinition, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** run-task-container-overrides must name containers of the task definition that will run. */
function checkRunTaskOverrides(
  ctx: DeployContext,
  taskDefinition: Record<string, unknown>,
  origin: string,
): void {
  const overrides = ctx.settings.runTask?.containerOverrides ?? [];
  const names = ((taskDefinition.containerDefinitions ?? []) as { name?: string }[]).map((c) => c.name);
  const unknown = overrides.map((o) => o.name).filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new UserError(
      `run-task-container-overrides names ${unknown.map((n) => `"${n}"`).join(', ')}, but the task definition (${origin}) has no such container; it has ${names.map((n) => `"${n}"`).join(', ')}. Nothing was changed.`,
    );
  }
}
