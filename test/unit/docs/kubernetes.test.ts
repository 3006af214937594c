import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { VARIABLES } from '../../../src/app/config-variables.js';

/**
 * The Kubernetes example (manifest/kubernetes/): every document is valid against the Kubernetes API schemas (the
 * kubernetes-models package validates with the JSON schemas generated from the Kubernetes OpenAPI spec), and the bot's
 * environment matches the configuration reference (src/app/config-variables.ts) and the example Secrets.
 */
const dir = join(import.meta.dirname, '..', '..', '..', 'manifest', 'kubernetes');
type Doc = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const docs: Array<{ file: string; doc: Doc }> = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => ({ file, doc: d.toJSON() as Doc })),
  );
const find = (kind: string, name: string) => docs.find((d) => d.doc.kind === kind && d.doc.metadata.name === name)?.doc;

interface Container {
  name: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodSpec {
  containers: Container[];
  volumes?: Array<{ name: string; secret?: { secretName: string } }>;
}
const podOf = (doc: Doc) => (doc.spec as { template: { spec: PodSpec } }).template.spec;
const secretKeys = (name: string) => Object.keys((find('Secret', name)?.stringData ?? {}) as Record<string, string>);

describe('manifest/kubernetes', () => {
  it('has the documents the README promises', () => {
    expect(docs.map((d) => `${d.doc.kind}/${d.doc.metadata.name}`).sort()).toEqual(
      expect.arrayContaining([
        'Deployment/opsgate',
        'StatefulSet/opsgate-redis',
        'PodDisruptionBudget/opsgate',
        'Ingress/opsgate',
        'Secret/opsgate',
        'Secret/opsgate-redis',
      ]),
    );
  });

  it.each(docs.map((d) => [`${d.file}: ${d.doc.kind}/${d.doc.metadata.name}`, d.doc] as const))(
    '%s is valid against the Kubernetes schema',
    (_name, doc) => {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model, `${doc.apiVersion}/${doc.kind} has a model here`).toBeDefined();
      expect(() => new Model!(doc as never).validate()).not.toThrow();
    },
  );

  it('keeps Redis data on a persistent volume, behind a password from a Secret', () => {
    const redis = find('StatefulSet', 'opsgate-redis')!;
    const spec = redis.spec as { volumeClaimTemplates: Array<{ metadata: { name: string } }> };
    expect(spec.volumeClaimTemplates.map((t) => t.metadata.name)).toContain('data');
    const container = podOf(redis).containers[0]!;
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    const password = container.env?.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef;
    expect(password).toEqual({ name: 'opsgate-redis', key: 'password' });
    expect(secretKeys('opsgate-redis')).toContain('password');
  });

  it('gives every container resource requests and limits', () => {
    for (const { doc } of docs.filter((d) => ['Deployment', 'StatefulSet'].includes(d.doc.kind))) {
      for (const c of podOf(doc).containers) {
        expect(c.resources?.requests, c.name).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits, c.name).toMatchObject({ memory: expect.any(String) });
      }
    }
  });

  it("sets only variables of the configuration reference, secrets only from the Secret's keys", () => {
    const bot = find('Deployment', 'opsgate')!;
    const pod = podOf(bot);
    const container = pod.containers.find((c) => c.name === 'opsgate')!;
    const mount = container.volumeMounts?.find((m) => m.name === 'secrets')?.mountPath;
    const secretName = pod.volumes?.find((v) => v.name === 'secrets')?.secret?.secretName ?? '';
    const keys = secretKeys(secretName);
    const names = Object.keys(VARIABLES);
    for (const env of container.env ?? []) {
      const base = env.name.replace(/_FILE$/, '');
      expect(names, env.name).toContain(base);
      const variable = VARIABLES[base as keyof typeof VARIABLES] as { secret?: boolean };
      if (env.name.endsWith('_FILE')) {
        expect(env.value, env.name).toMatch(new RegExp(`^${mount}/`));
        expect(keys, env.name).toContain(env.value!.slice(`${mount}/`.length));
      } else {
        // A credential never sits in the manifest as a plain value.
        expect(variable.secret === true && env.value !== undefined, `${env.name} is a secret`).toBe(false);
      }
    }
    expect(container.env?.map((e) => e.name)).toContain('OPSGATE_STORE_FILE');
  });

  it('routes only the Slack events and approval request paths to the bot', () => {
    const ingress = find('Ingress', 'opsgate')!;
    const rules = (ingress.spec as { rules: Array<{ http: { paths: Array<{ path: string }> } }> }).rules;
    expect(rules.flatMap((r) => r.http.paths.map((p) => p.path)).sort()).toEqual(['/slack/events', '/v1/approvals']);
  });
});
