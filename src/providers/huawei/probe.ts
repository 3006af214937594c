import { toOpsError } from '../../core/errors.js';
import type { ProbeCheck } from '../../core/ports.js';
import type { HttpClient } from '../../net/http-client.js';
import type { HuaweiAuth } from './auth.js';
import { createHuaweiCaller } from './call.js';

/**
 * Read-only credential check for one region: `GET {iam}/v3/projects?name={region}` (IAM KeystoneListProjects,
 * huaweicloud-sdk-go-v3 `services/iam/v3/iam_meta.go`; response `model_keystone_list_projects_response.go`:
 * `{projects:[{id, name, domain_id, …}]}`). It works with a token (fetching one proves the password) and with AK/SK,
 * and says whether the configured IAM project id is that region's project. Never throws; details hold no secret.
 */
export async function probeIam(options: {
  http: HttpClient;
  auth: HuaweiAuth;
  iam: string;
  region: string;
  projectId: string | undefined;
}): Promise<ProbeCheck[]> {
  const name = `huawei ${options.region}: IAM ${options.iam} (${options.auth.kind === 'token' ? 'token' : 'AK/SK'})`;
  const call = createHuaweiCaller({ http: options.http, auth: options.auth });
  try {
    const res = await call({
      origin: options.iam,
      method: 'GET',
      path: '/v3/projects',
      query: { name: options.region },
      idempotent: true,
      label: 'huawei.iam.projects',
    });
    const projects = (res.json as { projects?: unknown } | undefined)?.projects;
    const ids = Array.isArray(projects)
      ? projects.flatMap((p) => (typeof (p as { id?: unknown })?.id === 'string' ? [(p as { id: string }).id] : []))
      : [];
    if (options.projectId && ids.length > 0 && !ids.includes(options.projectId)) {
      return [
        {
          name,
          ok: false,
          detail: `credentials accepted, but the configured project id is not ${options.region}'s project`,
        },
      ];
    }
    return [
      { name, ok: true, detail: `credentials accepted; project of ${options.region}: ${ids[0] ?? 'not listed'}` },
    ];
  } catch (err) {
    const e = toOpsError(err);
    return [{ name, ok: false, detail: `${e.code}: ${e.message}` }];
  }
}
