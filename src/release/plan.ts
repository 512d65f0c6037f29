/**
 * Everything that is read and checked before anything is changed: the service and its controller,
 * the task definition (read, cleaned, rendered), and the controller's own preconditions. A plan that
 * comes back is safe to carry out; any problem is a UserError and nothing has been registered.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Service } from '../aws/ports.js';
import type { ServiceTarget, Settings } from '../settings/settings.js';
import { type Reuse, rendersOnly, revisionToReuse } from './reuse.js';
import type { Runtime } from './runtime.js';
import { type RunDecisions, strategyForService } from './strategies.js';
import type { PlannedDeployment } from './strategy.js';
import {
  checkClusterArn,
  type Controller,
  inertInputsWarning,
  inputsWithoutEffect,
} from './target-checks.js';
import { labelledRuntime, serviceLabels, settingsForService } from './services.js';
import { verifyBeforeChange } from './verify.js';
import { planScheduledTasks, type ScheduledTasksPlan } from '../schedules/plan.js';
import { errorMessage, UserError } from '../text/errors.js';
import { cleanTaskDefinition } from '../taskdef/clean.js';
import { fromRegisteredRevision, readTaskDefinitionFile } from '../taskdef/read.js';
import { renderTaskDefinition } from '../taskdef/render.js';
import { checkFamily, describeKeysTheSdkWouldDrop } from '../taskdef/validate.js';

export interface Plan {
  /** The first service (the only one, unless `service` names several). */
  service?: Service;
  /** The register input, rendered. */
  taskDefinition: Record<string, unknown>;
  /** Where the rendered task definition was written (output `task-definition`). */
  renderedPath: string;
  /** A registered revision to deploy instead of registering a new one (release/reuse.ts). */
  reuse?: Reuse;
  /** One deployment per service, each with its service's strategy; none without a service (register only). */
  deployments: ServicePlan[];
  /** The revision the new one replaces (the service's, or the family's latest), to say what changed. */
  previous?: PreviousRevision;
  /** `scheduled-tasks`: the rules and schedules to move onto the new revision after the release. */
  scheduledTasks?: ScheduledTasksPlan;
}

export interface PreviousRevision {
  arn: string;
  taskDefinition: Record<string, unknown>;
}

/** A registered revision a task definition was read from: its ARN, and it as a register input (tags included). */
export interface RegisteredSource {
  arn: string;
  registerInput: Record<string, unknown>;
}

/** One service's deployment, planned: checked, ready to start. */
export interface ServicePlan {
  target: ServiceTarget;
  /** How the log names it (release/services.ts). */
  label: string;
  service: Service;
  /** The step's settings with this service's cluster, service and CodeDeploy names. */
  settings: Settings;
  deployment: PlannedDeployment;
}

/** What the plan found before it failed, for the report: the services (and so their revisions). */
export interface PlanFindings {
  service?: Service;
  services?: Service[];
}

