/**
 * Proxy support for every AWS call (self-hosted runners behind a corporate proxy). SDK v3 ignores the
 * proxy variables, so the client factory hands it an agent that honours them; the agent's modules
 * are loaded only when a proxy is configured.
 */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'];

/** The first proxy variable set (either case), for messages; undefined when none is. */
export function configuredProxy(
  env: NodeJS.ProcessEnv = process.env,
): { variable: string; value: string } | undefined {
  for (const name of PROXY_VARIABLES) {
    for (const variable of [name, name.toLowerCase()]) {
      const value = env[variable]?.trim();
      if (value) return { variable, value: withoutCredentials(value) };
    }
  }
  return undefined;
}

/** The SDK `requestHandler` option that routes through the proxy, or undefined without one. */
export async function proxyRequestHandler(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ httpAgent: unknown; httpsAgent: unknown } | undefined> {
  if (!configuredProxy(env)) return undefined;
  const { EnvProxyAgent } = await import('./proxy-agent.js');
  const agent = new EnvProxyAgent();
  return { httpAgent: agent, httpsAgent: agent };
}

/** `http://user:secret@proxy:3128` → `http://proxy:3128`: a proxy password never reaches the log. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
