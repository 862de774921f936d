// The API subset both peers serve: `me`, `listAnalysisRequests(first, after, status, storeId)` and
// `submitAnalysisRequest(prompt, storeId)`, against alatar's own PostgreSQL schema (migrations/), issuing the same SQL
// statements as alatar's code path:
//   - authentication: src/api/sessions.cpp (SHA-256 hex of the bearer token looked up in `sessions`; the
//     idle-expiry touch at most once a minute), done lazily, once per request, only when a resolver needs it;
//   - me: src/api/resolvers_accounts.cpp; list: src/api/analysis_read.cpp (page + count);
//   - submit: src/agents/submission.cpp, analysis_events.cpp, outbox.cpp (request row, event_seq bump, two outbox
//     rows with the same envelope JSON), in one transaction, then the request re-read.
// IDs and cursors are encoded exactly as alatar does (src/api/ids.cpp, analysis_read.cpp), so responses are
// byte-comparable field by field.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';

export const typeDefs = /* GraphQL */ `
  scalar DateTime
  enum AnalysisStatus { QUEUED PLANNING RUNNING REVIEWING COMPLETED FAILED CANCELLED }
  type Query {
    me: User
    listAnalysisRequests(first: Int = 20, after: String, status: AnalysisStatus, storeId: ID): AnalysisRequestConnection!
  }
  type Mutation {
    submitAnalysisRequest(prompt: String!, storeId: ID): AnalysisRequest!
  }
  type User { id: ID!, email: String, createdAt: DateTime! }
  type AnalysisRequest {
    id: ID!
    prompt: String!
    status: AnalysisStatus!
    progress: Float!
    intent: String
    createdAt: DateTime!
    updatedAt: DateTime!
    completedAt: DateTime
    error: String
  }
  type AnalysisRequestConnection { edges: [AnalysisRequestEdge!]!, pageInfo: PageInfo!, totalCount: Int! }
  type AnalysisRequestEdge { cursor: String!, node: AnalysisRequest! }
  type PageInfo { hasNextPage: Boolean!, hasPreviousPage: Boolean!, startCursor: String, endCursor: String }
`;

const kTouchIntervalSeconds = 60;
const kIdleSeconds = 7 * 24 * 3600;
const kMaxPageSize = 100;
const kMaxPromptLength = 4000;

const kSessionSql =
  'SELECT id::text, user_id::text, last_seen_at < now() - make_interval(secs => $2) AS stale FROM sessions ' +
  'WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now()';
const kTouchSql =
  'UPDATE sessions SET last_seen_at = now(), ' +
  'idle_expires_at = least(now() + make_interval(secs => $2), expires_at) WHERE id = $1';
const kMeSql = 'SELECT id::text AS uuid, email, created_at FROM users WHERE id = $1';
const kRequestColumns =
  'id::text AS uuid, store_id::text AS store_uuid, prompt, status, progress, intent, error, created_at, ' +
  'updated_at, completed_at, event_seq, created_at::text AS cursor_ts';
const kFilter =
  'user_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR store_id = $3::uuid)';
const kPageSql =
  `SELECT ${kRequestColumns} FROM analysis_requests WHERE ${kFilter}` +
  ' AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))' +
  ' ORDER BY created_at DESC, id DESC LIMIT $6';
const kCountSql = `SELECT count(*) FROM analysis_requests WHERE ${kFilter}`;
const kOneRequestSql = `SELECT ${kRequestColumns} FROM analysis_requests WHERE id = $1 AND user_id = $2`;

export class GraphQLUserError extends Error {
  constructor(message, code) {
    super(message);
    this.extensions = { code };
  }
}

const b64url = (s) => Buffer.from(s, 'utf8').toString('base64url');
const encodeId = (type, uuid) => b64url(`${type}:${uuid}`);
const encodeCursor = (ts, uuid) => b64url(`c1|${ts}|${uuid}`);
const isUuid = (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s);
const iso = (d) => (d == null ? null : d.toISOString());