export async function makePlan(
  rt: Runtime,
  settings: Settings,
  run: RunDecisions,
  findings: PlanFindings = {},
  /** Several services: the runtime each one's strategy is planned with (release/several.ts). */
  runtimeFor: (label: string) => Runtime = (label) => labelledRuntime(rt, label),
): Promise<Plan> {
  checkClusterArn(settings.target.cluster, rt.region);
  const targets = settings.target.services;
  const labels = serviceLabels(targets);
  const services: Service[] = [];
  for (const target of targets) {
    // Before asking ECS: a service ARN of another region would only be "not found" there.
    checkClusterArn(target.cluster, rt.region);
    const found = await findService(rt, target, target.service);
    checkClusterArn(target.cluster, rt.region, found.serviceArn);
    services.push(found);
  }
  const service = services[0];
  Object.assign(findings, { service, services });

  const { taskDefinition, origin, sourceArn, source } = await renderSource(rt, settings, service);
  const renderedPath = await writeRendered(settings.runner.runnerTemp, taskDefinition);
  rt.setOutput('task-definition', renderedPath);
  rt.info(
    `Rendered task definition written to ${renderedPath}${rt.words.renderedFileFate ? ` (${rt.words.renderedFileFate})` : ''}`,
  );

  checkRunTaskOverrides(settings, taskDefinition, origin);
  checkManagedVolumes(settings, taskDefinition, origin);
  checkOneFamily(services, labels, taskDefinition);
  // The service's deployment controller decides the path (release/strategies.ts).
  const controllers = service ? services.map(controllerOf) : ['NONE'];
  warnAboutInertInputs(rt, settings, controllers);
  // Render only: no registration, so nothing to compare or verify (and no AWS call for a file).
  if (rendersOnly(settings)) return { taskDefinition, renderedPath, deployments: [] };
  await verifyBeforeChange(rt, settings.checks.verify, taskDefinition, service);
  const reuse = await revisionToReuse(rt, settings.render, taskDefinition, sourceArn);
  const previous = await previousRevision(rt, service, taskDefinition, source);
  const scheduledTasks = await planScheduled(rt, settings, taskDefinition);
  if (!service) return { taskDefinition, renderedPath, reuse, previous, scheduledTasks, deployments: [] };
  checkCodeDeployNames(settings, services, labels);
  const deployments: ServicePlan[] = [];
  for (const [index, target] of targets.entries()) {
    const label = labels[index]!;
    const one = services[index]!;
    const forService = settingsForService(settings, target);
    const strategy = strategyForService(one, forService, run);
    const srt = targets.length > 1 ? runtimeFor(label) : rt;
    const deployment = await strategy.plan(srt, { service: one, taskDefinition });
    deployments.push({ target, label, service: one, settings: forService, deployment });
  }
  return { service, taskDefinition, renderedPath, deployments, reuse, previous, scheduledTasks };
}

/** The scheduled tasks to move, checked now: they exist and run this family (or, auto, found). */
async function planScheduled(
  rt: Runtime,
  settings: Settings,
  taskDefinition: Record<string, unknown>,
): Promise<ScheduledTasksPlan | undefined> {
  const setting = settings.afterRelease.scheduledTasks;
  if (!setting) return undefined;
  const { services, cluster } = settings.target;
  const clusters = [...new Set(services.length > 0 ? services.map((s) => s.cluster) : [cluster])];
  return planScheduledTasks(rt.schedules, { setting, family: String(taskDefinition.family), clusters }, rt);
}

function controllerOf(service: Service): Controller | string {
  return service.deploymentController?.type ?? 'ECS';
}

/**
 * One revision for every service: a service that runs another family would be switched to this one,
 * which is a different app, not a release of it.
 */
function checkOneFamily(services: Service[], labels: string[], rendered: Record<string, unknown>): void {
  if (services.length < 2) return;
  const family = rendered.family;
  const others = services
    .map((service, index) => ({ label: labels[index]!, runs: familyOf(service.taskDefinition) }))
    .filter(({ runs }) => runs !== undefined && runs !== family);
  if (others.length === 0) return;
  throw new UserError(
    `service: the step registers one revision of family "${String(family)}" for every service, but ${others
      .map(({ label, runs }) => `${label} runs family "${runs}"`)
      .join(', ')}. Nothing was changed.`,
    ['Deploy a service of another family in a step of its own, with its own task definition.'],
  );
}

function familyOf(taskDefinitionArn: string | undefined): string | undefined {
  return taskDefinitionArn?.split('/').pop()?.split(':')[0];
}

/** codedeploy-application / -deployment-group name one group: with several CodeDeploy services, whose? */
function checkCodeDeployNames(settings: Settings, services: Service[], labels: string[]): void {
  const { given } = settings.codeDeploy;
  if (!given?.application && !given?.deploymentGroup) return;
  const codeDeploy = labels.filter((_, index) => controllerOf(services[index]!) === 'CODE_DEPLOY');
  if (codeDeploy.length < 2) return;
  throw new UserError(
    `codedeploy-application and codedeploy-deployment-group name one deployment group, but ${codeDeploy.length} of the services (${codeDeploy.join(', ')}) are deployed by CodeDeploy. Nothing was changed.`,
    [
      'Leave them unset: each service then uses its own, AppECS-<cluster>-<service> and DgpECS-<cluster>-<service>, as the ECS console creates them; or deploy those services in steps of their own.',
    ],
  );
}

/**
 * The revision the new one replaces: the service's, or without a service the family's latest. Read
 * only to say what changed, so a failure to read it is a line in the log, not a failed step.
 */
