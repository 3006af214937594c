import { audited, disabled, type Handler } from './context.js';

/** `notify update <job> <type> <events> [--param-config JSON]`: CodeArts Build update notification. */
export const noticeUpdate: Handler<'notice.update'> = async (command, ctx) => {
  const build = ctx.providers.build;
  if (!build) throw disabled(ctx, 'huawei-build');
  return audited(
    ctx,
    command.op,
    `huawei-build/${command.jobId}`,
    async () => {
      const ack = await build.update(command.jobId, {
        noticeType: command.noticeType,
        events: command.events,
        ...(command.paramConfig ? { paramConfig: command.paramConfig } : {}),
      });
      return {
        kind: 'notice-updated' as const,
        jobId: command.jobId,
        noticeType: command.noticeType,
        events: command.events,
        ...(ack.requestId ? { providerRequestId: ack.requestId } : {}),
      };
    },
    `${command.noticeType}: ${command.events.join(',')}`,
  );
};
