/**
 * Does an image offer the platform the task runs on? A manifest list (Docker) or image index (OCI)
 * names its platforms; a single-platform manifest does not, but its config blob does (downloaded
 * through ECR's GetDownloadUrlForLayer by the caller). Pure.
 */

export interface Platform {
  os: string;
  architecture: string;
}

const ARCHITECTURES: Record<string, string> = { X86_64: 'amd64', ARM64: 'arm64' };

/**
 * The platform ECS will run the task on: its runtimePlatform, or Fargate's default (Linux, x86-64)
 * when it has none; undefined when the EC2 instance decides.
 */
export function taskPlatform(taskDefinition: Record<string, unknown>): Platform | undefined {
  const runtime = (taskDefinition.runtimePlatform ?? {}) as {
    cpuArchitecture?: string;
    operatingSystemFamily?: string;
  };
  const family = runtime.operatingSystemFamily;
  const os = family === undefined ? undefined : family.startsWith('WINDOWS') ? 'windows' : 'linux';
  const architecture = runtime.cpuArchitecture ? ARCHITECTURES[runtime.cpuArchitecture] : undefined;
  // Only a Fargate-only task has a known default (Linux, x86-64); on EC2 the instance decides.
  const compatibilities: unknown[] = Array.isArray(taskDefinition.requiresCompatibilities)
    ? taskDefinition.requiresCompatibilities
    : [];
  const fargateOnly = compatibilities.length > 0 && compatibilities.every((c) => c === 'FARGATE');
  if (architecture === undefined && !fargateOnly) return undefined;
  return { os: os ?? 'linux', architecture: architecture ?? 'amd64' };
}

export function platformName(platform: Platform): string {
  return `${platform.os}/${platform.architecture}`;
}

export type PlatformVerdict =
  | { kind: 'offered'; offered: string[] }
  | { kind: 'not-offered'; offered: string[] }
  /** A single-platform manifest: its config blob (`configDigest`) names the platform. */
  | { kind: 'single'; configDigest: string }
  /** A manifest that could not be read: nothing to compare. */
  | { kind: 'unknown'; why: string };

export function offersPlatform(manifestText: string, wanted: Platform): PlatformVerdict {
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return { kind: 'unknown', why: 'ECR returned a manifest that is not JSON' };
  }
  if (typeof manifest !== 'object' || manifest === null) {
    return { kind: 'unknown', why: 'ECR returned a manifest that is not a JSON object' };
  }
  const { manifests, architecture, os, config } = manifest as {
    manifests?: unknown;
    architecture?: unknown;
    os?: unknown;
    config?: { digest?: unknown };
  };
  if (Array.isArray(manifests)) {
    const platforms = manifests
      .map((entry) => (entry as { platform?: { os?: unknown; architecture?: unknown } }).platform)
      .filter((p): p is Platform => typeof p?.os === 'string' && typeof p.architecture === 'string')
      // Attestation manifests (provenance, SBOM) carry "unknown/unknown".
      .filter((p) => p.os !== 'unknown' && p.architecture !== 'unknown');
    const offered = [...new Set(platforms.map(platformName))];
    const match = platforms.some((p) => p.os === wanted.os && p.architecture === wanted.architecture);
    return { kind: match ? 'offered' : 'not-offered', offered };
  }
  // Docker schema 1 manifests name their architecture themselves.
  if (typeof architecture === 'string') {
    const platform = { os: typeof os === 'string' ? os : 'linux', architecture };
    const offered = [platformName(platform)];
    const match = platform.os === wanted.os && platform.architecture === wanted.architecture;
    return { kind: match ? 'offered' : 'not-offered', offered };
  }
  if (typeof config?.digest === 'string') return { kind: 'single', configDigest: config.digest };
  return { kind: 'unknown', why: 'the manifest names neither its platforms nor a config' };
}

/** The platform an image config blob (`{"architecture": "arm64", "os": "linux", …}`) names. */
export function configPlatform(configText: string): Platform | undefined {
  try {
    const { architecture, os } = JSON.parse(configText) as { architecture?: unknown; os?: unknown };
    return typeof architecture === 'string' && typeof os === 'string' ? { os, architecture } : undefined;
  } catch {
    return undefined;
  }
}
