// The deployment checks pass on the repository's files and catch the mistakes an operator
// makes in them: a misspelt key, a value of the wrong type, a config the process refuses,
// a selector that matches nothing, a grace period shorter than the drain, a root container.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { composeProblems, dockerfileProblems, kubernetesProblems, read, render, type Manifest } from './check.ts';

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  test('the repository Dockerfile is clean', () => {
    assert.deepEqual(dockerfileProblems(dockerfile), []);
  });

  test('a root final stage, a shell-form CMD, an unpinned base and an unknown instruction are reported', () => {
    const broken = dockerfile
      .replace('USER 10001:10001', 'USER root')
      .replace('CMD ["node", "infra/main.ts"]', 'CMD node infra/main.ts')
      .replace('FROM debian:trixie-slim AS runtime', 'FROM debian AS runtime')
      .replace('EXPOSE 2567', 'EXPOSE 2567\nEXPOZE 2568');
    const problems = dockerfileProblems(broken).join('\n');
    assert.match(problems, /final USER is root/);
    assert.match(problems, /shell form/);
    assert.match(problems, /FROM debian: pin a tag/);
    assert.match(problems, /EXPOZE/i);
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  test('the repository compose file is clean', () => {
    assert.deepEqual(composeProblems(compose), []);
  });

  test('a misspelt service key is a schema error', () => {
    const problems = composeProblems(compose.replace('  stop_grace_period: 120s', '  stop_grace_perod: 120s'));
    assert.ok(problems.some((p) => p.includes('stop_grace_perod')), problems.join('\n'));
  });

  test("a value the server's config refuses is reported with the variable's name", () => {
    const problems = composeProblems(compose.replace('PANTHEON_TRANSPORT: uwebsockets', 'PANTHEON_TRANSPORT: uws'));
    assert.ok(problems.some((p) => p.includes('PANTHEON_TRANSPORT="uws"')), problems.join('\n'));
  });

  test('a missing role, a dependency on an unknown service and a grace shorter than the drain are reported', () => {
    const doc = parse(compose, { merge: true }) as { services: Record<string, Record<string, unknown>> };
    delete doc.services.narrator;
    doc.services.audit!.depends_on = { nowhere: { condition: 'service_started' } };
    doc.services['game-2']!.stop_grace_period = '30s';
    const problems = composeProblems(stringify(doc)).join('\n');
    assert.match(problems, /no service runs PANTHEON_ROLE=narrator/);
    assert.match(problems, /audit: depends on nowhere, which is no service/);
    assert.match(problems, /game-2: stop_grace_period 30s does not leave room for a drain of 90s/);
  });
});

describe('k8s overlays', () => {
  let dev: Manifest[];
  let prod: Manifest[];
  before(() => {
    dev = render('dev');
    prod = render('prod');
  });
  const copy = (manifests: Manifest[]) => structuredClone(manifests);
  const find = (manifests: Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
  // biome-ignore lint: reaching into a parsed manifest in a test.
  const gameContainer = (manifests: Manifest[]): any => (find(manifests, 'Deployment', 'pantheon-game') as any).spec.template.spec.containers[0];

  test('both overlays render every role, the HPA and the PDB, and are clean', async () => {
    for (const [name, manifests] of [['dev', dev], ['prod', prod]] as const) {
      assert.deepEqual(await kubernetesProblems(manifests, name), [], name);
      const kinds = new Set(manifests.map((m) => m.kind));
      for (const kind of ['Deployment', 'Service', 'ConfigMap', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) assert.ok(kinds.has(kind), `${name} renders a ${kind}`);
    }
    assert.ok(dev.some((m) => m.kind === 'Secret'), 'dev generates its Secret');
    assert.ok(!prod.some((m) => m.kind === 'Secret'), 'prod takes its Secret from the cluster');
  });

  test('a wrong type is a schema error; a misspelt container or probe key is reported', async () => {
    const manifests = copy(prod);
    // biome-ignore lint: a deliberately wrong type.
    (find(manifests, 'HorizontalPodAutoscaler', 'pantheon-game') as any).spec.maxReplicas = 'fifty';
    const container = gameContainer(manifests);
    container.imagePullPolcy = container.imagePullPolicy;
    container.readinessProbe.periodSecond = 5;
    const problems = (await kubernetesProblems(manifests, 'prod')).join('\n');
    assert.match(problems, /HorizontalPodAutoscaler\/pantheon-game: .*maxReplicas/s);
    assert.match(problems, /unknown field imagePullPolcy/);
    assert.match(problems, /readinessProbe: unknown field periodSecond/);
  });

  test('selectors, secrets, config and the drain budget are cross-checked', async () => {
    const manifests = copy(dev);
    // biome-ignore lint: reaching into parsed manifests.
    const service = find(manifests, 'Service', 'pantheon-discord') as any;
    service.spec.selector['app.kubernetes.io/component'] = 'discrod';
    const config = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('pantheon-config'))!;
    (config.data as Record<string, string>).PANTHEON_DRAIN_SECONDS = '300';
    (config.data as Record<string, string>).LOG_LEVEL = 'loud';
    const secret = manifests.findIndex((m) => m.kind === 'Secret');
    manifests.splice(secret, 1);
    const problems = (await kubernetesProblems(manifests, 'dev')).join('\n');
    assert.match(problems, /Service\/pantheon-discord: its selector matches no Deployment's pods/);
    assert.match(problems, /terminationGracePeriodSeconds 45 < preStop 5 s \+ drain 300 s/);
    assert.match(problems, /LOG_LEVEL="loud"/);
    assert.match(problems, /envFrom Secret pantheon-secrets-\w+ is neither rendered nor provided by the cluster/);
  });

  test('a game server without the CCU metric, the readiness probe or a non-root user is reported', async () => {
    const manifests = copy(prod);
    // biome-ignore lint: reaching into parsed manifests.
    const hpa = find(manifests, 'HorizontalPodAutoscaler', 'pantheon-game') as any;
    hpa.spec.metrics = hpa.spec.metrics.filter((m: { type: string }) => m.type !== 'Pods');
    gameContainer(manifests).readinessProbe.httpGet.path = '/healthz';
    // biome-ignore lint: reaching into parsed manifests.
    delete (find(manifests, 'Deployment', 'pantheon-relay') as any).spec.template.spec.securityContext.runAsNonRoot;
    const problems = (await kubernetesProblems(manifests, 'prod')).join('\n');
    assert.match(problems, /does not scale on the pantheon_ccu Pods metric/);
    assert.match(problems, /game: readiness probe is not GET \/readyz/);
    assert.match(problems, /Deployment\/pantheon-relay: Pantheon pods run as non-root/);
  });
});
