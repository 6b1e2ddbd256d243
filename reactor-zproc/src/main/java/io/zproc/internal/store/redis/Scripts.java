package io.zproc.internal.store.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Lua scripts that make each of the redis store's operations one atomic step in Redis. A
 * namespace {@code ns} is four keys sharing the hash tag {@code {ns}} (one slot in a cluster):
 * {@code meta} (a hash: {@code epoch}, {@code ver}, {@code seq}), {@code data} (a hash: key to
 * value bytes), {@code order} (a sorted set: key by insertion number, what {@code popItem} and
 * snapshots follow) and {@code log} (a stream: version {@code v} is entry {@code v-1}, one field
 * {@code r}). Epochs stay strings in Lua (a long does not fit its numbers).
 */
final class Scripts {
  private Scripts() {}

  /**
   * KEYS meta, data, order, log; ARGV newEpoch, after, max. Returns {epoch, ver, full, records,
   * keys, values}.
   */
  static final String READ =
      """
      local epoch = redis.call('HGET', KEYS[1], 'epoch')
      if not epoch then
        epoch = ARGV[1]
        redis.call('HSET', KEYS[1], 'epoch', epoch, 'ver', 0, 'seq', 0)
      end
      local ver = tonumber(redis.call('HGET', KEYS[1], 'ver'))
      local after = tonumber(ARGV[2])
      if after >= 0 and after <= ver then
        if after == ver then return {epoch, ver, 0, {}, {}, {}} end
        local first = string.format('%d-1', after + 1)
        local recs = redis.call('XRANGE', KEYS[4], first, '+', 'COUNT', ARGV[3])
        if #recs > 0 and recs[1][1] == first then
          local out = {}
          for i = 1, #recs do out[i] = recs[i][2][2] end
          return {epoch, ver, 0, out, {}, {}}
        end
      end
      local keys = redis.call('ZRANGE', KEYS[3], 0, -1)
      local vals = {}
      for i = 1, #keys do vals[i] = redis.call('HGET', KEYS[2], keys[i]) end
      local tail = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', ARGV[3])
      local out = {}
      for i = #tail, 1, -1 do out[#out + 1] = tail[i][2][2] end
      return {epoch, ver, 1, out, keys, vals}
      """;

  /**
   * KEYS meta, data, order, log; ARGV epoch, base, maxlen, record, reset, channel, ns, the
   * committing store's id (in the bell, so that it skips its own), then (op, key, value) triples,
   * op 'p' (put) or 'd' (remove); no triple and no record: a version check. Returns {committed,
   * epoch, ver}.
   */
  static final String COMMIT =
      """
      local epoch = redis.call('HGET', KEYS[1], 'epoch')
      local ver = tonumber(redis.call('HGET', KEYS[1], 'ver') or '0')
      if epoch ~= ARGV[1] or ver ~= tonumber(ARGV[2]) then
        return {0, epoch or '0', ver}
      end
      if ARGV[4] == '' then return {1, epoch, ver} end
      if ARGV[5] == '1' then redis.call('DEL', KEYS[2], KEYS[3]) end
      for i = 9, #ARGV, 3 do
        local k = ARGV[i + 1]
        if ARGV[i] == 'p' then
          if redis.call('HSET', KEYS[2], k, ARGV[i + 2]) == 1 then
            redis.call('ZADD', KEYS[3], redis.call('HINCRBY', KEYS[1], 'seq', 1), k)
          end
        else
          redis.call('HDEL', KEYS[2], k)
          redis.call('ZREM', KEYS[3], k)
        end
      end
      ver = ver + 1
      redis.call('HSET', KEYS[1], 'ver', ver)
      redis.call('XADD', KEYS[4], 'MAXLEN', '~', ARGV[3], string.format('%d-1', ver), 'r', ARGV[4])
      redis.call('PUBLISH', ARGV[6], string.format('%d:', ver) .. ARGV[8] .. ' ' .. ARGV[7])
      return {1, epoch, ver}
      """;

  /** KEYS meta, data, order, log; ARGV channel, ns. Returns 1 if the namespace existed. */
  static final String DROP =
      """
      local epoch = redis.call('HGET', KEYS[1], 'epoch') or '0'
      local existed = redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
      redis.call('PUBLISH', ARGV[1], 'x' .. epoch .. ' ' .. ARGV[2])
      if existed > 0 then return {1} end
      return {0}
      """;

  /** The script's SHA-1, as EVALSHA names it. */
  static String sha(String script) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (byte b : digest) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
