/** ECR state: repositories by registry (account) and region, their manifests and tags. */
import { type EcrImage, pushedManifests } from './ecr-images.js';
import type { ScenarioEcrRepository } from './scenarios.js';

export interface EcrRepository {
  registryId: string;
  region: string;
  name: string;
  /** By digest, in push order. */
  images: Map<string, EcrImage>;
  /** Tag → digest. */
  tags: Map<string, string>;
}

/** What an image URI names, for repositories the scenario lists. */
export interface ResolvedImage {
  repository: EcrRepository;
  /** Undefined when the tag or digest is not in the repository. */
  image?: EcrImage;
}

const imageUri =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]{64}))?$/;

export class EcrRegistry {
  private readonly repositories = new Map<string, EcrRepository>();

  constructor(
    repositories: ScenarioEcrRepository[],
    readonly accountId: string,
    region: string,
    now: number,
  ) {
    for (const input of repositories) {
      const repository = this.repositoryFor(
        input.registryId ?? accountId,
        input.region ?? region,
        input.name,
      );
      input.images.forEach((image, index) => {
        // Pushed a day apart, the last one most recently.
        const pushedAt = Math.floor(now) - (input.images.length - index) * 86_400;
        const manifests = pushedManifests(input.name, image, `untagged-${index}`, pushedAt);
        for (const manifest of manifests) repository.images.set(manifest.digest, manifest);
        // A tag moves to the image pushed last, as `docker push` moves it.
        for (const tag of image.tags) repository.tags.set(tag, manifests[0].digest);
      });
    }
  }

  private repositoryFor(registryId: string, region: string, name: string): EcrRepository {
    const key = `${registryId}/${region}/${name}`;
    let repository = this.repositories.get(key);
    if (!repository) {
      repository = { registryId, region, name, images: new Map(), tags: new Map() };
      this.repositories.set(key, repository);
    }
    return repository;
  }

  /** A config blob of any repository's image, by digest (what a layer download URL serves). */
  blob(digest: string): string | undefined {
    for (const repository of this.repositories.values()) {
      for (const image of repository.images.values()) {
        if (image.configBlob?.digest === digest) return image.configBlob.content;
      }
    }
    return undefined;
  }

  repository(registryId: string | undefined, region: string, name: string): EcrRepository | undefined {
    return this.repositories.get(`${registryId ?? this.accountId}/${region}/${name}`);
  }

  /** The tags that point at `digest`, in the order they were pushed. */
  tagsOf(repository: EcrRepository, digest: string): string[] {
    return [...repository.tags].filter(([, target]) => target === digest).map(([tag]) => tag);
  }

  /**
   * What an ECR image URI (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag][@digest]`) names, or
   * undefined when it is not ECR or its repository is not in the scenario (the simulator then assumes it pulls).
   */
  resolve(uri: string): ResolvedImage | undefined {
    const match = imageUri.exec(uri);
    if (!match) return undefined;
    const [, registryId, region, name, tag, digest] = match;
    const repository = this.repository(registryId, region, name);
    if (!repository) return undefined;
    const wanted = digest ?? repository.tags.get(tag ?? 'latest');
    return { repository, image: wanted ? repository.images.get(wanted) : undefined };
  }
}
