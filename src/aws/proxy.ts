/**
 * Proxy support for every AWS call (self-hosted runners behind a corporate proxy). SDK v3 ignores the
 * proxy variables, so the client factory hands it an agent that honours them; the agent's modules
 * are loaded only when a proxy is configured.
 */
/**
 * The proxy variable that applies to `protocol` endpoints (either case), for messages; undefined when
 * none is set. (NO_PROXY may still exempt a host: the agent decides per connection.)
 */
export function configuredProxy(
  protocol: 'http' | 'https' = 'https',
  env: NodeJS.ProcessEnv = process.env,
): { variable: string; value: string } | undefined {
  for (const name of [`${protocol.toUpperCase()}_PROXY`, 'ALL_PROXY']) {
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
  if (!configuredProxy('https', env) && !configuredProxy('http', env)) return undefined;
  const { EnvProxyAgent } = await import('./proxy-agent.js');
  const agent = new EnvProxyAgent();
  return { httpAgent: agent, httpsAgent: agent };
}

/** `http://user:secret@proxy:3128` → `http://proxy:3128`: a proxy password never reaches the log. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
