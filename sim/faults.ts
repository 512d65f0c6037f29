/** The scenario's faults, with the counters that make "the first N calls" faults run out. */
import type { Fault, LifecycleEventName } from './scenarios.js';

type FaultOf<K extends Fault['kind']> = Extract<Fault, { kind: K }>;

export class FaultBook {
  private readonly callsSeen = new Map<string, number>();
  private readonly lostSoFar = new Map<string, number>();

  constructor(private readonly faults: Fault[]) {}

  private find<K extends Fault['kind']>(kind: K, matches: (fault: FaultOf<K>) => boolean = () => true) {
    return this.faults.find(
      (fault): fault is FaultOf<K> => fault.kind === kind && matches(fault as FaultOf<K>),
    );
  }

  /** The error this call should answer with instead of running, if an operationErrors fault still applies. */
  errorFor(operation: string): { type: string; status: number } | undefined {
    const fault = this.find('operationErrors', (f) => f.operation === operation);
    if (!fault) return undefined;
    const seen = (this.callsSeen.get(operation) ?? 0) + 1;
    this.callsSeen.set(operation, seen);
    if (seen > fault.count) return undefined;
    const type = fault.error ?? 'ThrottlingException';
    return { type, status: type === 'InternalFailure' ? 500 : 400 };
  }

  /** True when this call's answer should be lost (the call still takes effect). Counts the call. */
  loseResponse(operation: string): boolean {
    const fault = this.find('responseLost', (f) => (f.operation ?? 'CreateDeployment') === operation);
    if (!fault) return false;
    const lost = this.lostSoFar.get(operation) ?? 0;
    if (lost >= fault.count) return false;
    this.lostSoFar.set(operation, lost + 1);
    return true;
  }

  /** Real milliseconds to hold this call's answer back (slowAnswer), or 0. */
  answerDelay(operation: string): number {
    return this.find('slowAnswer', (f) => f.operation === operation)?.ms ?? 0;
  }

  /** True while ListServiceDeployments should still list nothing. Counts the call. */
  hidesServiceDeployments(): boolean {
    const fault = this.find('serviceDeploymentsListedLate');
    if (!fault) return false;
    const seen = (this.callsSeen.get('ListServiceDeployments:late') ?? 0) + 1;
    this.callsSeen.set('ListServiceDeployments:late', seen);
    return seen <= fault.calls;
  }

  hookFailure(event: string): FaultOf<'hookFails'> | undefined {
    return this.find('hookFails', (f) => f.event === event);
  }

  hangsIn(event: LifecycleEventName): boolean {
    return this.find('neverFinishes', (f) => f.event === event) !== undefined;
  }

  /** The tasksKeepStopping fault if this task of `revision` is to stop: every task, or the first `count`. Counts the task. */
  stoppingTask(revision: string): FaultOf<'tasksKeepStopping'> | undefined {
    const fault = this.find('tasksKeepStopping');
    if (!fault || fault.count === undefined) return fault;
    const seen = (this.callsSeen.get(`task of ${revision}`) ?? 0) + 1;
    this.callsSeen.set(`task of ${revision}`, seen);
    return seen <= fault.count ? fault : undefined;
  }

  oneOffTaskExit(): FaultOf<'oneOffTaskExits'> | undefined {
    return this.find('oneOffTaskExits');
  }

  busyGroups(): FaultOf<'groupBusy'>[] {
    return this.faults.filter((fault): fault is FaultOf<'groupBusy'> => fault.kind === 'groupBusy');
  }
}
