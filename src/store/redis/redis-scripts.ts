import type { Redis } from 'ioredis';

/**
 * Lua scripts that make each multi-key step atomic on one Redis. KEYS are declared so ioredis applies keyPrefix.
 * Approval hash fields: json, version, status, rk (review key). `byReview` maps an open review key to its approval id.
 */
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'version', ARGV[2], 'status', ARGV[3], 'rk', ARGV[6])
if ARGV[3] == 'open' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  redis.call('HSETNX', KEYS[3], ARGV[6], ARGV[5])
end
return 1`;

const UPDATE = `
local v = redis.call('HGET', KEYS[1], 'version')
if (not v) or v ~= ARGV[1] then return 0 end
local oldRk = redis.call('HGET', KEYS[1], 'rk')
if oldRk and redis.call('HGET', KEYS[3], oldRk) == ARGV[6] then redis.call('HDEL', KEYS[3], oldRk) end
redis.call('HSET', KEYS[1], 'json', ARGV[2], 'version', ARGV[3], 'status', ARGV[4], 'rk', ARGV[7])
if ARGV[4] == 'open' then
  redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6])
  redis.call('HSETNX', KEYS[3], ARGV[7], ARGV[6])
else
  redis.call('ZREM', KEYS[2], ARGV[6])
end
return 1`;

// Release only our own lock: the single-instance Redlock pattern (https://redis.io/docs/latest/develop/use/patterns/distributed-locks/).
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Extend only our own lock or lease (fencing by owner token).
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const AUDIT = `
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'r', ARGV[1])
if ARGV[2] == 'intent' then redis.call('HSET', KEYS[2], ARGV[3], ARGV[1]) else redis.call('HDEL', KEYS[2], ARGV[3]) end
return 1`;

type Arg = string | number;

export interface OpsgateScripts {
  opsgateCreate(approvalKey: string, openKey: string, byReviewKey: string, ...args: Arg[]): Promise<number>;
  opsgateUpdate(approvalKey: string, openKey: string, byReviewKey: string, ...args: Arg[]): Promise<number>;
  opsgateRelease(lockKey: string, owner: string): Promise<number>;
  opsgateRenew(key: string, owner: string, ttlMs: number): Promise<number>;
  opsgateAudit(streamKey: string, pendingKey: string, ...args: Arg[]): Promise<number>;
}

/** Registers the scripts (EVALSHA with EVAL fallback, handled by ioredis) and returns the typed client. */
export function defineScripts(redis: Redis): Redis & OpsgateScripts {
  redis.defineCommand('opsgateCreate', { numberOfKeys: 3, lua: CREATE });
  redis.defineCommand('opsgateUpdate', { numberOfKeys: 3, lua: UPDATE });
  redis.defineCommand('opsgateRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('opsgateRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('opsgateAudit', { numberOfKeys: 2, lua: AUDIT });
  return redis as Redis & OpsgateScripts;
}
