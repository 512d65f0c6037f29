/**
 * Applies the step's overrides to a task definition: new images, environment variables, and the
 * official render action's container inputs (command, secrets, env files, labels, log configuration)
 * on container-name's containers; roles, cpu and memory on the task. Pure: the input is never modified.
 */
import { UserError } from '../text/errors.js';
import type {
  ContainerImage,
  ContainerSettings,
  EnvironmentVariable,
  TaskLevelSettings,
} from '../settings/settings.js';
import { anyContainerInput } from '../settings/container-inputs.js';
import { isPlainObject } from '../text/format.js';

export interface RenderOptions {
  containerImages: ContainerImage[];
  environmentVariables: EnvironmentVariable[];
  /** The `container-name` list: receives the environment variables; names here came from `container-name`. */
  environmentContainers: string[];
  /** Set on each of `environmentContainers` (container-name). */
  container?: ContainerSettings;
  taskLevel?: TaskLevelSettings;
  /** How messages name the task definition, e.g. `.aws/td.json` or `revision web:12`. */
  origin?: string;
}

/** Names of the containers of a task definition; throws when it has none. */
export function containerNames(
  taskDefinition: Record<string, unknown>,
  origin = 'the task definition',
): string[] {
  const containers = taskDefinition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new UserError(
      `task-definition: ${origin} has no containers. Expected a non-empty "containerDefinitions" list, ` +
        'e.g. "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "essential": true}].',
    );
  }
  return containers.map((container, index) => {
    if (!isPlainObject(container) || typeof container.name !== 'string' || container.name === '') {
      throw new UserError(
        `task-definition: containerDefinitions[${index}] of ${origin} has no "name". ` +
          'Every container needs a name, e.g. {"name": "app", "image": "nginx:1.27"}.',
      );
    }
    return container.name;
  });
}

export function renderTaskDefinition(
  taskDefinition: Record<string, unknown>,
  {
    containerImages,
    environmentVariables,
    environmentContainers,
    container: containerSettings,
    taskLevel = {},
    origin = 'the task definition',
  }: RenderOptions,
): Record<string, unknown> {
  const names = containerNames(taskDefinition, origin);
  const requireContainer = (name: string, input: string): void => {
    if (names.includes(name)) return;
    throw new UserError(
      `${input}: no container named "${name}" in ${origin} (it has: ${names.join(', ')}). ` +
        `Set ${input} to one of them.`,
    );
  };
  const fromContainerName = new Set(environmentContainers);
  for (const { container } of containerImages) {
    requireContainer(container, fromContainerName.has(container) ? 'container-name' : 'images');
  }
  const containerInputs = containerSettings !== undefined && anyContainerInput(containerSettings);
  if (environmentVariables.length > 0 || containerInputs) {
    for (const container of environmentContainers) requireContainer(container, 'container-name');
  }

  const rendered = structuredClone(taskDefinition);
  const containers = rendered.containerDefinitions as Record<string, unknown>[];
  for (const container of containers) {
    const image = containerImages.find((entry) => entry.container === container.name);
    if (image) container.image = image.image;
    if (environmentVariables.length > 0 && environmentContainers.includes(container.name as string)) {
      container.environment = upsertEnvironment(container, environmentVariables, origin);
    }
    if (containerSettings && containerInputs && environmentContainers.includes(container.name as string)) {
      applyContainerSettings(container, containerSettings, origin);
    }
  }
  for (const [key, value] of Object.entries(taskLevel)) if (value !== undefined) rendered[key] = value;
  return rendered;
}

/** The official render action's container inputs, on one container; lists and maps upserted by key. */
function applyContainerSettings(
  container: Record<string, unknown>,
  settings: ContainerSettings,
  origin: string,
): void {
  const name = String(container.name);
  const shaped = <T>(key: string, ok: (value: unknown) => boolean, example: string): T | undefined => {
    const value = container[key];
    if (value === undefined || value === null || ok(value)) return (value ?? undefined) as T | undefined;
    throw new UserError(
      `task-definition: "${key}" of container "${name}" in ${origin} has the wrong shape. Expected ${example}.`,
    );
  };
  if (settings.command) container.command = [...settings.command];
  if (settings.secrets.length > 0) {
    const secrets = [
      ...(shaped<unknown[]>('secrets', Array.isArray, '"secrets": [{"name": ..., "valueFrom": ...}]') ?? []),
    ];
    for (const { name: secretName, valueFrom } of settings.secrets) {
      const existing = secrets.find((entry) => isPlainObject(entry) && entry.name === secretName) as
        Record<string, unknown> | undefined;
      if (existing) existing.valueFrom = valueFrom;
      else secrets.push({ name: secretName, valueFrom });
    }
    container.secrets = secrets;
  }
  if (settings.environmentFiles.length > 0) {
    container.environmentFiles = settings.environmentFiles.map((value) => ({ value, type: 's3' }));
  }
  if (settings.dockerLabels.length > 0) {
    const labels = { ...shaped<object>('dockerLabels', isPlainObject, '"dockerLabels": {"key": "value"}') };
    for (const { key, value } of settings.dockerLabels) (labels as Record<string, string>)[key] = value;
    container.dockerLabels = labels;
  }
  if (settings.logDriver !== undefined || settings.logOptions.length > 0) {
    const current = shaped<Record<string, unknown>>(
      'logConfiguration',
      isPlainObject,
      '"logConfiguration": {"logDriver": "awslogs", "options": {...}}',
    );
    const logConfiguration: Record<string, unknown> = { ...current };
    if (settings.logDriver !== undefined) logConfiguration.logDriver = settings.logDriver;
    if (settings.logOptions.length > 0) {
      const options: Record<string, unknown> = isPlainObject(logConfiguration.options)
        ? { ...logConfiguration.options }
        : {};
      for (const { key, value } of settings.logOptions) options[key] = value;
      logConfiguration.options = options;
    }
    if (typeof logConfiguration.logDriver !== 'string') {
      throw new UserError(
        `log-configuration-options: container "${name}" in ${origin} has no log driver, and ECS needs one with options. Set log-configuration-log-driver too, e.g. log-configuration-log-driver: awslogs.`,
      );
    }
    container.logConfiguration = logConfiguration;
  }
}

/** Existing names keep their position with the new value; new names are appended in input order. */
function upsertEnvironment(
  container: Record<string, unknown>,
  variables: EnvironmentVariable[],
  origin: string,
): unknown[] {
  const current = container.environment ?? [];
  if (!Array.isArray(current)) {
    throw new UserError(
      `task-definition: "environment" of container "${String(container.name)}" in ${origin} must be a list of ` +
        '{"name": ..., "value": ...}, e.g. "environment": [{"name": "LOG_LEVEL", "value": "info"}].',
    );
  }
  const environment: unknown[] = [...current];
  for (const { name, value } of variables) {
    const existing = environment.find((entry) => isPlainObject(entry) && entry.name === name) as
      Record<string, unknown> | undefined;
    if (existing) existing.value = value;
    else environment.push({ name, value });
  }
  return environment;
}
