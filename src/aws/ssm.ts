/** The real ParameterPort: DescribeParameters, which says a parameter exists without reading its value. */
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { callAws, deniedAs } from './errors.js';
import type { ParameterPort } from './ports.js';

/** Pages of an empty-but-continued answer before giving up (the check is then "not checked"). */
const MAX_PAGES = 10;

export function createParameterPort(clientFor: (region: string) => SSMClient): ParameterPort {
  return {
    async parameterExists(region: string, names: string[]): Promise<boolean> {
      // SSM filters "on a best-effort basis": a page may be empty yet carry a NextToken.
      let nextToken: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const output = await callAws(
          'SSM',
          'DescribeParameters',
          () =>
            clientFor(region).send(
              new DescribeParametersCommand({
                ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: names }],
                MaxResults: 50,
                NextToken: nextToken,
              }),
            ),
          deniedAs('SSM', 'DescribeParameters'),
        );
        if ((output.Parameters ?? []).length > 0) return true;
        nextToken = output.NextToken;
        if (!nextToken) return false;
      }
      throw new Error(`DescribeParameters gave no answer in ${MAX_PAGES} pages`);
    },
  };
}
