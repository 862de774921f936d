-- The benchmark's data: one user with :requests analysis requests (newest first by a minute apart, mixed statuses)
-- and :sessions live sessions. The tokens are kept in bench_tokens so the load generator can send them; the
-- sessions table holds only their SHA-256 hex, as src/api/sessions.cpp stores it.
--   psql "$db_url" -v requests=10000 -v sessions=4096 -f bench/api/seed.sql
\set ON_ERROR_STOP on
INSERT INTO users (email) VALUES ('bench@example.com') RETURNING id AS uid \gset
INSERT INTO user_preferences (user_id) VALUES (:'uid');
INSERT INTO analysis_requests (user_id, prompt, status, progress, intent, created_at, updated_at, completed_at)
SELECT :'uid',
       'Why did revenue change in week ' || g || ' compared with the week before?',
       (ARRAY['COMPLETED', 'COMPLETED', 'FAILED', 'QUEUED'])[1 + g % 4],
       CASE WHEN g % 4 = 3 THEN 0 ELSE 1 END,
       'revenue_change',
       now() - make_interval(mins => g),
       now() - make_interval(mins => g) + interval '40 seconds',
       CASE WHEN g % 4 = 3 THEN NULL ELSE now() - make_interval(mins => g) + interval '40 seconds' END
FROM generate_series(1, :requests) AS g;
CREATE TABLE bench_tokens AS
SELECT g AS n, md5(random()::text || g::text) || md5(g::text || random()::text) AS token
FROM generate_series(1, :sessions) AS g;
INSERT INTO sessions (token_hash, user_id, expires_at, idle_expires_at)
SELECT encode(sha256(convert_to(token, 'UTF8')), 'hex'), :'uid', now() + interval '30 days', now() + interval '7 days'
FROM bench_tokens;
VACUUM (ANALYZE);  -- sets the visibility map, so count(*) is an index-only scan as on a settled table
