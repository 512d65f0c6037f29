/**
 * The CodeDeploy AppSpec for an ECS blue/green deployment: parsed from the user's file or inline
 * text, or generated from the service; patched with the registered task definition ARN; checked
 * against the rendered task definition before anything changes. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import type { Service, TaskDefinition } from '../aws/ports.js';
import { UserError } from '../text/errors.js';
import { parseStructuredText } from '../taskdef/read.js';
import { isPlainObject } from '../text/format.js';

export interface AppSpecLoadBalancerInfo {
  ContainerName: string;
  ContainerPort: number;
  [key: string]: unknown;
}

export interface AppSpecServiceProperties {
  /** The task definition ARN; set by withTaskDefinitionArn once the revision is registered. */
  TaskDefinition?: string;
  LoadBalancerInfo: AppSpecLoadBalancerInfo;
  PlatformVersion?: string;
  NetworkConfiguration?: {
    AwsvpcConfiguration: { Subnets?: string[]; SecurityGroups?: string[]; AssignPublicIp?: string };
  };
  CapacityProviderStrategy?: { Base?: number; CapacityProvider?: string; Weight?: number }[];
  [key: string]: unknown;
}

export interface AppSpecResource {
  Type: 'AWS::ECS::Service';
  Properties: AppSpecServiceProperties;
  [key: string]: unknown;
}

/**
 * An ECS AppSpec. parseAppSpec matches the keys it reads case-insensitively and rewrites them to
 * this (documented) casing; everything else, Hooks included, is passed through as written.
 */
export interface AppSpec {
  version?: number | string;
  /** Exactly one entry: `{<resource name>: AppSpecResource}`. */
  Resources: Record<string, AppSpecResource>[];
  /** `[{<lifecycle event>: <Lambda function name or ARN>}]`, passed through untouched. */
  Hooks?: unknown;
  [key: string]: unknown;
}

const EXAMPLE =
  'e.g.\nversion: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n' +
  '        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: app\n          ContainerPort: 80';

function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

/**
 * Renames the keys of `object` that match `canonical` ignoring case to the canonical spelling.
 * Two spellings of the same key are an error: it is unclear which one CodeDeploy would read.
 */
function canonicalizeKeys(
  object: Record<string, unknown>,
  canonical: string[],
  where: string,
  origin: string,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(object)) {
    const match = canonical.find((name) => name.toLowerCase() === key.toLowerCase());
    const name = match ?? key;
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      throw new UserError(`${origin}: ${where} has both "${earlier}" and "${key}". Keep one of them.`);
    }
    seen.set(name.toLowerCase(), key);
    result[name] = value;
  }
  return result;
}

