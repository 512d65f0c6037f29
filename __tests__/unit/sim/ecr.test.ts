import { createHash } from 'node:crypto';
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  GetDownloadUrlForLayerCommand,
} from '@aws-sdk/client-ecr';
import {
  imageDigest,
  rollingScenario,
  startSimulator,
  webImageTags,
  type Simulator,
} from '../../../sim/index.js';
import { clientsFor, msPerMinute } from './helpers.js';

let sim: Simulator;
beforeEach(async () => {
  sim = await startSimulator(
    rollingScenario({
      ecr: {
        repositories: [
          { name: 'web', images: [{ tags: ['multi'], platforms: ['linux/amd64', 'linux/arm64/v8'] }] },
          {
            name: 'api',
            images: [
              { tags: ['oci'], platforms: ['linux/amd64', 'linux/arm64'], index: 'oci' },
              { tags: ['oci-one'], index: 'oci' },
            ],
          },
          { name: 'shared/base', registryId: '210987654321', region: 'eu-west-1', images: [{ tags: ['3'] }] },
        ],
      },
    }),
    { msPerMinute },
  );
});
afterEach(() => sim.stop());

describe('ECR DescribeImages', () => {
  it("describes the builder's images by tag and by digest", async () => {
    const { ecr } = clientsFor(sim);
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: '2' }] }),
    );
    expect(imageDetails).toEqual([
      {
        registryId: '123456789012',
        repositoryName: 'web',
        imageDigest: imageDigest('web', '2'),
        imageTags: ['2'],
        imageSizeInBytes: expect.any(Number),
        imagePushedAt: expect.any(Date),
        imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        artifactMediaType: 'application/vnd.docker.container.image.v1+json',
      },
    ]);
    expect(imageDigest('web', '2')).toMatch(/^sha256:[0-9a-f]{64}$/);
    const byDigest = await ecr.send(
      new DescribeImagesCommand({
        registryId: '123456789012',
        repositoryName: 'web',
        imageIds: [{ imageDigest: imageDigest('web', '4f2a9c1') }],
      }),
    );
    expect(byDigest.imageDetails![0].imageTags).toEqual(['4f2a9c1']);

    const all = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'web', filter: { tagStatus: 'TAGGED' } }),
    );
    expect(all.imageDetails!.flatMap((d) => d.imageTags)).toEqual([...webImageTags, 'multi']);
  });

  it('answers RepositoryNotFoundException and ImageNotFoundException with AWS messages', async () => {
    const { ecr } = clientsFor(sim);
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: 'x', imageIds: [{ imageTag: '1' }] })),
    ).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: "The repository with name 'x' does not exist in the registry with id '123456789012'",
    });
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: '9' }] })),
    ).rejects.toMatchObject({
      name: 'ImageNotFoundException',
      message:
        "The image with imageId {imageDigest:'null', imageTag:'9'} does not exist within the repository with name 'web' in the registry with id '123456789012'",
    });
  });

  it('finds a repository by registry and by the region the client signs for', async () => {
    const input = {
      registryId: '210987654321',
      repositoryName: 'shared/base',
      imageIds: [{ imageTag: '3' }],
    };
    await expect(clientsFor(sim).ecr.send(new DescribeImagesCommand(input))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
    const { imageDetails } = await clientsFor(sim, 'eu-west-1').ecr.send(new DescribeImagesCommand(input));
    expect(imageDetails![0]).toMatchObject({ registryId: '210987654321', imageTags: ['3'] });
  });

  it('omits size and artifact type for a manifest list, as ECR does', async () => {
    const { ecr } = clientsFor(sim);
    const { imageDetails } = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'web', imageIds: [{ imageTag: 'multi' }] }),
    );
    expect(imageDetails![0].imageManifestMediaType).toBe(
      'application/vnd.docker.distribution.manifest.list.v2+json',
    );
    expect(imageDetails![0].imageSizeInBytes).toBeUndefined();
    expect(imageDetails![0].artifactMediaType).toBeUndefined();
  });
});

