/** EventBridge rules and their targets: ListRules, ListTargetsByRule, PutTargets (replace a target by Id). */
import { SimError } from './errors.js';
import type { Handler } from './handler.js';
import { pageOf } from './paging.js';
import type { ScenarioRule, ScenarioRuleTarget } from './scenarios.js';

interface SimRule {
  name: string;
  eventBusName: string;
  arn: string;
  scheduleExpression?: string;
  eventPattern?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  targets: ScenarioRuleTarget[];
}

const idPattern = /^[.\-_A-Za-z0-9]{1,64}$/;

function checkLimit(limit: unknown): number {
  if (limit === undefined) return 100;
  if (typeof limit !== 'number' || limit < 1 || limit > 100) {
    throw new SimError(
      'ValidationException',
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`,
    );
  }
  return limit;
}

/** Why PutTargets refuses one target (a FailedEntries entry), or undefined when it is fine. */
function targetProblem(target: ScenarioRuleTarget): string | undefined {
  if (!target.Arn) return 'Target Arn is required.';
  if (String(target.Arn).startsWith('arn:aws:ecs:')) {
    if (!target.RoleArn) return `RoleArn is required for target arn ${target.Arn}.`;
    const ecs = target.EcsParameters as { TaskDefinitionArn?: string } | undefined;
    if (!ecs?.TaskDefinitionArn) return 'EcsParameters.TaskDefinitionArn is required for an ECS target.';
  }
  return undefined;
}

export class EventBridgeSimulator {
  /** By bus, then name: the order ListRules pages through them. */
  private readonly rules: SimRule[];

  constructor(
    rules: ScenarioRule[],
    private readonly region: string,
    private readonly accountId: string,
    private readonly record: (resource: string, what: string) => void,
  ) {
    this.rules = rules
      .map((rule) => {
        const eventBusName = rule.eventBusName ?? 'default';
        return {
          name: rule.name,
          eventBusName,
          arn: `arn:aws:events:${region}:${accountId}:rule/${eventBusName === 'default' ? '' : `${eventBusName}/`}${rule.name}`,
          scheduleExpression: rule.scheduleExpression,
          eventPattern: rule.eventPattern,
          state: rule.state ?? 'ENABLED',
          description: rule.description,
          targets: structuredClone(rule.targets),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A snapshot of a rule's targets, for tests. */
  targets(rule: string, eventBusName = 'default'): ScenarioRuleTarget[] | undefined {
    const found = this.rules.find((r) => r.name === rule && r.eventBusName === eventBusName);
    return found && structuredClone(found.targets);
  }

  private busName(ref: unknown): string {
    // EventBusName takes a name or an ARN (…:event-bus/<name>).
    const value = String(ref ?? 'default');
    return value.startsWith('arn:') ? value.split('/').pop()! : value;
  }

  private rule(input: { Rule?: string; EventBusName?: string }, regionAsked: string): SimRule {
    const bus = this.busName(input.EventBusName);
    const rule =
      regionAsked === this.region
        ? this.rules.find((r) => r.name === input.Rule && r.eventBusName === bus)
        : undefined;
    if (!rule) {
      throw new SimError(
        'ResourceNotFoundException',
        `Rule ${input.Rule} does not exist on EventBus ${bus}.`,
      );
    }
    return rule;
  }

  readonly handlers: Record<string, Handler> = {
    ListRules: (input, request) => {
      const bus = this.busName(input.EventBusName);
      const limit = checkLimit(input.Limit);
      const all =
        request.region === this.region
          ? this.rules.filter(
              (rule) =>
                rule.eventBusName === bus && (!input.NamePrefix || rule.name.startsWith(input.NamePrefix)),
            )
          : [];
      const { items, nextToken } = pageOf(all, input.NextToken, limit, 'ValidationException');
      return {
        Rules: items.map((rule) => ({
          Name: rule.name,
          Arn: rule.arn,
          State: rule.state,
          ...(rule.description === undefined ? {} : { Description: rule.description }),
          ...(rule.scheduleExpression === undefined ? {} : { ScheduleExpression: rule.scheduleExpression }),
          ...(rule.eventPattern === undefined ? {} : { EventPattern: rule.eventPattern }),
          EventBusName: rule.eventBusName,
        })),
        NextToken: nextToken,
      };
    },
    ListTargetsByRule: (input, request) => {
      const rule = this.rule(input, request.region);
      const { items, nextToken } = pageOf(
        rule.targets,
        input.NextToken,
        checkLimit(input.Limit),
        'ValidationException',
      );
      return { Targets: structuredClone(items), NextToken: nextToken };
    },
    PutTargets: (input, request) => {
      const targets = (input.Targets ?? []) as ScenarioRuleTarget[];
      if (targets.length < 1 || targets.length > 10) {
        throw new SimError(
          'ValidationException',
          `1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length ${targets.length ? 'less than or equal to 10' : 'greater than or equal to 1'}`,
        );
      }
      for (const target of targets) {
        if (typeof target.Id !== 'string' || !idPattern.test(target.Id)) {
          throw new SimError(
            'ValidationException',
            `1 validation error detected: Value '${String(target.Id)}' at 'targets.1.member.id' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+`,
          );
        }
      }
      const rule = this.rule(input, request.region);
      const accepted = targets.filter((target) => !targetProblem(target));
      const newIds = accepted.filter((t) => !rule.targets.some((existing) => existing.Id === t.Id));
      if (rule.targets.length + newIds.length > 5) {
        throw new SimError(
          'LimitExceededException',
          `The requested resource exceeds the maximum number allowed. Rule ${rule.name} can have at most 5 targets.`,
        );
      }
      const failed = targets
        .map((target) => ({ target, problem: targetProblem(target) }))
        .filter((entry) => entry.problem)
        .map(({ target, problem }) => ({
          TargetId: target.Id,
          ErrorCode: 'ValidationException',
          ErrorMessage: problem,
        }));
      for (const target of accepted) {
        const index = rule.targets.findIndex((existing) => existing.Id === target.Id);
        // A target sent again is replaced whole: members left out are gone.
        if (index >= 0) rule.targets[index] = structuredClone(target);
        else rule.targets.push(structuredClone(target));
        this.record(rule.arn, `target ${target.Id} put ${JSON.stringify(target)}`);
      }
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
  };
}
