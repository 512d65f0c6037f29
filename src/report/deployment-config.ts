/**
 * A deployment config in words a reader checks the chart against: how much traffic moves, and when.
 * "CANARY" alone or a config name says neither for a custom config.
 */

const minutes = (n: number | undefined): string => `${n ?? 0} minute${n === 1 ? '' : 's'}`;

interface TrafficRouting {
  type?: string;
  timeBasedCanary?: { canaryPercentage?: number; canaryInterval?: number };
  timeBasedLinear?: { linearPercentage?: number; linearInterval?: number };
}

/** `CodeDeployDefault.ECSCanary10Percent5Minutes (canary: 10%, the rest 5 minutes later)`. */
export function codeDeployConfigWords(name: string, routing: TrafficRouting | undefined): string {
  const canary = routing?.timeBasedCanary;
  const linear = routing?.timeBasedLinear;
  const words =
    routing?.type === 'TimeBasedCanary' && canary
      ? `canary: ${canary.canaryPercentage ?? 0}%, the rest ${minutes(canary.canaryInterval)} later`
      : routing?.type === 'TimeBasedLinear' && linear
        ? `linear: ${linear.linearPercentage ?? 0}% every ${minutes(linear.linearInterval)}`
        : routing?.type === 'AllAtOnce' || routing === undefined
          ? 'all at once'
          : undefined;
  return words ? `${name} (${words})` : name;
}

interface EcsDeploymentConfiguration {
  strategy?: string;
  bakeTimeInMinutes?: number;
  canaryConfiguration?: { canaryPercent?: number; canaryBakeTimeInMinutes?: number };
  linearConfiguration?: { stepPercent?: number; stepBakeTimeInMinutes?: number };
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean };
}

/** `canary: 10% for 3 minutes, then 100%; bake time 30 minutes`; rolling: its bounds and breaker. */
export function ecsConfigWords(config: EcsDeploymentConfiguration | undefined): string {
  const strategy = config?.strategy ?? 'ROLLING';
  const bake =
    config?.bakeTimeInMinutes !== undefined ? `; bake time ${minutes(config.bakeTimeInMinutes)}` : '';
  switch (strategy) {
    case 'CANARY': {
      const canary = config?.canaryConfiguration;
      return `canary: ${canary?.canaryPercent ?? '?'}% for ${minutes(canary?.canaryBakeTimeInMinutes)}, then 100%${bake}`;
    }
    case 'LINEAR': {
      const linear = config?.linearConfiguration;
      return `linear: ${linear?.stepPercent ?? '?'}% more every ${minutes(linear?.stepBakeTimeInMinutes)}${bake}`;
    }
    case 'BLUE_GREEN':
      return `blue/green: 100% at once${bake}`;
    case 'ROLLING': {
      const bounds =
        config?.minimumHealthyPercent !== undefined || config?.maximumPercent !== undefined
          ? `at least ${config?.minimumHealthyPercent ?? 100}% healthy, at most ${config?.maximumPercent ?? 200}% running`
          : '';
      const breaker = config?.deploymentCircuitBreaker?.enable
        ? `circuit breaker on${config.deploymentCircuitBreaker.rollback ? ' with rollback' : ''}`
        : '';
      return [bounds, breaker].filter((part) => part !== '').join('; ');
    }
    default:
      return strategy.toLowerCase();
  }
}
