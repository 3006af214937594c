import { USAGE, type Verb } from './command-usage.js';
import { OpsError } from '../errors.js';
import {
  assertHuaweiId,
  assertNumericId,
  assertOrganizationId,
  parseRunUrl,
  RUN_URL_FORMS,
  type RunRef,
  validateRunRef,
} from '../targets.js';
import { suggest } from './tokenize.js';

/** `<url>` or `huawei P PL R [JR SR]` or `yunxiao ORG PL R [JOB]`; returns the words after the target. */
export function parseTarget(words: string[], verb: Verb): { target: RunRef; rest: string[] } {
  const first = words[0];
  if (first === undefined || first.startsWith('--')) {
    throw new OpsError('INPUT.MISSING_ARGUMENT', `${verb} needs a run URL or IDs`, {
      field: 'target',
      usage: USAGE[verb],
      forms: RUN_URL_FORMS,
    });
  }
  const fromUrl = parseRunUrl(first);
  if (fromUrl) return { target: fromUrl, rest: words.slice(1) };
  const cloud = first.toLowerCase();
  if (cloud === 'huawei' || cloud === 'codearts') {
    const [, project, pipeline, run, jobRun, stepRun] = words;
    const ref: RunRef = {
      cloud: 'huawei',
      projectId: assertHuaweiId('project', need(project, 'project', verb)),
      pipelineId: assertHuaweiId('pipeline', need(pipeline, 'pipeline', verb)),
      runId: assertHuaweiId('run', need(run, 'run', verb)),
    };
    // Optional job-run + step-run: only when the next word looks like an ID; otherwise it starts the reason.
    if (jobRun !== undefined && /^[A-Za-z0-9]{32}$/.test(jobRun)) {
      ref.jobRunId = jobRun;
      ref.stepRunId = assertHuaweiId('step-run', need(stepRun, 'step-run', verb));
      return { target: validateRunRef(ref), rest: words.slice(6) };
    }
    return { target: ref, rest: words.slice(4) };
  }
  if (cloud === 'yunxiao' || cloud === 'aliyun') {
    const [, org, pipeline, run, job] = words;
    const ref: RunRef = {
      cloud: 'yunxiao',
      organizationId: assertOrganizationId('organization', need(org, 'organization', verb)),
      pipelineId: assertNumericId('pipeline', need(pipeline, 'pipeline', verb)),
      runId: assertNumericId('run', need(run, 'run', verb)),
    };
    if (job !== undefined && /^[0-9]+$/.test(job)) {
      ref.jobId = assertNumericId('job', job);
      return { target: ref, rest: words.slice(5) };
    }
    return { target: ref, rest: words.slice(4) };
  }
  throw new OpsError('INPUT.BAD_TARGET', `"${clip(first)}" is not a run URL or "huawei …"/"yunxiao …" IDs`, {
    field: 'target',
    usage: USAGE[verb],
    forms: RUN_URL_FORMS,
    suggestion: suggest(cloud, ['huawei', 'yunxiao']),
  });
}

export function parseFlags(
  words: string[],
  allowed: string[],
  verb: Verb,
): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('--') || word === '--') {
      positional.push(word);
      continue;
    }
    const [name = '', inline] = word.slice(2).split(/=(.*)/s, 2);
    if (!allowed.includes(name)) {
      throw new OpsError('INPUT.BAD_ARGUMENT', `unknown option --${clip(name)}`, {
        field: `--${clip(name)}`,
        suggestion: allowed.length ? `--${suggest(name, allowed) ?? allowed[0]}` : undefined,
        usage: USAGE[verb],
      });
    }
    const value = inline ?? words[++i];
    if (value === undefined || value.length === 0) {
      throw new OpsError('INPUT.MISSING_ARGUMENT', `--${name} needs a value`, {
        field: `--${name}`,
        usage: USAGE[verb],
      });
    }
    flags[name] = value;
  }
  return { flags, positional };
}

export function need(value: string | undefined, field: string, verb: Verb): string {
  if (value === undefined || value.startsWith('--')) {
    throw new OpsError('INPUT.MISSING_ARGUMENT', `missing ${field}`, { field, usage: USAGE[verb] });
  }
  return value;
}

export function extra(word: string, verb: Verb): OpsError {
  return new OpsError('INPUT.BAD_ARGUMENT', `unexpected "${clip(word)}"`, { field: clip(word), usage: USAGE[verb] });
}

export function ownValue<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Echoed user input is clipped so a message cannot be blown up by it. */
export function clip(word: string): string {
  return word.length > 40 ? `${word.slice(0, 40)}…` : word;
}
