/** Sent as the SDK's custom user agent, so AWS-side logs show which tool made a call. */
export const VERSION = '1.0.0';
export const USER_AGENT = `ecs-shift/${VERSION}`;
