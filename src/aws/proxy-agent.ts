/**
 * The HTTP(S) agent for a runner behind a proxy: each connection goes through the proxy that
 * HTTPS_PROXY / HTTP_PROXY / ALL_PROXY name for its URL, or direct when NO_PROXY matches the host (as
 * curl and the sibling actions read them). Loaded only when one of those variables is set.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import { Agent, type AgentConnectOpts } from 'agent-base';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { getProxyForUrl } from 'proxy-from-env';

export class EnvProxyAgent extends Agent {
  private readonly direct = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  private readonly viaProxy = new Map<string, http.Agent>();

  override connect(_req: http.ClientRequest, options: AgentConnectOpts): http.Agent | Duplex {
    const secure = options.secureEndpoint;
    const url = `${secure ? 'https' : 'http'}://${options.host}:${options.port}`;
    const proxy = getProxyForUrl(url);
    if (!proxy) return secure ? this.direct.https : this.direct.http;
    const key = `${secure} ${proxy}`;
    let agent = this.viaProxy.get(key);
    if (!agent) {
      // HTTPS targets are tunnelled (CONNECT); plain HTTP ones are sent to the proxy as absolute URLs.
      agent = secure
        ? new HttpsProxyAgent(proxy, { keepAlive: true })
        : new HttpProxyAgent(proxy, { keepAlive: true });
      this.viaProxy.set(key, agent);
    }
    return agent;
  }
}
