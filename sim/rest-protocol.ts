/** REST-JSON routing (EventBridge Scheduler): which operation a method and path name, and its path/query input. */
import type { ServiceName } from './server.js';

export interface RestRoute {
  service: ServiceName;
  operation: string;
  /** Path labels and query parameters, under the input members they bind to. */
  input: Record<string, unknown>;
}

interface RouteSpec {
  method: string;
  /** `{Label}` segments bind to input members. */
  path: string;
  service: ServiceName;
  operation: string;
  /** query parameter → input member */
  query: Record<string, string>;
  /** Query members that are integers on the wire. */
  integers?: string[];
}

const routes: RouteSpec[] = [
  {
    method: 'GET',
    path: '/schedules',
    service: 'scheduler',
    operation: 'ListSchedules',
    query: {
      ScheduleGroup: 'GroupName',
      NamePrefix: 'NamePrefix',
      State: 'State',
      NextToken: 'NextToken',
      MaxResults: 'MaxResults',
    },
    integers: ['MaxResults'],
  },
  {
    method: 'GET',
    path: '/schedules/{Name}',
    service: 'scheduler',
    operation: 'GetSchedule',
    query: { groupName: 'GroupName' },
  },
  { method: 'PUT', path: '/schedules/{Name}', service: 'scheduler', operation: 'UpdateSchedule', query: {} },
];

/** The route a REST request takes, or undefined when it is not one (JSON 1.1 and query calls POST to `/`). */
export function restRoute(method: string, url: string): RestRoute | undefined {
  const parsed = new URL(url, 'http://localhost');
  const segments = parsed.pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const input: Record<string, unknown> = {};
    const matched = pattern.every((part, i) => {
      const label = /^\{(\w+)\}$/.exec(part)?.[1];
      if (label) input[label] = decodeURIComponent(segments[i]);
      return label !== undefined || part === segments[i];
    });
    if (!matched) continue;
    for (const [parameter, member] of Object.entries(route.query)) {
      const value = parsed.searchParams.get(parameter);
      if (value === null) continue;
      input[member] = route.integers?.includes(member) ? Number(value) : value;
    }
    return { service: route.service, operation: route.operation, input };
  }
  return undefined;
}
