/**
 * Applies the step's overrides to a task definition: new images, environment variables. Pure: the
 * input is never modified.
 */
import { UserError } from '../text/errors.js';
import type { ContainerImage, EnvironmentVariable } from '../settings/settings.js';
import { isPlainObject } from '../text/format.js';

export interface RenderOptions {
  containerImages: ContainerImage[];
  environmentVariables: EnvironmentVariable[];
  /** The `container-name` list: receives the environment variables; names here came from `container-name`. */
  environmentContainers: string[];
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
  if (environmentVariables.length > 0) {
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
  }
  return rendered;
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
