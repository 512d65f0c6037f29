/**
 * How a scenario's ECR image looks on the wire: a single image manifest, or a Docker manifest list /
 * OCI image index naming one manifest per platform (and, for OCI, buildx's attestation manifests).
 */
import type { ScenarioEcrImage } from './scenarios.js';
import { sha256Hex, stableNumber } from './stable-ids.js';

export const mediaTypes = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  inToto: 'application/vnd.in-toto+json',
} as const;

/** One manifest in a repository, tagged or not. */
export interface EcrImage {
  digest: string;
  /** The JSON text BatchGetImage returns. */
  manifest: string;
  manifestMediaType: string;
  /** The config's media type; ECR reports none for an index. */
  artifactMediaType?: string;
  /** The layers' compressed size; ECR reports none for an index. */
  sizeInBytes?: number;
  pushedAt: number;
  /**
   * What the image runs on (`linux/amd64`, …). The simulator's own knowledge: for a single manifest the
   * wire shows no platform (only its config blob, which ECR's API does not serve, says it).
   */
  platforms: string[];
  /** A single manifest's config blob (what GetDownloadUrlForLayer lets a client download): it names the platform. */
  configBlob?: { digest: string; content: string };
}

/** `sha256:` + 64 hex from the repository and tag: the digest the scenario's image gets unless it names one. */
export function imageDigest(repository: string, tag: string): string {
  return `sha256:${sha256Hex(`${repository}:${tag}`)}`;
}

function platformOf(text: string): { os: string; architecture: string; variant?: string } {
  const [os = 'linux', architecture = 'amd64', variant] = text.split('/');
  return variant ? { architecture, os, variant } : { architecture, os };
}

function blob(seed: string, mediaType: string, min: number, max: number) {
  return { mediaType, size: stableNumber(seed, min, max), digest: `sha256:${sha256Hex(seed)}` };
}

/** A single image manifest (Docker v2 schema 2, or OCI inside an OCI index); it names no platform. */
function singleManifest(seed: string, oci: boolean, pushedAt: number, platforms: string[]): EcrImage {
  const content = JSON.stringify({
    ...platformOf(platforms[0] ?? 'linux/amd64'),
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Cmd: ['node', 'dist/server.js'] },
    rootfs: { type: 'layers', diff_ids: [`sha256:${sha256Hex(`${seed} diff`)}`] },
  });
  const config = {
    mediaType: oci ? mediaTypes.ociConfig : mediaTypes.dockerConfig,
    size: Buffer.byteLength(content),
    digest: `sha256:${sha256Hex(content)}`,
  };
  const layers = [0, 1, 2, 3].map((i) =>
    blob(`${seed} layer ${i}`, oci ? mediaTypes.ociLayer : mediaTypes.dockerLayer, 30_000, 30_000_000),
  );
  const manifestMediaType = oci ? mediaTypes.ociManifest : mediaTypes.dockerManifest;
  return {
    digest: `sha256:${sha256Hex(seed)}`,
    manifest: JSON.stringify({ schemaVersion: 2, mediaType: manifestMediaType, config, layers }, null, 3),
    manifestMediaType,
    artifactMediaType: config.mediaType,
    sizeInBytes: layers.reduce((sum, layer) => sum + layer.size, 0),
    pushedAt,
    platforms,
    configBlob: { digest: config.digest, content },
  };
}

/** buildx's provenance for one platform manifest: an OCI manifest with an in-toto layer. */
function attestationManifest(subject: EcrImage, pushedAt: number): EcrImage {
  const seed = `${subject.digest} attestation`;
  const config = blob(`${seed} config`, mediaTypes.ociConfig, 160, 400);
  const layers = [
    {
      ...blob(`${seed} layer`, mediaTypes.inToto, 1_000, 20_000),
      annotations: { 'in-toto.io/predicate-type': 'https://slsa.dev/provenance/v0.2' },
    },
  ];
  return {
    digest: `sha256:${sha256Hex(seed)}`,
    manifest: JSON.stringify(
      { schemaVersion: 2, mediaType: mediaTypes.ociManifest, config, layers },
      null,
      3,
    ),
    manifestMediaType: mediaTypes.ociManifest,
    artifactMediaType: config.mediaType,
    sizeInBytes: layers[0].size,
    pushedAt,
    platforms: ['unknown/unknown'],
  };
}

const descriptor = (image: EcrImage, platform: object, annotations?: object) => ({
  mediaType: image.manifestMediaType,
  size: Buffer.byteLength(image.manifest),
  digest: image.digest,
  ...(annotations ? { annotations } : {}),
  platform,
});

/**
 * The manifests a push of `image` leaves in the repository: the tagged one first, then (for a list or
 * index) its untagged per-platform and attestation manifests.
 */
export function pushedManifests(
  repository: string,
  image: ScenarioEcrImage,
  fallbackTag: string,
  pushedAt: number,
): EcrImage[] {
  const platforms = image.platforms?.length ? image.platforms : ['linux/amd64'];
  const digest = image.digest ?? imageDigest(repository, image.tags[0] ?? fallbackTag);
  if (!image.index && platforms.length === 1) {
    return [{ ...singleManifest(digest, false, pushedAt, platforms), digest }];
  }
  const oci = image.index === 'oci';
  const children = platforms.map((platform) =>
    singleManifest(`${digest} ${platform}`, oci, pushedAt, [platform]),
  );
  const attestations =
    oci && image.attestations !== false ? children.map((child) => attestationManifest(child, pushedAt)) : [];
  const manifests = [
    ...children.map((child) => descriptor(child, platformOf(child.platforms[0]))),
    ...attestations.map((attestation, i) =>
      descriptor(
        attestation,
        { architecture: 'unknown', os: 'unknown' },
        {
          'vnd.docker.reference.digest': children[i].digest,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      ),
    ),
  ];
  const manifestMediaType = oci ? mediaTypes.ociIndex : mediaTypes.dockerManifestList;
  const index: EcrImage = {
    digest,
    manifest: JSON.stringify({ schemaVersion: 2, mediaType: manifestMediaType, manifests }, null, 3),
    manifestMediaType,
    pushedAt,
    platforms,
  };
  return [index, ...children, ...attestations];
}
