/** The ECR operations a verify uses: DescribeImages and BatchGetImage (manifests), read-only. */
import type { EcrImage } from './ecr-images.js';
import type { EcrRegistry, EcrRepository } from './ecr-registry.js';
import { SimError } from './errors.js';
import type { Handler, RequestContext } from './handler.js';
import { pageOf } from './paging.js';

interface ImageId {
  imageTag?: string;
  imageDigest?: string;
}

const digestPattern = /^sha256:[0-9a-f]{64}$/;
/** Where the simulator serves the layer downloads it hands out. */
export const BLOB_PATH = '/ecr-layer/';

export class EcrSimulator {
  constructor(
    private readonly registry: EcrRegistry,
    private readonly pullThroughCachePrefixes: string[] = [],
  ) {}

  private repository(input: { registryId?: string; repositoryName?: string }, request: RequestContext) {
    if (!input.repositoryName) {
      throw new SimError(
        'ValidationException',
        "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null",
      );
    }
    const repository = this.registry.repository(input.registryId, request.region, input.repositoryName);
    if (!repository) {
      const registryId = input.registryId ?? this.registry.accountId;
      throw new SimError(
        'RepositoryNotFoundException',
        `The repository with name '${input.repositoryName}' does not exist in the registry with id '${registryId}'`,
      );
    }
    return repository;
  }

  /** The image an id names: by digest, by tag, or both (which must agree). */
  private find(repository: EcrRepository, id: ImageId): { image?: EcrImage; mismatch?: boolean } {
    const byTag = id.imageTag === undefined ? undefined : repository.tags.get(id.imageTag);
    if (id.imageTag !== undefined && id.imageDigest !== undefined) {
      if (byTag === undefined) return {};
      return byTag === id.imageDigest ? { image: repository.images.get(byTag) } : { mismatch: true };
    }
    const digest = id.imageDigest ?? byTag;
    return { image: digest === undefined ? undefined : repository.images.get(digest) };
  }

  private detail(repository: EcrRepository, image: EcrImage) {
    const tags = this.registry.tagsOf(repository, image.digest);
    return {
      registryId: repository.registryId,
      repositoryName: repository.name,
      imageDigest: image.digest,
      // ECR leaves out what an image does not have: tags when untagged, size and artifact type for an index.
      ...(tags.length ? { imageTags: tags } : {}),
      ...(image.sizeInBytes === undefined ? {} : { imageSizeInBytes: image.sizeInBytes }),
      imagePushedAt: image.pushedAt,
      imageManifestMediaType: image.manifestMediaType,
      ...(image.artifactMediaType ? { artifactMediaType: image.artifactMediaType } : {}),
    };
  }

  readonly handlers: Record<string, Handler> = {
    GetDownloadUrlForLayer: (input, request) => {
      const repository = this.repository(input, request);
      const digest: string = input.layerDigest ?? '';
      const owned = [...repository.images.values()].some((image) => image.configBlob?.digest === digest);
      if (!owned) {
        throw new SimError(
          'LayerInaccessibleException',
          'The specified layer is not available because it is not associated with an image.',
        );
      }
      // On AWS a presigned S3 URL, valid for an hour; here the simulator serves the blob itself.
      return { downloadUrl: `${request.origin}${BLOB_PATH}${digest}`, layerDigest: digest };
    },
    DescribePullThroughCacheRules: (input) => ({
      pullThroughCacheRules: this.pullThroughCachePrefixes.map((prefix) => ({
        ecrRepositoryPrefix: prefix,
        registryId: input.registryId ?? this.registry.accountId,
        upstreamRegistryUrl: prefix === 'docker-hub' ? 'registry-1.docker.io' : `${prefix}.example`,
        createdAt: 1_700_000_000,
      })),
    }),
    DescribeImages: (input, request) => {
      const repository = this.repository(input, request);
      const ids: ImageId[] | undefined = input.imageIds;
      if (ids?.length) {
        const found = new Map<string, EcrImage>();
        for (const id of ids) {
          const { image } = this.find(repository, id);
          if (!image) {
            throw new SimError(
              'ImageNotFoundException',
              `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.name}' in the registry with id '${repository.registryId}'`,
            );
          }
          found.set(image.digest, image);
        }
        return { imageDetails: [...found.values()].map((image) => this.detail(repository, image)) };
      }
      const tagStatus: string = input.filter?.tagStatus ?? 'ANY';
      const all = [...repository.images.values()].filter((image) => {
        const tagged = this.registry.tagsOf(repository, image.digest).length > 0;
        return tagStatus === 'ANY' || (tagStatus === 'TAGGED') === tagged;
      });
      const { items, nextToken } = pageOf(all, input.nextToken, input.maxResults ?? 100);
      return { imageDetails: items.map((image) => this.detail(repository, image)), nextToken };
    },

    BatchGetImage: (input, request) => {
      const repository = this.repository(input, request);
      const accepted: string[] | undefined = input.acceptedMediaTypes;
      const images: unknown[] = [];
      const failures: unknown[] = [];
      const fail = (imageId: ImageId, failureCode: string, failureReason: string) =>
        failures.push({ imageId, failureCode, failureReason });
      for (const id of (input.imageIds ?? []) as ImageId[]) {
        if (id.imageTag === undefined && id.imageDigest === undefined) {
          fail(id, 'MissingDigestAndTag', 'Invalid request parameters: both tag and digest cannot be null');
          continue;
        }
        if (id.imageDigest !== undefined && !digestPattern.test(id.imageDigest)) {
          fail(id, 'InvalidImageDigest', 'Invalid image digest');
          continue;
        }
        const { image, mismatch } = this.find(repository, id);
        if (mismatch) fail(id, 'ImageTagDoesNotMatchDigest', 'Invalid image tag for image digest');
        else if (!image) fail(id, 'ImageNotFound', 'Requested image not found');
        // Without acceptedMediaTypes the stored manifest comes back as pushed.
        else if (accepted?.length && !accepted.includes(image.manifestMediaType)) {
          fail(id, 'UnsupportedImageType', `Requested image type ${image.manifestMediaType} is not accepted`);
        } else {
          images.push({
            registryId: repository.registryId,
            repositoryName: repository.name,
            imageId: { imageDigest: image.digest, ...(id.imageTag ? { imageTag: id.imageTag } : {}) },
            imageManifest: image.manifest,
            imageManifestMediaType: image.manifestMediaType,
          });
        }
      }
      return { images, failures };
    },
  };
}