function decodeId(type, id) {
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) return null;
  const raw = Buffer.from(id, 'base64url').toString('utf8');
  const colon = raw.indexOf(':');
  if (colon < 0 || raw.slice(0, colon) !== type) return null;
  const uuid = raw.slice(colon + 1);
  return isUuid(uuid) ? uuid : null;
}

function decodeCursor(cursor) {
  if (cursor.length > 200) return null;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('c1|')) return null;
  const bar = raw.lastIndexOf('|');
  if (bar <= 3) return null;
  const ts = raw.slice(3, bar);
  const uuid = raw.slice(bar + 1);
  if (!isUuid(uuid) || ts.length < 19 || ts.length > 40 || /[^0-9\-:. +]/.test(ts)) return null;
  return [ts, uuid];
}

function requestJson(row) {
  return {
    id: encodeId('AnalysisRequest', row.uuid),
    prompt: row.prompt,
    status: row.status,
    progress: row.progress,
    intent: row.intent,
    error: row.error,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    completedAt: iso(row.completed_at),
    _cursor: encodeCursor(row.cursor_ts, row.uuid),
  };
}

// The message envelope of src/mq/envelope.cpp (to_json), byte for byte in key order.
function envelope(type, payload, traceId, requestId) {
  const e = { id: randomUUID(), type, version: 1 };
  if (traceId) e.trace_id = traceId;
  if (requestId) e.request_id = requestId;
  e.created_at = new Date().toISOString();
  e.payload = payload;
  return JSON.stringify(e);
}

export function makePool(databaseUrl, max) {
  return new pg.Pool({ connectionString: databaseUrl, max });
}

// Per-request context: the bearer token's hash and a memoised principal (one session lookup per request).
export function makeContext(pool, authorization) {
  let tokenHash = null;
  let invalid = false;
  if (typeof authorization === 'string' && authorization.length > 0) {
    const m = /^bearer +(.+?) *$/i.exec(authorization);
    if (m && m[1].length <= 512) tokenHash = createHash('sha256').update(m[1]).digest('hex');
    else invalid = true;
  }
  let principal;
  return {
    pool,
    async principal() {
      if (principal !== undefined) return principal;
      principal = null;
      if (tokenHash) {
        const r = await pool.query(kSessionSql, [tokenHash, kTouchIntervalSeconds]);
        if (r.rows.length === 1) {
          const row = r.rows[0];
          principal = { sessionId: row.id, userId: row.user_id };
          if (row.stale) await pool.query(kTouchSql, [row.id, kIdleSeconds]);
        } else {
          invalid = true;
        }
      }
      if (invalid) {
        throw new GraphQLUserError(
          'The session is invalid, expired or revoked; sign in again (Authorization: Bearer <token>).',
          'UNAUTHENTICATED');
      }
      return principal;
    },
    async requirePrincipal() {
      const p = await this.principal();
      if (!p) throw new GraphQLUserError('Sign in first (Authorization: Bearer <token>).', 'UNAUTHENTICATED');
      return p;
    },
  };
}

async function me(_src, _args, ctx) {
  const p = await ctx.principal();
  if (!p) return null;
  const r = await ctx.pool.query(kMeSql, [p.userId]);
  if (r.rows.length === 0) return null;
  const u = r.rows[0];
  return { id: encodeId('User', u.uuid), email: u.email, createdAt: iso(u.created_at) };
}

