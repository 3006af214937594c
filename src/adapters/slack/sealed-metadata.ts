import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A modal's `private_metadata` comes back in the view submission exactly as the client sends it: Slack signs the
 * request, not the metadata we put in the view. So what the reason modal carries from the click (the approval, the
 * channel whose rights count, the message) is sealed with an HMAC over the content and the user who opened it; a
 * submission whose metadata was changed, or that another user replays, is ignored. The key is the Slack signing
 * secret (or, in Socket Mode without one, the bot token): shared by every replica, never sent.
 */
const SEAL_LENGTH = 32;

function seal(key: string, userId: string, body: string): string {
  return createHmac('sha256', key).update(`${userId}\n${body}`).digest('hex').slice(0, SEAL_LENGTH);
}

/** `{"b":<payload json>,"s":<seal>}`, bound to the user. */
export function sealMetadata(key: string, userId: string, payload: Record<string, unknown>): string {
  const body = JSON.stringify(payload);
  return JSON.stringify({ b: body, s: seal(key, userId, body) });
}

/** The payload when the seal matches this user; undefined for anything else. */
export function openMetadata(
  key: string,
  userId: string,
  text: string | undefined,
): Record<string, unknown> | undefined {
  if (!text || text.length > 3000) return undefined;
  try {
    const raw = JSON.parse(text) as { b?: unknown; s?: unknown };
    if (typeof raw.b !== 'string' || typeof raw.s !== 'string' || raw.s.length !== SEAL_LENGTH) return undefined;
    const expected = Buffer.from(seal(key, userId, raw.b));
    if (!timingSafeEqual(expected, Buffer.from(raw.s))) return undefined;
    const payload = JSON.parse(raw.b) as unknown;
    return payload && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
