/** proxy-from-env 2 ships no types: the one function ecs-shift uses. */
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from *_PROXY / ALL_PROXY, or '' when none applies (NO_PROXY matched). */
  export function getProxyForUrl(url: string): string;
}
