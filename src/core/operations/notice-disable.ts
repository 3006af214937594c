import { audited, disabled, type Handler } from './context.js';

/** `notify disable <job> <type>`: CodeArts Build cancel notification. */
export const noticeDisable: Handler<'notice.disable'> = async (command, ctx) => {
  const build = ctx.providers.build;
  if (!build) throw disabled(ctx, 'huawei-build');
  return audited(ctx, command.op, `huawei-build/${command.jobId}`, async () => {
    const ack = await build.disable(command.jobId, command.noticeType);
    return {
      kind: 'notice-disabled' as const,
      jobId: command.jobId,
      noticeType: command.noticeType,
      ...(ack.requestId ? { providerRequestId: ack.requestId } : {}),
    };
  });
};
