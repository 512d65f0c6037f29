/**
 * Reads a presigned URL an AWS API handed out (ECR's GetDownloadUrlForLayer: an S3 URL valid for an
 * hour) through the same proxy agents as the SDK clients, bounded in size and time. The URL carries a
 * signature, so no message ever quotes it.
 */
import http from 'node:http';
import https from 'node:https';

const TIMEOUT_MS = 15_000;

export function createDownload(agents?: { httpAgent: unknown; httpsAgent: unknown }) {
  return (url: string, maxBytes: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const secure = url.startsWith('https:');
      const agent = (secure ? agents?.httpsAgent : agents?.httpAgent) as http.Agent | undefined;
      const request = (secure ? https : http).get(url, { agent, timeout: TIMEOUT_MS }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`the download ECR handed out answered HTTP ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy();
            reject(new Error(`the download ECR handed out is over ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', () => reject(new Error('the download ECR handed out broke off')));
      });
      request.on('timeout', () =>
        request.destroy(new Error(`the download ECR handed out took over ${TIMEOUT_MS / 1000} s`)),
      );
      request.on('error', (error) =>
        reject(
          new Error(
            `the download ECR handed out failed (${(error as NodeJS.ErrnoException).code ?? error.message})`,
          ),
        ),
      );
    });
}
