import type { CheckScope } from '../ports.js';
import { disabled, type Handler } from './context.js';

/**
 * `notify show build <job-id>`: CodeArts Build notice settings of a job (ListNotice);
 * `notify show project <id> | tenant <id>`: CodeArts Check notification configuration.
 */
export const noticeShow: Handler<'notice.show'> = async (command, ctx) => {
  if (command.scope === 'build') {
    const build = ctx.providers.build;
    if (!build?.show) throw disabled(ctx, 'huawei-build');
    const settings = await build.show(command.id);
    return { kind: 'build-notice', jobId: command.id, settings };
  }
  const check = ctx.providers.check;
  if (!check) throw disabled(ctx, 'huawei-check');
  const query: CheckScope =
    command.scope === 'project'
      ? { scope: 'project', projectId: command.id }
      : { scope: 'tenant', domainId: command.id };
  const config = await check.show(query);
  return { kind: 'notice-config', query, config };
};
