/** SSM DescribeParameters: which parameters exist, never their values (GetParameter is deliberately absent). */
import { SimError } from './errors.js';
import type { Handler } from './handler.js';
import { pageOf } from './paging.js';
import type { ScenarioSsmParameter } from './scenarios.js';

interface Filter {
  Key?: string;
  Option?: string;
  Values?: string[];
}

const nameOptions: Record<string, (name: string, value: string) => boolean> = {
  Equals: (name, value) => name === value,
  BeginsWith: (name, value) => name.startsWith(value),
  Contains: (name, value) => name.includes(value),
};

function matches(parameter: ScenarioSsmParameter, filter: Filter): boolean {
  const values = filter.Values ?? [];
  if (filter.Key === 'Name') {
    const test = nameOptions[filter.Option ?? 'Equals'];
    return values.some((value) => test(parameter.name, value));
  }
  return values.includes(parameter.type ?? 'String'); // Type
}

function checkFilter(filter: Filter): void {
  if (filter.Key !== 'Name' && filter.Key !== 'Type') {
    throw new SimError('InvalidFilterKey', `The simulator filters by Name and Type only, not ${filter.Key}.`);
  }
  const options = filter.Key === 'Name' ? Object.keys(nameOptions) : ['Equals'];
  if (filter.Option !== undefined && !options.includes(filter.Option)) {
    throw new SimError(
      'InvalidFilterOption',
      `The filter option '${filter.Option}' is not valid for key '${filter.Key}'. Valid options include: [${options.join(', ')}].`,
    );
  }
  if (!filter.Values?.length) throw new SimError('InvalidFilterValue', 'The filter value is empty.');
}

export class SsmSimulator {
  /** Sorted by name, the order SSM pages through them. */
  private readonly parameters: ScenarioSsmParameter[];

  constructor(
    parameters: ScenarioSsmParameter[],
    private readonly region: string,
    private readonly accountId: string,
    private readonly createdAt: number,
  ) {
    this.parameters = [...parameters].sort((a, b) => a.name.localeCompare(b.name));
  }

  private metadata(parameter: ScenarioSsmParameter) {
    const type = parameter.type ?? 'String';
    return {
      Name: parameter.name,
      // A hierarchical name brings its own slash: parameter/prod/db; a plain one gets one: parameter/db.
      ARN: `arn:aws:ssm:${this.region}:${this.accountId}:parameter${parameter.name.startsWith('/') ? '' : '/'}${parameter.name}`,
      Type: type,
      ...(type === 'SecureString' ? { KeyId: 'alias/aws/ssm' } : {}),
      LastModifiedDate: this.createdAt,
      LastModifiedUser: `arn:aws:iam::${this.accountId}:user/admin`,
      Version: 1,
      Tier: 'Standard',
      Policies: [],
      DataType: 'text',
    };
  }

  readonly handlers: Record<string, Handler> = {
    DescribeParameters: (input, request) => {
      if (input.Filters) {
        throw new SimError('ValidationException', 'The simulator supports ParameterFilters, not Filters.');
      }
      const filters: Filter[] = input.ParameterFilters ?? [];
      filters.forEach(checkFilter);
      const maxResults: number = input.MaxResults ?? 10;
      if (maxResults < 1 || maxResults > 50) {
        throw new SimError(
          'ValidationException',
          `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50`,
        );
      }
      // Parameters live in one region; the client's region picks them.
      const all = request.region === this.region ? this.parameters : [];
      // SSM pages through all parameters and filters each page, so a page may hold fewer matches
      // than MaxResults (even none) and still have a NextToken, as documented.
      const { items, nextToken } = pageOf(all, input.NextToken, maxResults, 'InvalidNextToken');
      return {
        Parameters: items
          .filter((parameter) => filters.every((filter) => matches(parameter, filter)))
          .map((parameter) => this.metadata(parameter)),
        NextToken: nextToken,
      };
    },
  };
}
