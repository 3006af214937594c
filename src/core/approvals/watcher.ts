import { USAGE } from '../command-usage.js';
import { OpsError } from '../errors.js';
import type { Handler } from '../operations/context.js';
import type { Clock, Logger, Providers } from '../ports.js';
import { type RunRef, runKey } from '../targets.js';
import type { ApprovalChannels } from './ports.js';
import type { ApprovalService } from './service.js';

export interface WatcherOptions {
  providers: Providers;
  approvals: ApprovalService;
  now: Clock;
  logger: Logger;
  /** Poll interval while the run is healthy. */
  intervalMs?: number;
  /** Upper bound of the backoff after read errors. */
  maxIntervalMs?: number;
  /** A watch stops after this long even if the run never ends. */
  maxDurationMs?: number;
  /** Concurrent watches allowed (each is one timer and one read per interval). */
  maxWatches?: number;
}

export interface RunWatcher {
  /** The `watch` operation for the core (registered through CoreDeps.extraHandlers). */
  handler: Handler<'approval.watch'>;
  active(): number;
  stop(): void;
}

/**
 * `watch <run>`: polls the run at a bounded rate and opens an approval in the requester's channel when a manual review
 * starts waiting. Stops when the run ends, after maxDurationMs, or on stop(). Errors back off exponentially.
 * Watches live in this process (a restart ends them; the pipeline webhook is the durable way to ask).
 */
export function createRunWatcher(options: WatcherOptions): RunWatcher {
  const interval = options.intervalMs ?? 15_000;
  const maxInterval = options.maxIntervalMs ?? 5 * 60_000;
  const maxDuration = options.maxDurationMs ?? 24 * 60 * 60_000;
  const maxWatches = options.maxWatches ?? 200;
  const watches = new Map<string, NodeJS.Timeout | undefined>();

  function schedule(key: string, delay: number, tick: () => Promise<void>): void {
    if (!watches.has(key)) return;
    const timer = setTimeout(() => void tick(), delay);
    timer.unref?.();
    watches.set(key, timer);
  }

  function start(ref: RunRef, channels: ApprovalChannels, subject: string, context: string[]): string {
    const key = `${runKey(ref)}|${JSON.stringify(channels)}`;
    if (watches.has(key)) return key;
    if (watches.size >= maxWatches) {
      throw new OpsError('APPROVAL.IN_PROGRESS', `already watching ${maxWatches} runs; try again later`, {});
    }
    const until = options.now() + maxDuration;
    let delay = interval;
    const tick = async () => {
      try {
        const provider = options.providers.pipelines[ref.cloud];
        if (!provider || options.now() > until) return stopOne(key, 'limit');
        const run = await provider.getRun(ref);
        if (run.reviews.some((r) => r.status === 'waiting')) {
          await options.approvals.openForRun({ subject, context, ref, channels, requester: subject });
        }
        if (run.finished) return stopOne(key, 'finished');
        delay = interval;
      } catch (err) {
        delay = Math.min(maxInterval, delay * 2);
        options.logger.warn(
          { run: runKey(ref), code: (err as OpsError).code ?? 'INTERNAL.ERROR' },
          'watch read failed',
        );
      }
      schedule(key, delay, tick);
    };
    watches.set(key, undefined);
    schedule(key, 0, tick);
    return key;
  }

  function stopOne(key: string, why: string): void {
    const timer = watches.get(key);
    if (timer) clearTimeout(timer);
    watches.delete(key);
    options.logger.info({ watch: key.split('|')[0], why }, 'watch ended');
  }

  return {
    handler: async (command, ctx) => {
      const origin = ctx.origin;
      if (!origin) {
        throw new OpsError('INPUT.BAD_ARGUMENT', 'watch works in a chat channel, where the approval will be posted', {
          field: 'channel',
        });
      }
      // `#name` is resolved by the Slack adapter; anywhere else (DingTalk, the CLI) a channel is named by its id.
      if (command.channel?.startsWith('#')) {
        throw new OpsError('INPUT.BAD_ARGUMENT', 'name the channel by its id here', {
          field: 'channel',
          usage: USAGE.watch,
        });
      }
      const channel = command.channel ?? origin.channel;
      const id = start(command.target, { [origin.platform]: [channel] }, ctx.subject, ctx.context);
      return { kind: 'watching', ref: command.target, watchId: id.split('|')[0] ?? id };
    },
    active: () => watches.size,
    stop() {
      for (const key of [...watches.keys()]) stopOne(key, 'shutdown');
    },
  };
}