/** Parses an AppSpec (YAML or JSON) and checks its shape; `origin` names it, e.g. `codedeploy-appspec: appspec.yaml`. */
/** `notice`: told what was read differently from how it was written (a quoted port, say). */
export function parseAppSpec(
  text: string,
  origin: string,
  notice: (line: string) => void = () => {},
): AppSpec {
  const format = /^\s*[[{]/.test(text) ? 'json' : 'yaml';
  const parsed = parseStructuredText(text, format, origin);
  if (!isPlainObject(parsed)) {
    throw new UserError(
      `${origin} must be an AppSpec mapping, but its top-level value is ${describeType(parsed)}. Expected, ${EXAMPLE}`,
    );
  }
  const top = canonicalizeKeys(parsed, ['version', 'Resources', 'Hooks'], 'the AppSpec', origin);
  const resources = top.Resources;
  if (resources === undefined || resources === null) {
    throw new UserError(
      `${origin} has no "Resources". Expected a list with exactly one resource of Type AWS::ECS::Service, ${EXAMPLE}`,
    );
  }
  if (!Array.isArray(resources)) {
    throw new UserError(
      `${origin}: "Resources" must be a list (each entry starts with "- "), but it is ${describeType(resources)}. ` +
        `Expected exactly one resource of Type AWS::ECS::Service, ${EXAMPLE}`,
    );
  }
  if (resources.length !== 1) {
    const found = resources.length === 0 ? 'it is empty' : `it has ${resources.length}`;
    throw new UserError(
      `${origin}: "Resources" must list exactly one resource of Type AWS::ECS::Service (a CodeDeploy ECS ` +
        `deployment updates one service), but ${found}. Keep the one for this service, ${EXAMPLE}`,
    );
  }
  top.Resources = [parseResource(resources[0], origin, notice)];
  return top as AppSpec;
}

function parseResource(
  entry: unknown,
  origin: string,
  notice: (line: string) => void,
): Record<string, AppSpecResource> {
  if (!isPlainObject(entry) || Object.keys(entry).length !== 1) {
    throw new UserError(
      `${origin}: the entry of "Resources" must be a single named resource such as "TargetService", ${EXAMPLE}`,
    );
  }
  const [[name, body]] = Object.entries(entry);
  const where = `Resources[0].${name}`;
  if (!isPlainObject(body)) {
    throw new UserError(`${origin}: ${where} must be a mapping with Type and Properties, ${EXAMPLE}`);
  }
  const resource = canonicalizeKeys(body, ['Type', 'Properties'], where, origin);
  if (resource.Type !== 'AWS::ECS::Service') {
    const got = resource.Type === undefined ? 'it has none' : `got ${JSON.stringify(resource.Type)}`;
    throw new UserError(`${origin}: ${where} needs "Type: AWS::ECS::Service", ${got}.`);
  }
  if (!isPlainObject(resource.Properties)) {
    throw new UserError(
      `${origin}: ${where} needs "Properties" with LoadBalancerInfo (ContainerName, ContainerPort), ${EXAMPLE}`,
    );
  }
  const properties = canonicalizeKeys(
    resource.Properties,
    [
      'TaskDefinition',
      'LoadBalancerInfo',
      'PlatformVersion',
      'NetworkConfiguration',
      'CapacityProviderStrategy',
    ],
    `${where}.Properties`,
    origin,
  );
  const lbWhere = `${where}.Properties.LoadBalancerInfo`;
  if (!isPlainObject(properties.LoadBalancerInfo)) {
    throw new UserError(
      `${origin}: ${where}.Properties needs "LoadBalancerInfo" with ContainerName and ContainerPort ` +
        '(the container and port the load balancer sends traffic to), e.g. LoadBalancerInfo: {ContainerName: app, ContainerPort: 80}.',
    );
  }
  const lb = canonicalizeKeys(
    properties.LoadBalancerInfo,
    ['ContainerName', 'ContainerPort'],
    lbWhere,
    origin,
  );
  if (typeof lb.ContainerName !== 'string' || lb.ContainerName === '') {
    throw new UserError(
      `${origin}: ${lbWhere}.ContainerName must be the name of a container in the task definition, e.g. ContainerName: app.`,
    );
  }
  // AppSpecs in the wild quote the port ("8080"); CodeDeploy wants the number, as the official action sends it.
  if (typeof lb.ContainerPort === 'string' && /^\s*\d+\s*$/.test(lb.ContainerPort)) {
    const port = Number(lb.ContainerPort);
    notice(
      `${origin}: ${lbWhere}.ContainerPort is the text "${lb.ContainerPort.trim()}"; it is sent as the number ${port}.`,
    );
    lb.ContainerPort = port;
  }
  if (typeof lb.ContainerPort !== 'number' || !Number.isInteger(lb.ContainerPort) || lb.ContainerPort <= 0) {
    throw new UserError(
      `${origin}: ${lbWhere}.ContainerPort must be a port number (a containerPort of that container's ` +
        `portMappings), e.g. ContainerPort: 80, got ${JSON.stringify(lb.ContainerPort) ?? 'nothing'}.`,
    );
  }
  properties.LoadBalancerInfo = lb;
  resource.Properties = properties;
  return { [name]: resource as AppSpecResource };
}

/** An AppSpec for the service's current set-up: its load balancer, platform version, network, capacity providers. */
export function generateAppSpec(service: Service): AppSpec {
  const serviceName = service.serviceName ?? 'the service';
  const loadBalancer = (service.loadBalancers ?? []).find((lb) => lb.containerName && lb.containerPort);
  if (!loadBalancer) {
    throw new UserError(
      `codedeploy-appspec: service "${serviceName}" has no load balancer with a container name and port, so no AppSpec ` +
        'can be generated, and a CodeDeploy blue/green deployment needs one to shift traffic. Attach the service to a ' +
        'load balancer target group, or set codedeploy-appspec to an AppSpec file.',
    );
  }
  const properties: AppSpecServiceProperties = {
    TaskDefinition: service.taskDefinition,
    LoadBalancerInfo: {
      ContainerName: loadBalancer.containerName!,
      ContainerPort: loadBalancer.containerPort!,
    },
  };
  if (properties.TaskDefinition === undefined) delete properties.TaskDefinition;
  if (service.platformVersion) properties.PlatformVersion = service.platformVersion;
  const vpc = service.networkConfiguration?.awsvpcConfiguration;
  if (vpc) {
    const awsvpc: { Subnets?: string[]; SecurityGroups?: string[]; AssignPublicIp?: string } = {};
    if (vpc.subnets?.length) awsvpc.Subnets = vpc.subnets;
    if (vpc.securityGroups?.length) awsvpc.SecurityGroups = vpc.securityGroups;
    if (vpc.assignPublicIp) awsvpc.AssignPublicIp = vpc.assignPublicIp;
    if (Object.keys(awsvpc).length > 0) properties.NetworkConfiguration = { AwsvpcConfiguration: awsvpc };
  }
  if (service.capacityProviderStrategy?.length) {
    properties.CapacityProviderStrategy = service.capacityProviderStrategy.map((item) => {
      const strategy: { Base?: number; CapacityProvider?: string; Weight?: number } = {};
      if (item.base !== undefined) strategy.Base = item.base;
      if (item.capacityProvider !== undefined) strategy.CapacityProvider = item.capacityProvider;
      if (item.weight !== undefined) strategy.Weight = item.weight;
      return strategy;
    });
  }
  return {
    version: 0.0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }],
  };
}

