/**
 * The look-up ports (ECR, IAM, SSM, Secrets Manager, CloudWatch Logs), each loaded on first use: the
 * `import()` of its module is a separate chunk of the bundle, so the cold start and a run that never
 * verifies or reads logs do not load those SDK clients. One client per service and region.
 */
import { type AwsClientOptions, clientConfig } from './clients.js';
import type { LookupPorts } from './ports.js';

export function createLookupPorts(options: AwsClientOptions, region: string): LookupPorts {
  const perRegion = <C>(create: (config: ReturnType<typeof clientConfig>) => C) => {
    const clients = new Map<string, C>();
    return (wanted: string): C => {
      const existing = clients.get(wanted);
      if (existing) return existing;
      const client = create(clientConfig(options, wanted));
      clients.set(wanted, client);
      return client;
    };
  };
  return {
    registry: onFirstUse(
      ['findImage', 'pullThroughCachePrefixes', 'imageConfig', 'imageManifest'],
      async () => {
        const [{ ECRClient }, { createRegistryPort }, { createDownload }] = await Promise.all([
          import('@aws-sdk/client-ecr'),
          import('./ecr.js'),
          import('./download.js'),
        ]);
        return createRegistryPort(
          perRegion((config) => new ECRClient(config)),
          createDownload(options.requestHandler),
        );
      },
    ),
    iam: onFirstUse(['roleTrustPolicy'], async () => {
      const [{ IAMClient }, { createIamPort }] = await Promise.all([
        import('@aws-sdk/client-iam'),
        import('./iam.js'),
      ]);
      // IAM is global: the SDK maps any region of the partition to its one endpoint.
      return createIamPort(new IAMClient(clientConfig(options, region)));
    }),
    parameters: onFirstUse(['parameterExists'], async () => {
      const [{ SSMClient }, { createParameterPort }] = await Promise.all([
        import('@aws-sdk/client-ssm'),
        import('./ssm.js'),
      ]);
      return createParameterPort(perRegion((config) => new SSMClient(config)));
    }),
    secrets: onFirstUse(['describeSecret'], async () => {
      const [{ SecretsManagerClient }, { createSecretPort }] = await Promise.all([
        import('@aws-sdk/client-secrets-manager'),
        import('./secrets-manager.js'),
      ]);
      return createSecretPort(perRegion((config) => new SecretsManagerClient(config)));
    }),
    logs: onFirstUse(['logGroupExists', 'lastLogEvents'], async () => {
      const [{ CloudWatchLogsClient }, { createLogsPort }] = await Promise.all([
        import('@aws-sdk/client-cloudwatch-logs'),
        import('./logs.js'),
      ]);
      return createLogsPort(perRegion((config) => new CloudWatchLogsClient(config)));
    }),
  };
}

/** A port whose methods load the real one the first time any of them is called (schedules.ts too). */
export function onFirstUse<Port extends object>(
  methods: readonly (keyof Port)[],
  load: () => Promise<Port>,
): Port {
  let loaded: Promise<Port> | undefined;
  const port = {} as Record<keyof Port, unknown>;
  for (const method of methods) {
    port[method] = async (...args: unknown[]) => {
      loaded ??= load();
      const real = (await loaded) as Record<keyof Port, (...a: unknown[]) => unknown>;
      return real[method](...args);
    };
  }
  return port as Port;
}