describe('ECR BatchGetImage', () => {
  const manifestOf = async (repositoryName: string, imageTag: string) => {
    const { images } = await clientsFor(sim).ecr.send(
      new BatchGetImageCommand({ repositoryName, imageIds: [{ imageTag }] }),
    );
    return { image: images![0], manifest: JSON.parse(images![0].imageManifest!) };
  };

  it('serves a single-platform image as a Docker v2 manifest that names no platform', async () => {
    const { image, manifest } = await manifestOf('web', '1');
    expect(image).toMatchObject({
      registryId: '123456789012',
      repositoryName: 'web',
      imageId: { imageDigest: imageDigest('web', '1'), imageTag: '1' },
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest: expect.any(String) },
    });
    expect(manifest.layers.length).toBeGreaterThan(0);
    expect(image.imageManifest).not.toMatch(/platform|amd64/);
  });

  it('lists each platform of a manifest list, and serves the per-platform manifests by digest', async () => {
    const { manifest } = await manifestOf('web', 'multi');
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.list.v2+json');
    expect(manifest.manifests.map((m: { platform: unknown }) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
    ]);
    const { images } = await clientsFor(sim).ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'web',
        imageIds: [{ imageDigest: manifest.manifests[1].digest }],
      }),
    );
    expect(images![0].imageManifestMediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('lists platforms and attestation manifests (unknown/unknown) in an OCI index', async () => {
    const { image, manifest } = await manifestOf('api', 'oci');
    expect(image.imageManifestMediaType).toBe('application/vnd.oci.image.index.v1+json');
    expect(
      manifest.manifests.map((m: { platform: { os: string; architecture: string } }) => m.platform),
    ).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux' },
      { architecture: 'unknown', os: 'unknown' },
      { architecture: 'unknown', os: 'unknown' },
    ]);
    expect(manifest.manifests[2]).toMatchObject({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      annotations: {
        'vnd.docker.reference.type': 'attestation-manifest',
        'vnd.docker.reference.digest': manifest.manifests[0].digest,
      },
    });
    const single = await manifestOf('api', 'oci-one');
    expect(single.manifest.manifests).toHaveLength(2);
  });

  it('reports failures per image: not found, tag/digest mismatch, media type not accepted', async () => {
    const { ecr } = clientsFor(sim);
    const { images, failures } = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: 'web',
        imageIds: [
          { imageTag: '9' },
          { imageTag: '1', imageDigest: imageDigest('web', '2') },
          { imageTag: 'multi' },
          { imageTag: '2' },
        ],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
      }),
    );
    expect(images!.map((i) => i.imageId!.imageTag)).toEqual(['2']);
    expect(failures).toEqual([
      {
        imageId: { imageTag: '9' },
        failureCode: 'ImageNotFound',
        failureReason: 'Requested image not found',
      },
      {
        imageId: { imageTag: '1', imageDigest: imageDigest('web', '2') },
        failureCode: 'ImageTagDoesNotMatchDigest',
        failureReason: expect.any(String),
      },
      {
        imageId: { imageTag: 'multi' },
        failureCode: 'UnsupportedImageType',
        failureReason: expect.any(String),
      },
    ]);
    await expect(
      ecr.send(new BatchGetImageCommand({ repositoryName: 'nope', imageIds: [{ imageTag: '1' }] })),
    ).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });

  it('moves a tag to the image pushed last, as docker push does; the old image stays, untagged', async () => {
    await sim.stop();
    const pushed = { tags: ['latest', '2'], platforms: ['linux/arm64'], index: 'oci' as const };
    sim = await startSimulator(
      rollingScenario({ ecr: { repositories: [{ name: 'web', images: [pushed] }] } }),
      {
        msPerMinute,
      },
    );
    const { image } = await manifestOf('web', '2');
    expect(image.imageId!.imageDigest).toBe(imageDigest('web', 'latest'));
    expect(image.imageManifestMediaType).toBe('application/vnd.oci.image.index.v1+json');
    const { imageDetails } = await clientsFor(sim).ecr.send(
      new DescribeImagesCommand({
        repositoryName: 'web',
        imageIds: [{ imageDigest: imageDigest('web', '2') }],
      }),
    );
    expect(imageDetails![0].imageTags).toBeUndefined();
  });
});

describe('ECR GetDownloadUrlForLayer', () => {
  it("hands out a URL that serves a single manifest's config blob, which names its platform", async () => {
    const { ecr } = clientsFor(sim);
    const { images } = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'web', imageIds: [{ imageTag: '2' }] }),
    );
    const manifest = JSON.parse(images![0].imageManifest!) as { config: { digest: string } };
    const { downloadUrl, layerDigest } = await ecr.send(
      new GetDownloadUrlForLayerCommand({ repositoryName: 'web', layerDigest: manifest.config.digest }),
    );
    expect(layerDigest).toBe(manifest.config.digest);
    const config = await (await fetch(downloadUrl!)).text();
    expect(JSON.parse(config)).toMatchObject({ architecture: 'amd64', os: 'linux' });
    expect(`sha256:${createHash('sha256').update(config).digest('hex')}`).toBe(manifest.config.digest);
  });

  it('refuses a digest that is no layer of the repository', async () => {
    const { ecr } = clientsFor(sim);
    await expect(
      ecr.send(
        new GetDownloadUrlForLayerCommand({ repositoryName: 'web', layerDigest: `sha256:${'0'.repeat(64)}` }),
      ),
    ).rejects.toMatchObject({ name: 'LayerInaccessibleException' });
  });
});
