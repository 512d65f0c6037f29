/**
 * The real RegistryPort (ECR, read only): DescribeImages for "is it there", BatchGetImage for the
 * manifest. A client per region, since an image URI may name another region's registry.
 */
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  GetDownloadUrlForLayerCommand,
  DescribePullThroughCacheRulesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import { callAws, deniedAs, isAwsErrorNamed } from './errors.js';
import type { EcrImageLookup, EcrImageRef, RegistryPort } from './ports.js';

/** Every manifest form, so ECR hands back what was pushed (an index stays an index). */
const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.v1+json',
];

/** Reads a presigned URL ECR handed out (bounded: a config blob is a few kB). */
export type Download = (url: string, maxBytes: number) => Promise<string>;

/** An image config is a few kB; anything much larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function createRegistryPort(
  clientFor: (region: string) => ECRClient,
  download: Download,
): RegistryPort {
  const imageIds = (image: EcrImageRef) => [
    image.digest ? { imageDigest: image.digest } : { imageTag: image.tag },
  ];
  return {
    async findImage(image: EcrImageRef): Promise<EcrImageLookup> {
      const call = () =>
        clientFor(image.region).send(
          new DescribeImagesCommand({
            registryId: image.registryId,
            repositoryName: image.repository,
            imageIds: imageIds(image),
          }),
        );
      try {
        const output = await callAws('ECR', 'DescribeImages', call, deniedAs('ECR', 'DescribeImages'));
        const detail = output.imageDetails?.[0];
        if (!detail) return { found: false, missing: 'image' };
        return { found: true, digest: detail.imageDigest, mediaType: detail.imageManifestMediaType };
      } catch (error) {
        if (isAwsErrorNamed(error, 'RepositoryNotFoundException'))
          return { found: false, missing: 'repository' };
        if (isAwsErrorNamed(error, 'ImageNotFoundException')) return { found: false, missing: 'image' };
        throw error;
      }
    },

    async pullThroughCachePrefixes(registryId: string, region: string): Promise<string[]> {
      const output = await callAws(
        'ECR',
        'DescribePullThroughCacheRules',
        () => clientFor(region).send(new DescribePullThroughCacheRulesCommand({ registryId })),
        deniedAs('ECR', 'DescribePullThroughCacheRules'),
      );
      return (output.pullThroughCacheRules ?? [])
        .map((rule) => rule.ecrRepositoryPrefix ?? '')
        .filter(Boolean);
    },

    async imageConfig(image: EcrImageRef, configDigest: string): Promise<string | undefined> {
      let url: string | undefined;
      try {
        const output = await callAws(
          'ECR',
          'GetDownloadUrlForLayer',
          () =>
            clientFor(image.region).send(
              new GetDownloadUrlForLayerCommand({
                registryId: image.registryId,
                repositoryName: image.repository,
                layerDigest: configDigest,
              }),
            ),
          deniedAs('ECR', 'GetDownloadUrlForLayer'),
        );
        url = output.downloadUrl;
      } catch (error) {
        if (isAwsErrorNamed(error, 'LayerInaccessibleException', 'LayersNotFoundException')) return undefined;
        throw error;
      }
      return url ? download(url, MAX_CONFIG_BYTES) : undefined;
    },

    async imageManifest(image: EcrImageRef) {
      const output = await callAws(
        'ECR',
        'BatchGetImage',
        () =>
          clientFor(image.region).send(
            new BatchGetImageCommand({
              registryId: image.registryId,
              repositoryName: image.repository,
              imageIds: imageIds(image),
              acceptedMediaTypes: MANIFEST_MEDIA_TYPES,
            }),
          ),
        deniedAs('ECR', 'BatchGetImage'),
      );
      const found = output.images?.find((candidate) => typeof candidate.imageManifest === 'string');
      if (!found?.imageManifest) return undefined;
      return { manifest: found.imageManifest, mediaType: found.imageManifestMediaType };
    },
  };
}
