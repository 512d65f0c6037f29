import { UserError } from '../../../src/text/errors.js';
import { renderTaskDefinition } from '../../../src/taskdef/render.js';

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

const taskDefinition = () => ({
  family: 'web',
  containerDefinitions: [
    {
      name: 'app',
      image: 'app:1',
      environment: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'REGION', value: 'us-east-1' },
      ],
    },
    { name: 'sidecar', image: 'envoy:1' },
  ],
});

const none = { containerImages: [], environmentVariables: [], environmentContainers: [] };

describe('renderTaskDefinition', () => {
  it('sets the image of each named container and leaves the others alone', () => {
    const rendered = renderTaskDefinition(taskDefinition(), {
      ...none,
      containerImages: [{ container: 'sidecar', image: 'envoy:2' }],
    });
    expect(rendered.containerDefinitions).toEqual([
      taskDefinition().containerDefinitions[0],
      { name: 'sidecar', image: 'envoy:2' },
    ]);
  });

  it('sets the same image on several containers', () => {
    const rendered = renderTaskDefinition(taskDefinition(), {
      ...none,
      containerImages: [
        { container: 'app', image: 'new:2' },
        { container: 'sidecar', image: 'new:2' },
      ],
      environmentContainers: ['app', 'sidecar'],
    });
    expect((rendered.containerDefinitions as { image: string }[]).map((c) => c.image)).toEqual([
      'new:2',
      'new:2',
    ]);
  });

  it('replaces existing variables in place and appends new ones', () => {
    const rendered = renderTaskDefinition(taskDefinition(), {
      ...none,
      environmentVariables: [
        { name: 'NEW', value: 'a=b' },
        { name: 'LOG_LEVEL', value: 'debug' },
      ],
      environmentContainers: ['app', 'sidecar'],
    });
    expect(rendered.containerDefinitions).toEqual([
      {
        name: 'app',
        image: 'app:1',
        environment: [
          { name: 'LOG_LEVEL', value: 'debug' },
          { name: 'REGION', value: 'us-east-1' },
          { name: 'NEW', value: 'a=b' },
        ],
      },
      {
        name: 'sidecar',
        image: 'envoy:1',
        environment: [
          { name: 'NEW', value: 'a=b' },
          { name: 'LOG_LEVEL', value: 'debug' },
        ],
      },
    ]);
  });

  it('never modifies its input', () => {
    const input = taskDefinition();
    const rendered = renderTaskDefinition(input, {
      containerImages: [{ container: 'app', image: 'app:2' }],
      environmentVariables: [{ name: 'LOG_LEVEL', value: 'debug' }],
      environmentContainers: ['app'],
    });
    expect(input).toEqual(taskDefinition());
    expect(rendered).not.toBe(input);
  });

  it('names container-name when the container it names is missing', () => {
    const error = errorOf(() =>
      renderTaskDefinition(taskDefinition(), {
        ...none,
        containerImages: [{ container: 'api', image: 'api:1' }],
        environmentContainers: ['api'],
      }),
    );
    expect(error.message).toBe(
      'container-name: no container named "api" in the task definition (it has: app, sidecar). Set container-name to one of them.',
    );
  });

  it('names images when the container it names is missing, and the file when known', () => {
    const error = errorOf(() =>
      renderTaskDefinition(taskDefinition(), {
        ...none,
        containerImages: [{ container: 'worker', image: 'w:1' }],
        origin: '.aws/td.json',
      }),
    );
    expect(error.message).toBe(
      'images: no container named "worker" in .aws/td.json (it has: app, sidecar). Set images to one of them.',
    );
  });

  it('names container-name when environment variables target a missing container', () => {
    const error = errorOf(() =>
      renderTaskDefinition(taskDefinition(), {
        ...none,
        environmentVariables: [{ name: 'A', value: '1' }],
        environmentContainers: ['web'],
      }),
    );
    expect(error.message).toBe(
      'container-name: no container named "web" in the task definition (it has: app, sidecar). Set container-name to one of them.',
    );
  });

  it.each([
    ['missing', { family: 'web' }],
    ['empty', { family: 'web', containerDefinitions: [] }],
    ['not a list', { family: 'web', containerDefinitions: { name: 'app' } }],
  ])('rejects a task definition whose containerDefinitions is %s', (_, input) => {
    expect(errorOf(() => renderTaskDefinition(input, none)).message).toBe(
      'task-definition: the task definition has no containers. Expected a non-empty "containerDefinitions" list, ' +
        'e.g. "containerDefinitions": [{"name": "app", "image": "nginx:1.27", "essential": true}].',
    );
  });

  it('rejects a container without a name', () => {
    expect(
      errorOf(() =>
        renderTaskDefinition(
          { family: 'web', containerDefinitions: [{ name: 'app' }, { image: 'x' }] },
          none,
        ),
      ).message,
    ).toBe(
      'task-definition: containerDefinitions[1] of the task definition has no "name". Every container needs a name, e.g. {"name": "app", "image": "nginx:1.27"}.',
    );
  });
});
