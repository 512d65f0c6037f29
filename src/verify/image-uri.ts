/**
 * Which images live in a private ECR registry, and where: the account, region and repository an
 * image URI names, and its tag or digest. Anything else (Docker Hub, ECR Public, GHCR…) is not ECR's
 * to answer for, and is noted as not checked.
 */
import type { EcrImageRef } from '../aws/ports.js';

// <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>, and the dual-stack <account>.dkr-ecr[-fips].<region>.on.aws/<repo>.
const ECR_HOST =
  /^(\d{12})\.(?:dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|dkr-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)$/;

export function parseEcrImageUri(uri: string): EcrImageRef | undefined {
  const slash = uri.indexOf('/');
  if (slash < 0) return undefined;
  const host = ECR_HOST.exec(uri.slice(0, slash));
  if (!host) return undefined;
  const [, registryId, region, dualStackRegion] = host;
  const path = uri.slice(slash + 1);
  const at = path.indexOf('@');
  if (at >= 0) {
    const digest = path.slice(at + 1);
    return { registryId, region: region ?? dualStackRegion, repository: stripTag(path.slice(0, at)), digest };
  }
  const colon = path.lastIndexOf(':');
  const hasTag = colon > path.lastIndexOf('/');
  return {
    registryId,
    region: region ?? dualStackRegion,
    repository: hasTag ? path.slice(0, colon) : path,
    // No tag means `latest`, as for `docker pull`.
    tag: hasTag ? path.slice(colon + 1) : 'latest',
  };
}

/** `repo:tag@sha256:…` pulls by digest; the tag is decoration. */
function stripTag(repositoryAndTag: string): string {
  const colon = repositoryAndTag.lastIndexOf(':');
  return colon > repositoryAndTag.lastIndexOf('/') ? repositoryAndTag.slice(0, colon) : repositoryAndTag;
}

/** How a user would name the image in a message: `web:2` in 123456789012/us-east-1. */
export function imageName(image: EcrImageRef): string {
  return `${image.repository}${image.digest ? `@${image.digest}` : `:${image.tag}`}`;
}
