/** The CodeDeploy operations the action uses, over the CodeDeploy state and its lifecycle runner. */
import { randomUUID } from 'node:crypto';
import { parseAppSpec } from './appspec.js';
import { CodeDeployLifecycle } from './codedeploy-lifecycle.js';
import {
  type CdApplication,
  type CdDeployment,
  type CdGroup,
  activeStatuses,
  blueGreenConfiguration,
  deploymentInfo,
  deploymentTarget,
  isFinished,
  predefinedDeploymentConfigs,
  targetId,
} from './codedeploy-model.js';
import { SimError } from './errors.js';
import type { Handler, Input } from './handler.js';
import type { Scenario, ScenarioDeploymentConfig } from './scenarios.js';
import type { World } from './world.js';

export class CodeDeploySimulator {
  readonly applications = new Map<string, CdApplication>();
  readonly deployments = new Map<string, CdDeployment>();
  private readonly configs = new Map<string, ScenarioDeploymentConfig & { id: string; createTime: number }>();
  private readonly lifecycle: CodeDeployLifecycle;

  constructor(
    private readonly world: World,
    scenario: Scenario,
  ) {
    this.lifecycle = new CodeDeployLifecycle(
      world,
      (name) => this.config(name),
      (d) => this.deployments.set(d.id, d),
    );
    const createTime = world.now();
    for (const config of [
      ...predefinedDeploymentConfigs,
      ...(scenario.codeDeploy?.deploymentConfigs ?? []),
    ]) {
      this.configs.set(config.name, { ...structuredClone(config), id: randomUUID(), createTime });
    }
    for (const application of scenario.codeDeploy?.applications ?? []) {
      const groups = new Map<string, CdGroup>();
      for (const group of application.deploymentGroups) {
        groups.set(group.name, {
          ...structuredClone(group),
          applicationName: application.name,
          deploymentGroupId: randomUUID(),
        });
      }
      this.applications.set(application.name, {
        name: application.name,
        applicationId: randomUUID(),
        createTime,
        groups,
      });
    }
    for (const fault of world.faults.busyGroups())
      this.startBusyDeployment(fault.minutes, fault.applicationName, fault.deploymentGroupName);
  }

