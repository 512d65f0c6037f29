/** The runner's side of an action unit test: fake credentials (never a real AWS host), and stdout caught. */
import { jest } from '@jest/globals';

export const FAKE_AWS_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** What @actions/core writes to stdout (workflow commands, log lines), kept instead of printed. */
export function captureStdout(): { text(): string } {
  let written = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written += String(chunk);
    return true;
  });
  return { text: () => written };
}