async function listAnalysisRequests(_src, args, ctx) {
  const p = await ctx.requirePrincipal();
  const first = args.first ?? 20;
  if (first < 0 || first > kMaxPageSize) {
    throw new GraphQLUserError(`\`first\` must be between 0 and ${kMaxPageSize}.`, 'BAD_USER_INPUT');
  }
  let after = null;
  if (args.after != null) {
    after = decodeCursor(args.after);
    if (!after) throw new GraphQLUserError('`after` is not a valid cursor.', 'BAD_USER_INPUT');
  }
  let store = null;
  if (args.storeId != null) {
    store = decodeId('ShopifyStore', args.storeId);
    if (!store) throw new GraphQLUserError('store not found', 'NOT_FOUND');
  }
  const status = args.status ?? null;
  const page = await ctx.pool.query(kPageSql, [p.userId, status, store, after?.[0] ?? null, after?.[1] ?? null,
    first + 1]);
  const count = await ctx.pool.query(kCountSql, [p.userId, status, store]);
  const shown = Math.min(page.rows.length, first);
  const edges = [];
  for (let i = 0; i < shown; i++) {
    const node = requestJson(page.rows[i]);
    edges.push({ cursor: node._cursor, node });
  }
  return {
    edges,
    pageInfo: {
      hasNextPage: page.rows.length > shown,
      hasPreviousPage: after !== null,
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
    totalCount: Number(count.rows[0].count),
  };
}

async function submitAnalysisRequest(_src, args, ctx) {
  const p = await ctx.requirePrincipal();
  const prompt = args.prompt;
  if (!/[^ \t\r\n]/.test(prompt)) throw new GraphQLUserError('the prompt is empty', 'BAD_USER_INPUT');
  if (Buffer.byteLength(prompt, 'utf8') > kMaxPromptLength) {
    throw new GraphQLUserError(`the prompt is longer than ${kMaxPromptLength} characters`, 'BAD_USER_INPUT');
  }
  let store = null;
  if (args.storeId != null) {
    store = decodeId('ShopifyStore', args.storeId);
    if (!store) throw new GraphQLUserError('store not found', 'NOT_FOUND');
  }
  const traceId = randomUUID();
  const client = await ctx.pool.connect();
  let id;
  try {
    await client.query('BEGIN');
    if (store) {
      const owned = await client.query('SELECT 1 FROM shopify_stores WHERE id = $1 AND user_id = $2', [store, p.userId]);
      if (owned.rows.length === 0) throw new GraphQLUserError('store not found', 'NOT_FOUND');
    }
    id = (await client.query(
      'INSERT INTO analysis_requests (user_id, store_id, prompt, llm_model) ' +
        'VALUES ($1, $2, $3, (SELECT llm_model FROM user_preferences WHERE user_id = $1)) RETURNING id::text',
      [p.userId, store, prompt])).rows[0].id;
    const ev = (await client.query(
      'UPDATE analysis_requests SET event_seq = event_seq + 1 WHERE id = $1 ' +
        'RETURNING event_seq, status, progress, user_id::text', [id])).rows[0];
    const payload = { request_id: id, user_id: ev.user_id, seq: Number(ev.event_seq), event: 'STATUS_CHANGED',
      status: ev.status, progress: ev.progress };
    const insertOutbox =
      'INSERT INTO outbox (topic, payload, headers) VALUES ($1, $2::jsonb, $3::jsonb) RETURNING id';
    await client.query(insertOutbox, [`analysis.${id}`, envelope('analysis.event', payload, '', id),
      JSON.stringify({ exchange: 'events' })]);
    await client.query(insertOutbox, ['orchestrator',
      envelope('analysis.requested', { request_id: id }, traceId, id), JSON.stringify({ exchange: 'work' })]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  const r = await ctx.pool.query(kOneRequestSql, [id, p.userId]);
  return requestJson(r.rows[0]);
}

export const resolvers = {
  Query: { me, listAnalysisRequests },
  Mutation: { submitAnalysisRequest },
};

// Settings shared by both peers: PORT, DATABASE_URL, WORKERS (processes, default 2), POOL_SIZE (per process).
export function settings() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  return {
    port: Number(process.env.PORT ?? 4000),
    host: process.env.HOST ?? '127.0.0.1',
    databaseUrl,
    workers: Number(process.env.WORKERS ?? 2),
    poolSize: Number(process.env.POOL_SIZE ?? 8),
  };
}
