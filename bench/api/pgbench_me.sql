-- The SQL one `me` request issues in alatar (src/api/sessions.cpp, src/api/resolvers_accounts.cpp);
-- :th is the bearer token's hash, :uid the user id (pgbench -D). The idle-expiry touch (at most once a minute
-- per session) is left out.
SELECT id::text, user_id::text, last_seen_at < now() - make_interval(secs => 60) AS stale FROM sessions WHERE token_hash = :th AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now();
SELECT id::text AS uuid, email, created_at FROM users WHERE id = :uid;
