/**
 * The real EventBridgePort: the rules of the default event bus, their targets whole, and PutTargets,
 * which replaces a target by Id (so a target is sent back exactly as ListTargetsByRule gave it, with
 * only its task definition changed: schedules/update.ts).
 */
import {
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { isAwsErrorNamed } from './errors.js';
import type { EventBridgePort, EventBridgeTarget, FailedTarget, RuleSummary } from './ports.js';
import { callScheduleApi } from './schedules.js';

/** 100 a page (the most both calls take); the cap only guards against a token that never ends. */
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

export function createEventBridgePort(client: EventBridgeClient): EventBridgePort {
  return {
    async listRules(): Promise<RuleSummary[]> {
      const rules: RuleSummary[] = [];
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const output = await callScheduleApi({ service: 'EventBridge', operation: 'ListRules' }, () =>
          client.send(new ListRulesCommand({ Limit: PAGE_SIZE, NextToken: nextToken })),
        );
        for (const rule of output.Rules ?? []) {
          if (!rule.Name) continue;
          rules.push({
            name: rule.Name,
            arn: rule.Arn,
            state: rule.State,
            scheduleExpression: rule.ScheduleExpression,
          });
        }
        nextToken = output.NextToken;
        if (!nextToken) break;
      }
      return rules;
    },

    async listTargets(rule: string): Promise<EventBridgeTarget[] | undefined> {
      const targets: EventBridgeTarget[] = [];
      let nextToken: string | undefined;
      try {
        for (let page = 0; page < MAX_PAGES; page++) {
          const output = await callScheduleApi(
            {
              service: 'EventBridge',
              operation: 'ListTargetsByRule',
              subject: `rule ${JSON.stringify(rule)}`,
            },
            () =>
              client.send(
                new ListTargetsByRuleCommand({ Rule: rule, Limit: PAGE_SIZE, NextToken: nextToken }),
              ),
          );
          targets.push(...(output.Targets ?? []));
          nextToken = output.NextToken;
          if (!nextToken) break;
        }
      } catch (error) {
        if (isAwsErrorNamed(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      }
      return targets;
    },

    async putTargets(rule: string, targets: EventBridgeTarget[]): Promise<FailedTarget[]> {
      const output = await callScheduleApi(
        {
          service: 'EventBridge',
          operation: 'PutTargets',
          subject: `rule ${JSON.stringify(rule)}`,
          mutating: true,
        },
        () => client.send(new PutTargetsCommand({ Rule: rule, Targets: targets })),
      );
      // A partial success: the entries listed failed, every other target was put.
      return (output.FailedEntries ?? []).map((entry) => ({
        targetId: entry.TargetId ?? '',
        errorCode: entry.ErrorCode,
        errorMessage: entry.ErrorMessage,
      }));
    },
  };
}