async function previousRevision(
  rt: Pick<Runtime, 'ecs' | 'info'>,
  service: Service | undefined,
  rendered: Record<string, unknown>,
  source: RegisteredSource | undefined,
): Promise<PreviousRevision | undefined> {
  const ref = service
    ? service.taskDefinition
    : typeof rendered.family === 'string'
      ? rendered.family
      : undefined;
  if (!ref) return undefined;
  // Compared as a register input, tags included, as the new one is.
  if (source?.arn === ref) return { arn: ref, taskDefinition: source.registerInput };
  try {
    const { taskDefinition, tags } = await rt.ecs.describeTaskDefinition(ref);
    return {
      arn: taskDefinition.taskDefinitionArn ?? ref,
      taskDefinition: fromRegisteredRevision(taskDefinition, tags),
    };
  } catch (error) {
    rt.info(`No earlier revision to compare with (${ref}: ${errorMessage(error)}).`);
    return undefined;
  }
}

/** An input that acts on none of the services (with several, on none of their controllers). */
function warnAboutInertInputs(
  rt: Pick<Runtime, 'warning'>,
  settings: Settings,
  controllers: (Controller | string)[],
): void {
  const known = controllers.filter(
    (c): c is Controller => c === 'ECS' || c === 'CODE_DEPLOY' || c === 'NONE',
  );
  if (known.length === 0 || known.length < controllers.length) return;
  const options = {
    forceNewDeployment: settings.serviceUpdate.forceNewDeployment,
    runTask: settings.runTask !== undefined,
  };
  const inertFor = known.map((c) => inputsWithoutEffect(c, settings.runner.givenInputs, options));
  const inert = inertFor[0]!.filter((name) => inertFor.every((names) => names.includes(name)));
  const controller = known.every((c) => c === known[0]) ? known[0]! : undefined;
  const warning = controller
    ? inertInputsWarning(
        controller,
        inert,
        settings.target.services.length > 1 ? undefined : settings.target.service,
      )
    : inert.length > 0
      ? `${inert.join(', ')} ${inert.length === 1 ? 'has' : 'have'} no effect on any of the services. Remove ${inert.length === 1 ? 'it' : 'them'}.`
      : undefined;
  if (warning) rt.warning(warning);
}

/**
 * The task definition to register: read from its source (a file needs no AWS call; a family, ARN or
 * the service's revision are read from ECS), cleaned, checked and rendered with the step's overrides.
 */
export async function renderSource(
  rt: Pick<Runtime, 'ecs' | 'info' | 'warning'>,
  settings: Pick<Settings, 'source' | 'render' | 'runner'>,
  service: Service | undefined,
): Promise<{
  taskDefinition: Record<string, unknown>;
  origin: string;
  sourceArn?: string;
  /** The registered revision it was read from. */
  source?: RegisteredSource;
}> {
  const { raw, origin, sourceArn, source } = await readSourceTaskDefinition(rt, settings, service);
  const { taskDefinition: cleaned, droppedReadOnlyKeys } = cleanTaskDefinition(
    raw,
    settings.render.keepNullValueKeys,
  );
  if (droppedReadOnlyKeys.length > 0) {
    rt.info(`Dropped keys that only DescribeTaskDefinition returns: ${droppedReadOnlyKeys.join(', ')}.`);
  }
  checkFamily(cleaned, origin);
  const taskDefinition = renderTaskDefinition(cleaned, { ...settings.render, origin });
  // A warning, not an error: the key may be newer than the bundled SDK, and ECS works without it.
  const unknownKeys = describeKeysTheSdkWouldDrop(taskDefinition, origin);
  if (unknownKeys) rt.warning([unknownKeys.message, ...unknownKeys.details].join('\n'));
  return { taskDefinition, origin, sourceArn, source };
}

