/** The real ParameterPort: DescribeParameters, which says a parameter exists without reading its value. */
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { callAws, deniedAs } from './errors.js';
import type { ParameterPort } from './ports.js';

export function createParameterPort(clientFor: (region: string) => SSMClient): ParameterPort {
  return {
    async parameterExists(region: string, names: string[]): Promise<boolean> {
      const output = await callAws(
        'SSM',
        'DescribeParameters',
        () =>
          clientFor(region).send(
            new DescribeParametersCommand({
              ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }],
              MaxResults: 10,
            }),
          ),
        deniedAs('SSM', 'DescribeParameters'),
      );
      return (output.Parameters ?? []).length > 0;
    },
  };
}
