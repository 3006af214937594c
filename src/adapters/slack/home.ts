import type { types, webApi } from '@slack/bolt';
import type { ApprovalService } from '../../core/approvals/service.js';
import { toOpsError } from '../../core/errors.js';
import { type Locale, type Rendered, t } from '../../core/i18n/index.js';
import type { Clock, Logger } from '../../core/ports.js';
import { userSubject } from './ids.js';
import { INBOX_LIMIT, inboxBlocks } from './inbox.js';
import { platformError } from './poster-errors.js';
import { clip, renderedMrkdwn, slackTime } from './text.js';

/**
 * The App Home tab: the person's inbox (open approvals they may decide as themselves, no channel's rights), published
 * with `views.publish` (docs.slack.dev/reference/methods/views.publish) when they open it (`app_home_opened`) and
 * again, for the people who opened it recently, when an approval opens or closes. Bounded: at most `maxViewers`
 * people remembered (least recent dropped); a refresh is debounced by `debounceMs`, publishes one at a time, and
 * reaches at most `refreshLimit` people (the most recent, within `viewerTtlMs`): `views.publish` is Tier 4
 * ("100+ per minute", docs.slack.dev/reference/methods/views.publish), and the Web API client waits out a 429's
 * Retry-After. Anyone else sees a fresh list the next time they open the tab.
 * Viewers live in this process: another replica refreshes the people who opened the tab through it.
 */
export interface Home {
  opened(userId: string): Promise<void>;
  /** An approval opened or closed: refresh the tabs of recent viewers (debounced). */
  refresh(): void;
  /** Republishes one person's tab with a note on top (the outcome of a click made there). */
  notice(userId: string, rendered: Pick<Rendered, 'title' | 'lines'>): Promise<void>;
  stop(): void;
}

export function createHome(deps: {
  client: webApi.WebClient;
  token: string;
  approvals: ApprovalService;
  locale: Locale;
  timezone: string;
  now: Clock;
  logger: Logger;
  debounceMs?: number;
  maxViewers?: number;
  viewerTtlMs?: number;
  refreshLimit?: number;
}): Home {
  const debounce = deps.debounceMs ?? 1000;
  const maxViewers = deps.maxViewers ?? 200;
  const viewerTtl = deps.viewerTtlMs ?? 8 * 60 * 60_000;
  const refreshLimit = deps.refreshLimit ?? 30;
  const viewers = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function publish(userId: string, notice?: Pick<Rendered, 'title' | 'lines'>): Promise<void> {
    const list = await deps.approvals.inbox({ subject: userSubject(userId), context: [] }, INBOX_LIMIT.home + 1);
    const { blocks } = inboxBlocks(deps.locale, list, INBOX_LIMIT.home, {
      now: deps.now(),
      timezone: deps.timezone,
    });
    const top: types.KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: clip(t(deps.locale, 'slack.home.title'), 150) } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: t(deps.locale, 'slack.home.updated', { at: slackTime(deps.now()) }) }],
      },
    ];
    if (notice) top.push({ type: 'section', text: { type: 'mrkdwn', text: renderedMrkdwn(notice) } });
    try {
      await deps.client.views.publish({
        token: deps.token,
        user_id: userId,
        view: { type: 'home', callback_id: 'opsgate_home', blocks: [...top, ...blocks].slice(0, 100) },
      });
    } catch (err) {
      throw platformError('views.publish', err);
    }
  }

  const safely = (userId: string, notice?: Pick<Rendered, 'title' | 'lines'>) =>
    publish(userId, notice).catch((err) =>
      deps.logger.warn(
        { code: toOpsError(err).code, slackError: toOpsError(err).meta.slackError },
        'slack home publish failed',
      ),
    );

  function remember(userId: string): void {
    viewers.delete(userId);
    viewers.set(userId, deps.now());
    if (viewers.size > maxViewers) viewers.delete(viewers.keys().next().value as string);
  }

  return {
    async opened(userId) {
      remember(userId);
      await safely(userId);
    },
    refresh() {
      if (timer || viewers.size === 0) return;
      timer = setTimeout(() => {
        timer = undefined;
        const since = deps.now() - viewerTtl;
        const due = [...viewers]
          .filter(([, at]) => at >= since)
          .map(([user]) => user)
          .slice(-refreshLimit);
        running = running.then(async () => {
          for (const user of due) await safely(user);
        });
      }, debounce);
      timer.unref?.();
    },
    async notice(userId, rendered) {
      remember(userId);
      await safely(userId, rendered);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