export async function findService(
  rt: Pick<Runtime, 'ecs' | 'region'>,
  { cluster }: { cluster: string },
  name: string,
): Promise<Service> {
  const service = await rt.ecs.describeService(cluster, name);
  const where = `cluster "${cluster}" (region ${rt.region})`;
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
  rt: Pick<Runtime, 'ecs' | 'info'>,
  settings: Pick<Settings, 'source' | 'runner'>,
  service: Service | undefined,
): Promise<{ raw: Record<string, unknown>; origin: string; sourceArn?: string; source?: RegisteredSource }> {
  const source = settings.source.taskDefinition;
  const { workspace } = settings.runner;
  if (source.kind === 'file') {
    const origin = path.relative(workspace, source.path) || source.path;
    return { raw: readTaskDefinitionFile(source.path, origin, workspace), origin };
  }
  const ref =
    source.kind === 'family' ? source.family : source.kind === 'arn' ? source.arn : service?.taskDefinition;
  if (!ref) {
    throw new UserError(
      `Service "${service?.serviceName}" has no task definition to start from. Set task-definition.`,
    );
  }
  const { taskDefinition, tags } = await rt.ecs.describeTaskDefinition(ref);
  const origin = `the registered revision ${taskDefinition.taskDefinitionArn ?? ref}`;
  rt.info(`Starting from ${origin}.`);
  return {
    raw: fromRegisteredRevision(taskDefinition, tags),
    origin,
    sourceArn: taskDefinition.taskDefinitionArn,
    source: taskDefinition.taskDefinitionArn
      ? { arn: taskDefinition.taskDefinitionArn, registerInput: fromRegisteredRevision(taskDefinition, tags) }
      : undefined,
  };
}

async function writeRendered(dir: string, taskDefinition: Record<string, unknown>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const family = typeof taskDefinition.family === 'string' ? taskDefinition.family : 'task-definition';
  // Unique per step: a later step of the job may read an earlier one's file (render → render → deploy).
  const unique = randomUUID().slice(0, 8);
  const file = path.join(dir, `ecs-shift-${family.replace(/[^\w.-]/g, '_')}-${unique}.json`);
  // 0600: it may hold environment values; other users of a self-hosted runner need not read them.
  await writeFile(file, `${JSON.stringify(taskDefinition, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** A managed EBS volume must be a volume of the task definition that is configuredAtLaunch. */
function checkManagedVolumes(
  settings: Pick<Settings, 'serviceUpdate' | 'runTask'>,
  taskDefinition: Record<string, unknown>,
  origin: string,
): void {
  const volumes = (Array.isArray(taskDefinition.volumes) ? taskDefinition.volumes : []) as {
    name?: string;
    configuredAtLaunch?: boolean;
  }[];
  const atLaunch = volumes.filter((v) => v.configuredAtLaunch === true).map((v) => v.name);
  const given = [
    ['service-managed-ebs-volume-name', settings.serviceUpdate.managedEbsVolume?.name],
    ['run-task-managed-ebs-volume-name', settings.runTask?.managedEbsVolume?.name],
  ] as const;
  for (const [input, name] of given) {
    if (name === undefined || atLaunch.includes(name)) continue;
    const has = volumes.some((v) => v.name === name);
    throw new UserError(
      `${input}: the task definition (${origin}) ${has ? `has volume "${name}", but not with "configuredAtLaunch": true` : `has no volume "${name}"`}, so ECS cannot attach an EBS volume to it. Nothing was changed.`,
      [
        atLaunch.length > 0
          ? `Volumes configured at launch: ${atLaunch.map((n) => `"${n}"`).join(', ')}.`
          : 'Add the volume to the task definition, e.g. "volumes": [{"name": "data", "configuredAtLaunch": true}].',
      ],
    );
  }
}

/** run-task-container-overrides must name containers of the task definition that will run. */
function checkRunTaskOverrides(
  settings: Pick<Settings, 'runTask'>,
  taskDefinition: Record<string, unknown>,
  origin: string,
): void {
  const overrides = settings.runTask?.containerOverrides ?? [];
  const names = ((taskDefinition.containerDefinitions ?? []) as { name?: string }[]).map((c) => c.name);
  const unknown = overrides.map((o) => o.name).filter((name) => !names.includes(name));
  if (unknown.length > 0) {
    throw new UserError(
      `run-task-container-overrides names ${unknown.map((n) => `"${n}"`).join(', ')}, but the task definition (${origin}) has no such container; it has ${names.map((n) => `"${n}"`).join(', ')}. Nothing was changed.`,
    );
  }
}
