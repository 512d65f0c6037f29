/**
 * The AWS query protocol, as IAM speaks it: a form-encoded POST (`Action=GetRole&Version=2010-05-08&…`)
 * answered with `<ActionResponse><ActionResult>…` XML, errors as `<ErrorResponse>` with a Code.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** The namespace of each query API version the simulator serves. */
export const queryNamespaces: Record<string, string> = {
  '2010-05-08': 'https://iam.amazonaws.com/doc/2010-05-08/',
};

export function isQueryRequest(headers: IncomingHttpHeaders): boolean {
  return (
    !headers['x-amz-target'] &&
    String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  );
}

/** Action, Version and the other members (flat: `RoleName` → value) of a form body. */
export function parseQuery(body: string): { action: string; version: string; input: Record<string, string> } {
  const { Action = '', Version = '', ...input } = Object.fromEntries(new URLSearchParams(body));
  return { action: Action, version: Version, input };
}

const escapeXml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** Members as elements in order; lists as `<member>`s. */
function toXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => `<${name}>${toXml(member)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function queryAnswer(version: string, action: string, result: unknown, requestId: string): string {
  return (
    `<${action}Response xmlns="${queryNamespaces[version]}">` +
    `<${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

export function queryError(
  version: string,
  code: string,
  message: string,
  status: number,
  requestId: string,
): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${queryNamespaces[version] ?? queryNamespaces['2010-05-08']}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

/** Query services name the injectable errors differently from JSON ones (and deny with 403). */
const queryCodes: Record<string, { code: string; status: number }> = {
  AccessDeniedException: { code: 'AccessDenied', status: 403 },
  ThrottlingException: { code: 'Throttling', status: 400 },
  ExpiredTokenException: { code: 'ExpiredToken', status: 403 },
  InternalFailure: { code: 'ServiceFailure', status: 500 },
};

export function queryErrorFor(type: string, status: number): { code: string; status: number } {
  return queryCodes[type] ?? { code: type, status };
}
