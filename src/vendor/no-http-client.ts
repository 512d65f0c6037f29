/**
 * Stands in for `@actions/http-client` in the bundle (tsconfig `paths`). @actions/core imports it only
 * for `getIDToken` (OIDC), which ecs-shift never calls; the real module pulls in undici, a third of the
 * bundle and ~80 ms of every cold start. Anything that does reach it fails loudly instead of silently.
 */
const reason = 'ecs-shift bundles no HTTP client for @actions/core (getIDToken is not used)';

export class HttpClient {
  constructor() {
    throw new Error(reason);
  }
}

export class BearerCredentialHandler {
  constructor() {
    throw new Error(reason);
  }
}
