/**
 * With several services, the summary's table of them: each service, how it was deployed, its
 * deployment, how it ended and where its production traffic is now.
 */
import { ecsServiceUrl, codeDeployDeploymentUrl, serviceDeploymentUrl } from './console-urls.js';
import { ICONS, shortId, trafficNow } from './headline.js';
import { escapeCell, link, table } from './markdown.js';
import { inTimeOrder } from './events.js';
import type { DeploymentReport } from './summary.js';
import { capitalize } from '../text/format.js';

const SHORT_CONTROLLERS: Record<DeploymentReport['controller'], string> = {
  CODE_DEPLOY: 'CodeDeploy blue/green',
  ECS: 'ECS blue/green',
  ROLLING: 'rolling update',
  NONE: '—',
};

export function servicesTable(report: DeploymentReport): string[] {
  const services = report.services ?? [];
  if (services.length === 0) return [];
  const rows = services.map((service) => {
    const name = service.label ?? service.service ?? '';
    const config = service.deploymentConfig ? ` (${escapeCell(service.deploymentConfig)})` : '';
    return [
      link(name, ecsServiceUrl(service.region, service.cluster, service.service ?? '')),
      service.controller === 'NONE' ? '—' : `${SHORT_CONTROLLERS[service.controller]}${config}`,
      service.deploymentId ? link(shortId(service.deploymentId), deploymentUrl(service)) : '—',
      `${ICONS[service.outcome]} ${escapeCell(capitalize(service.status))}`,
      escapeCell(trafficNow({ ...service, events: inTimeOrder(service.events) }) ?? '—'),
    ];
  });
  return [...table(['Service', 'Deployed with', 'Deployment', 'Result', 'Production traffic now'], rows), ''];
}

function deploymentUrl(service: DeploymentReport): string | undefined {
  if (service.deploymentUrl) return service.deploymentUrl;
  const id = service.deploymentId;
  if (!id) return undefined;
  if (service.controller === 'CODE_DEPLOY') return codeDeployDeploymentUrl(service.region, id);
  if (service.service && id.includes(':service-deployment/')) {
    return serviceDeploymentUrl(service.region, service.cluster, service.service, id);
  }
  return undefined;
}
