/**
 * A self-hosted runner behind a corporate proxy: every AWS call of the bundle goes through the proxy
 * that HTTP_PROXY names, and none does for a host NO_PROXY lists.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { rollingScenario } from '../../sim/index.js';
import { runAction } from '../../sim/run-action.js';
import { simulate } from './setup.js';

const DEPLOY = { cluster: 'prod', service: 'web', 'container-name': 'app', image: 'repo/web:2' };

/** A forward proxy for plain-HTTP targets (absolute-URI requests), counting what it forwards. */
async function startProxy(): Promise<{ url: string; forwarded: string[]; server: Server }> {
  const forwarded: string[] = [];
  const server = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? '');
    forwarded.push(`${incoming.method} ${target.host} ${incoming.headers['x-amz-target'] ?? ''}`);
    const upstream = request(target, { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, forwarded, server };
}

let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
afterEach(async () => {
  await new Promise((resolve) => proxy?.server.close(resolve) ?? resolve(undefined));
  proxy = undefined;
});

describe('proxies', () => {
  it('sends every AWS call through HTTP_PROXY', async () => {
    proxy = await startProxy();
    const s = await simulate(rollingScenario());
    const run = await runAction(s, { inputs: DEPLOY, env: { HTTP_PROXY: proxy.url } });
    expect(run.code).toBe(0);
    expect(s.requests.length).toBeGreaterThan(3);
    expect(proxy.forwarded).toHaveLength(s.requests.length);
    expect(proxy.forwarded).toContain(
      `POST ${new URL(s.url).host} AmazonEC2ContainerServiceV20141113.UpdateService`,
    );
  });

  it('goes direct to a host NO_PROXY lists', async () => {
    proxy = await startProxy();
    const s = await simulate(rollingScenario());
    const run = await runAction(s, { inputs: DEPLOY, env: { http_proxy: proxy.url, NO_PROXY: '127.0.0.1' } });
    expect(run.code).toBe(0);
    expect(proxy.forwarded).toEqual([]);
  });

  it('names the proxy, without its password, when it cannot be reached', async () => {
    const s = await simulate(rollingScenario());
    const run = await runAction(s, {
      inputs: { ...DEPLOY, 'max-retries': '0' },
      env: { HTTP_PROXY: 'http://deploy:s3cr3t-pw@127.0.0.1:9' },
    });
    expect(run.code).toBe(1);
    expect(run.log).toContain('HTTP_PROXY is set to http://127.0.0.1:9');
    expect(run.log).not.toContain('s3cr3t-pw');
    expect(s.requests).toHaveLength(0);
  });
});