/** A copy of the AppSpec whose resources point at `arn` (an existing key of any casing is replaced in place). */
export function withTaskDefinitionArn(appSpec: AppSpec, arn: string): AppSpec {
  const copy = structuredClone(appSpec);
  for (const resource of copy.Resources) {
    for (const body of Object.values(resource)) {
      const properties = body.Properties;
      const keys = Object.keys(properties).filter((key) => key.toLowerCase() === 'taskdefinition');
      if (keys.length === 0) properties.TaskDefinition = arn;
      for (const key of keys) properties[key] = arn;
    }
  }
  return copy;
}

/** The container and port the AppSpec sends traffic to must exist in the task definition being deployed. */
export function checkAppSpecAgainstTaskDefinition(
  appSpec: AppSpec,
  taskDefinition: TaskDefinition | Record<string, unknown>,
  origin: string,
): void {
  const containers = (taskDefinition as { containerDefinitions?: unknown }).containerDefinitions;
  const list = Array.isArray(containers) ? containers.filter(isPlainObject) : [];
  for (const resource of appSpec.Resources) {
    for (const [name, body] of Object.entries(resource)) {
      const { ContainerName, ContainerPort } = body.Properties.LoadBalancerInfo;
      const where = `Resources[0].${name}.Properties.LoadBalancerInfo`;
      const container = list.find((c) => c.name === ContainerName);
      if (!container) {
        const names = list.map((c) => String(c.name)).join(', ') || 'none';
        throw new UserError(
          `${origin}: ${where}.ContainerName is "${ContainerName}", but the task definition has no container of that ` +
            `name (it has: ${names}). Set ContainerName to the container that serves the load balancer's traffic, or ` +
            'rename the container in the task definition.',
        );
      }
      const ports = (Array.isArray(container.portMappings) ? container.portMappings : [])
        .filter(isPlainObject)
        .map((mapping) => mapping.containerPort)
        .filter((port): port is number => typeof port === 'number');
      if (!ports.includes(ContainerPort)) {
        const has =
          ports.length === 0 ? 'has no portMappings' : `maps only containerPort ${ports.join(', ')}`;
        throw new UserError(
          `${origin}: ${where}.ContainerPort is ${ContainerPort}, but container "${ContainerName}" in the task ` +
            `definition ${has}. Set ContainerPort to one of its portMappings' containerPort, or add ` +
            `{"containerPort": ${ContainerPort}} to its portMappings.`,
        );
      }
    }
  }
}

/** The `AppSpecContent` revision: the AppSpec as JSON and the SHA-256 (hex) of exactly that text. */
export function appSpecRevision(appSpec: AppSpec): { content: string; sha256: string } {
  const content = JSON.stringify(appSpec);
  return { content, sha256: createHash('sha256').update(content, 'utf8').digest('hex') };
}
