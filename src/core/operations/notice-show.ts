import type { CheckScope } from '../ports.js';
import { disabled, type Handler } from './context.js';

/** `notify show project <id> | tenant <id>`: CodeArts Check notification configuration. */
export const noticeShow: Handler<'notice.show'> = async (command, ctx) => {
  const check = ctx.providers.check;
  if (!check) throw disabled(ctx, 'huawei-check');
  const query: CheckScope =
    command.scope === 'project'
      ? { scope: 'project', projectId: command.id }
      : { scope: 'tenant', domainId: command.id };
  const config = await check.show(query);
  return { kind: 'notice-config', query, config };
};
