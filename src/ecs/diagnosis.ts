/**
 * Explains a failed rolling update or ECS-native blue/green, linear or canary deployment: the
 * deployment's status and reason, the circuit breaker, alarms and hooks, the rollback, service events
 * and stopped tasks. Pure: the caller fetches everything and passes it in.
 */
import type { ServiceDeployment, Task } from '../aws/ports.js';
import { ecsServiceUrl, serviceDeploymentUrl } from '../report/console-urls.js';
import {
  type Diagnosis,
  describeServiceEvents,
  type AppLogs,
  describeStoppedTasks,
  labelled,
  present,
  type RollbackSeen,
  type ServiceEvent,
} from '../report/diagnosis.js';
import { oneLine } from '../text/format.js';
import { describeStrategy, hookName } from './progress.js';

export interface EcsFailureInput {
  strategy: 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';
  deployment?: ServiceDeployment;
  rollback?: RollbackSeen;
  /** Our rollout's entry in DescribeServices `deployments` (rolling updates). */
  rollout?: { rolloutState?: string; rolloutStateReason?: string; failedTasks?: number };
  stoppedTasks: Task[];
  /** The app's last log lines for representativeTasks (release/app-logs.ts). */
  appLogs?: AppLogs;
  serviceEvents: ServiceEvent[];
  newTaskDefinitionArn: string;
  region: string;
  cluster: string;
  service: string;
}

/** The failure of a rolling update or an ECS-native blue/green/linear/canary deployment, explained. */
export function diagnoseEcsFailure(input: EcsFailureInput): Diagnosis {
  const { deployment, rollout } = input;
  const kind = describeStrategy(input.strategy);
  const status = deployment?.status ?? '';
  const rolledBack = status.startsWith('ROLLBACK') || deployment?.rollback !== undefined;
  const reason = [deployment?.rollback?.reason, rollout?.rolloutStateReason, deployment?.statusReason].find(
    present,
  );
  // ECS's reason often names the stage already.
  const stage =
    present(deployment?.lifecycleStage) && !(reason ?? '').includes(deployment.lifecycleStage)
      ? ` at ${deployment.lifecycleStage}`
      : '';
  const what = rolledBack
    ? `was rolled back${input.strategy === 'ROLLING' ? '' : stage}`
    : status === 'STOPPED' || status === 'STOP_REQUESTED'
      ? `was stopped${stage}`
      : 'failed';
  const headline = `ECS ${kind} of service ${input.service} ${what}${reason ? `: ${oneLine(reason)}` : ''}`;

  const details: string[] = [];
  // The status when the failure was seen is left out once a rollback was followed (its line says
  // where it ended); ECS's reason is kept when the headline has another.
  const statusReason = present(deployment?.statusReason) ? oneLine(deployment.statusReason) : undefined;
  const why = statusReason && statusReason !== oneLine(reason ?? '') ? statusReason : undefined;
  const statusLine = input.rollback ? why : present(status) ? `${status}${why ? `: ${why}` : ''}` : undefined;
  if (statusLine) details.push(...labelled('Deployment', statusLine));
  if (input.strategy === 'ROLLING' && rollout && present(rollout.rolloutState)) {
    details.push(
      ...labelled(
        'Rollout',
        `${rollout.rolloutState}${present(rollout.rolloutStateReason) ? `: ${oneLine(rollout.rolloutStateReason)}` : ''}`,
      ),
    );
  }
  const breaker = deployment?.deploymentCircuitBreaker;
  if (breaker?.status === 'TRIGGERED') {
    details.push(
      ...labelled(
        'Circuit breaker',
        `triggered after ${breaker.failureCount ?? '?'} failed tasks (threshold ${breaker.threshold ?? '?'})`,
      ),
    );
  }
  const alarms = deployment?.alarms;
  if (alarms?.status === 'TRIGGERED') {
    details.push(
      ...labelled('Alarms', `triggered: ${(alarms.triggeredAlarmNames ?? []).join(', ') || 'unnamed'}`),
    );
  }
  for (const hook of deployment?.lifecycleHookDetails ?? []) {
    if (hook.status === 'FAILED' || hook.status === 'TIMED_OUT') {
      details.push(
        ...labelled(
          'Lifecycle hook',
          `${hookName(hook, deployment)} ${hook.status.toLowerCase().replace('_', ' ')}`,
        ),
      );
    }
  }
  if (rolledBack) {
    details.push(
      ...labelled(
        'Rollback',
        input.rollback?.line ?? 'ECS is returning the service to the previous revision.',
      ),
    );
  }
  details.push(...describeServiceEvents(input.serviceEvents));
  details.push(...describeStoppedTasks(input));
  if (present(deployment?.serviceDeploymentArn)) {
    details.push(
      ...labelled(
        'Deployment',
        serviceDeploymentUrl(input.region, input.cluster, input.service, deployment.serviceDeploymentArn),
      ),
    );
  }
  details.push(...labelled('Service', ecsServiceUrl(input.region, input.cluster, input.service)));
  return { headline, details };
}
