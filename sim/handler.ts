/** What every operation handler receives: the parsed request, and where the client sent it. */

// Inputs arrive as untyped JSON; each handler reads the members it knows, as the real service does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Input = any;

export interface RequestContext {
  /** From the SigV4 credential scope (`…/<region>/<service>/aws4_request`), else the scenario's region. */
  region: string;
  /** `http://127.0.0.1:<port>`: where the simulator serves what it hands out URLs for (ECR layer downloads). */
  origin: string;
}

export type Handler = (input: Input, request: RequestContext) => unknown;

const credentialScope = /Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/;

/** The region the client signed for; one server answers for every region. */
export function signedRegion(authorization: string | undefined, fallback: string): string {
  return credentialScope.exec(authorization ?? '')?.[1] ?? fallback;
}