  readonly handlers: Record<string, Handler> = {
    GetApplication: (input) => {
      const application = this.application(input.applicationName);
      return {
        application: {
          applicationId: application.applicationId,
          applicationName: application.name,
          createTime: application.createTime,
          linkedToGitHub: false,
          computePlatform: 'ECS',
        },
      };
    },
    GetDeploymentGroup: (input) => {
      const group = this.group(input.applicationName, input.deploymentGroupName);
      const deployments = [...this.deployments.values()].filter((d) => d.group === group);
      const last = deployments.at(-1);
      const lastSucceeded = deployments.filter((d) => d.status === 'Succeeded').at(-1);
      return {
        deploymentGroupInfo: {
          applicationName: group.applicationName,
          deploymentGroupId: group.deploymentGroupId,
          deploymentGroupName: group.name,
          deploymentConfigName: group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
          serviceRoleArn: group.serviceRoleArn,
          autoRollbackConfiguration: group.autoRollbackConfiguration ?? { enabled: false },
          deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
          blueGreenDeploymentConfiguration: blueGreenConfiguration(group),
          loadBalancerInfo: group.loadBalancerInfo,
          ecsServices: group.ecsServices,
          computePlatform: 'ECS',
          lastAttemptedDeployment: last && {
            deploymentId: last.id,
            status: last.status,
            createTime: last.createTime,
          },
          lastSuccessfulDeployment: lastSucceeded && {
            deploymentId: lastSucceeded.id,
            status: lastSucceeded.status,
            createTime: lastSucceeded.createTime,
          },
        },
      };
    },
    GetDeploymentConfig: (input) => {
      if (!input.deploymentConfigName) {
        throw new SimError(
          'DeploymentConfigNameRequiredException',
          'Deployment configuration name is required.',
        );
      }
      const config = this.config(input.deploymentConfigName);
      return {
        deploymentConfigInfo: {
          deploymentConfigId: config.id,
          deploymentConfigName: config.name,
          createTime: config.createTime,
          computePlatform: 'ECS',
          trafficRoutingConfig: config.trafficRoutingConfig,
        },
      };
    },
    ListDeployments: (input) => {
      let deployments = [...this.deployments.values()];
      if (input.deploymentGroupName && !input.applicationName) {
        throw new SimError(
          'ApplicationNameRequiredException',
          'If the deployment group name is specified, the application name must be specified too.',
        );
      }
      if (input.applicationName) {
        const application = this.application(input.applicationName);
        deployments = deployments.filter((d) => d.applicationName === application.name);
      }
      if (input.deploymentGroupName) {
        const group = this.group(input.applicationName, input.deploymentGroupName);
        deployments = deployments.filter((d) => d.group === group);
      }
      const statuses: string[] | undefined = input.includeOnlyStatuses;
      if (statuses?.length) deployments = deployments.filter((d) => statuses.includes(d.status));
      return { deployments: deployments.reverse().map((d) => d.id) };
    },
    CreateDeployment: (input) => this.createDeployment(input),
    GetDeployment: (input) => ({ deploymentInfo: deploymentInfo(this.deployment(input.deploymentId)) }),
    BatchGetDeployments: (input) => ({
      deploymentsInfo: ((input.deploymentIds ?? []) as string[])
        .map((id) => this.deployments.get(id))
        .filter((d): d is CdDeployment => d !== undefined)
        .map(deploymentInfo),
    }),
    ListDeploymentTargets: (input) => {
      const deployment = this.deployment(input.deploymentId);
      return { targetIds: [targetId(deployment)] };
    },
    GetDeploymentTarget: (input) => {
      const deployment = this.deployment(input.deploymentId);
      if (!input.targetId)
        throw new SimError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
      if (input.targetId !== targetId(deployment)) {
        throw new SimError(
          'DeploymentTargetDoesNotExistException',
          `The provided target ID ${input.targetId} does not belong to the deployment ${deployment.id}.`,
        );
      }
      return { deploymentTarget: deploymentTarget(deployment) };
    },
    StopDeployment: (input) => {
      const deployment = this.deployment(input.deploymentId);
      if (isFinished(deployment)) {
        throw new SimError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${deployment.id} has already completed.`,
        );
      }
      const withRollback = input.autoRollbackEnabled === true;
      this.lifecycle.stop(deployment, withRollback);
      return withRollback
        ? { status: 'Pending', statusMessage: 'Stopping Active Deployment' }
        : { status: 'Succeeded', statusMessage: 'Deployment stopped' };
    },
    ContinueDeployment: (input) => {
      const deployment = this.deployment(input.deploymentId);
      const waitType = input.deploymentWaitType ?? 'READY_WAIT';
      if (waitType === 'READY_WAIT' && deployment.status === 'Ready') {
        this.world.record(deployment.id, 'continued (READY_WAIT)');
        deployment.readyWait.release();
      } else if (
        waitType === 'TERMINATION_WAIT' &&
        deployment.instanceTerminationWaitTimeStarted &&
        !isFinished(deployment)
      ) {
        this.world.record(deployment.id, 'continued (TERMINATION_WAIT)');
        deployment.terminationWait.release();
      } else {
        throw new SimError(
          'DeploymentIsNotInReadyStateException',
          `The deployment ${deployment.id} is not waiting for ${waitType}.`,
        );
      }
      return {};
    },
  };

  private application(name: string | undefined): CdApplication {
    if (!name)
      throw new SimError(
        'ApplicationNameRequiredException',
        'The minimum number of required application names was not specified.',
      );
    const application = this.applications.get(name);
    if (!application)
      throw new SimError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
    return application;
  }

  private group(applicationName: string | undefined, groupName: string | undefined): CdGroup {
    const application = this.application(applicationName);
    if (!groupName)
      throw new SimError(
        'DeploymentGroupNameRequiredException',
        'The deployment group name was not specified.',
      );
    const group = application.groups.get(groupName);
    if (!group)
      throw new SimError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${groupName}`,
      );
    return group;
  }

  private config(name: string): ScenarioDeploymentConfig & { id: string; createTime: number } {
    const config = this.configs.get(name);
    if (!config)
      throw new SimError(
        'DeploymentConfigDoesNotExistException',
        `No deployment configuration found for name: ${name}`,
      );
    return config;
  }

  private deployment(id: string | undefined): CdDeployment {
    if (!id)
      throw new SimError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
    if (!/^d-[A-Z0-9]{9}$/.test(id)) {
      throw new SimError(
        'InvalidDeploymentIdException',
        `Specified DeploymentId is not in the valid format: ${id}`,
      );
    }
    const deployment = this.deployments.get(id);
    if (!deployment)
      throw new SimError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
    return deployment;
  }

  private activeDeploymentIn(group: CdGroup): CdDeployment | undefined {
    return [...this.deployments.values()].find((d) => d.group === group && activeStatuses.includes(d.status));
  }

  private serviceOf(group: CdGroup) {
    const [ecsService] = group.ecsServices;
    if (!ecsService)
      throw new SimError(
        'InvalidECSServiceException',
        `The deployment group ${group.name} has no ECS service.`,
      );
    return this.world.service(ecsService.clusterName, ecsService.serviceName);
  }

  private createDeployment(input: Input): { deploymentId: string } {
    const group = this.group(input.applicationName, input.deploymentGroupName);
    const deploymentConfigName: string =
      input.deploymentConfigName ?? group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
    this.config(deploymentConfigName);
    const revision = input.revision;
    if (!revision) throw new SimError('RevisionRequiredException', 'The revision ID was not specified.');
    if (revision.revisionType !== 'AppSpecContent' || typeof revision.appSpecContent?.content !== 'string') {
      throw new SimError(
        'InvalidRevisionException',
        'For ECS deployments the revision must be of type AppSpecContent with content.',
      );
    }
    const appSpec = parseAppSpec(revision.appSpecContent.content, revision.appSpecContent.sha256, this.world);
    const active = this.activeDeploymentIn(group);
    if (active) {
      throw new SimError(
        'DeploymentLimitExceededException',
        `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`,
      );
    }
    const deployment = this.lifecycle.newDeployment({
      applicationName: group.applicationName,
      group,
      service: this.serviceOf(group),
      deploymentConfigName,
      creator: 'user',
      description: input.description,
      revision,
      appSpec,
      autoRollbackConfiguration: input.autoRollbackConfiguration,
    });
    this.lifecycle.start(deployment);
    return { deploymentId: deployment.id };
  }

  private startBusyDeployment(minutes: number, applicationName?: string, groupName?: string): void {
    const application = applicationName
      ? this.applications.get(applicationName)
      : [...this.applications.values()][0];
    const group =
      application && (groupName ? application.groups.get(groupName) : [...application.groups.values()][0]);
    if (!group) throw new Error('scenario: groupBusy fault names no existing deployment group');
    const service = this.serviceOf(group);
    const deployment = this.lifecycle.newDeployment({
      applicationName: group.applicationName,
      group,
      service,
      deploymentConfigName: group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce',
      creator: 'user',
      description: 'An earlier deployment (simulated)',
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content: '{}' } },
    });
    deployment.createTime -= 120;
    deployment.blueTaskSetId = service.taskSets.find((taskSet) => taskSet.status === 'PRIMARY')?.id;
    this.lifecycle.startBusy(deployment, minutes);
  }

  stopAll(): void {
    for (const deployment of this.deployments.values()) deployment.abort.abort();
  }
}
