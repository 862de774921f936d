#!/usr/bin/env bash
# Integration test of scripts/backup and scripts/restore: a database with Alatar's schema (migrations/*.sql)
# and rows of every awkward type is backed up to an encrypted archive, restored into a FRESH PostgreSQL
# cluster (initdb on a free port), and compared table by table (row counts and checksums of the ordered rows),
# sequence by sequence and schema by schema. Also: the archive is not a plain dump, and a wrong passphrase
# restores nothing.
# usage: backup_restore_test.sh REPO_DIR      (needs ALATAR_TEST_DATABASE_URL: scripts/services --profile test env)
set -euo pipefail

repo=${1:?usage: backup_restore_test.sh REPO_DIR}
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -n ${ALATAR_TEST_DATABASE_URL:-} ]] ||
    fail "ALATAR_TEST_DATABASE_URL is not set: eval \"\$(scripts/services --profile test env)\" first"

pg_bin=/usr/lib/postgresql/15/bin
is_root() { [[ $(id -u) -eq 0 ]]; }
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A URL of the test cluster naming another database (keeps any ?query).
db_url() {
    local base=${ALATAR_TEST_DATABASE_URL%%\?*} query=""
    [[ $ALATAR_TEST_DATABASE_URL == *\?* ]] && query="?${ALATAR_TEST_DATABASE_URL#*\?}"
    echo "${base%/*}/$1$query"
}
psql_at() { "$pg_bin/psql" --dbname="$1" -v ON_ERROR_STOP=1 -qtAX "${@:2}"; }

db=ops_backup_$$_$RANDOM
src_url=$(db_url "$db")
work=$(mktemp -d)
chmod 755 "$work"
cluster_started=0
cleanup() {
    if ((cluster_started)); then as_pg "$pg_bin/pg_ctl" -D "$work/cluster" -m immediate -w stop >/dev/null 2>&1 || true; fi
    psql_at "$ALATAR_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# ---- source: Alatar's schema plus rows
psql_at "$ALATAR_TEST_DATABASE_URL" -c "CREATE DATABASE $db"
for migration in "$repo"/migrations/*.sql; do
    psql_at "$src_url" -1 -f "$migration" >/dev/null
done
psql_at "$src_url" >/dev/null <<'SQL'
INSERT INTO users (email, password_hash)
SELECT 'user' || g || '@example.com', 'argon2id$' || md5(g::text) FROM generate_series(1, 300) g;
CREATE TABLE ops_fixture (
    id       bigserial PRIMARY KEY,
    label    text NOT NULL,
    amount   numeric(18,4),
    payload  jsonb,
    blob     bytea,
    at       timestamptz,
    tags     text[]
);
INSERT INTO ops_fixture (label, amount, payload, blob, at, tags)
SELECT 'row ' || g || ' ünïcödé ''quoted'' \ tab	end',
       (g * 1.2345)::numeric(18,4),
       jsonb_build_object('n', g, 'nested', jsonb_build_array(g, NULL, 'x')),
       decode(md5(g::text), 'hex'),
       timestamptz '2026-01-01 00:00:00+00' + g * interval '37 minutes',
       ARRAY['a' || g, NULL]
FROM generate_series(1, 5000) g;
INSERT INTO ops_fixture (label) VALUES ('all nulls');
DELETE FROM ops_fixture WHERE id % 97 = 0;  -- gaps: the restored sequence must still continue after max(id)
SQL

# ---- back up
printf '%s' "correct horse battery staple $RANDOM" >"$work/passphrase"
export BACKUP_PASSPHRASE_FILE=$work/passphrase
"$repo/scripts/backup" --database-url "$src_url" --out "$work/alatar.pgdump.gpg"
[[ -s $work/alatar.pgdump.gpg ]] || fail "the backup wrote no archive"
if head -c 5 "$work/alatar.pgdump.gpg" | grep -q PGDMP; then fail "the archive is a plain pg_dump, not encrypted"; fi
if grep -aq "ops_fixture" "$work/alatar.pgdump.gpg"; then fail "table names readable in the archive"; fi

# ---- a fresh cluster on a free port
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/cluster" "$work/sock"
if is_root; then chown postgres:postgres "$work/cluster" "$work/sock"; fi
as_pg "$pg_bin/initdb" -D "$work/cluster" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$work/initdb.log" 2>&1 ||
    { cat "$work/initdb.log" >&2; fail "initdb failed"; }
as_pg "$pg_bin/pg_ctl" -D "$work/cluster" -w -t 60 -l "$work/sock/postgres.log" \
    -o "-k $work/sock -p $port -c listen_addresses=127.0.0.1" start >/dev/null ||
    { cat "$work/sock/postgres.log" >&2; fail "the fresh cluster did not start"; }
cluster_started=1
fresh_admin="postgresql://postgres@127.0.0.1:$port/postgres"
fresh_url="postgresql://postgres@127.0.0.1:$port/alatar"
psql_at "$fresh_admin" -c "CREATE DATABASE alatar"

# ---- a wrong passphrase restores nothing
printf 'wrong' >"$work/wrong"
if BACKUP_PASSPHRASE_FILE=$work/wrong "$repo/scripts/restore" --in "$work/alatar.pgdump.gpg" \
    --database-url "$fresh_url" 2>"$work/wrong.log"; then
    fail "restore succeeded with a wrong passphrase"
fi
[[ $(psql_at "$fresh_url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == 0 ]] ||
    fail "a failed restore left tables behind"

# ---- restore and compare
"$repo/scripts/restore" --in "$work/alatar.pgdump.gpg" --database-url "$fresh_url"
if "$repo/scripts/restore" --in "$work/alatar.pgdump.gpg" --database-url "$fresh_url" 2>/dev/null; then
    fail "restore over a non-empty database was not refused"
fi

fingerprint() {
    local url=$1 table
    for table in $(psql_at "$url" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
        psql_at "$url" -c "SELECT '$table', count(*), md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), ''))
                           FROM public.\"$table\" t"
    done
    psql_at "$url" -c "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
}
schema_of() {
    "$pg_bin/pg_dump" --schema-only --no-owner --no-privileges --dbname="$1" | grep -v -e '^--' -e '^$' -e '^\\restrict' -e '^\\unrestrict'
}
fingerprint "$src_url" >"$work/source.txt"
fingerprint "$fresh_url" >"$work/restored.txt"
tables=$(grep -c '|' "$work/source.txt")
grep -q '^ops_fixture|4950|' "$work/source.txt" || fail "fixture rows missing in the source: $(grep ops_fixture "$work/source.txt")"
grep -q '^users|300|' "$work/source.txt" || fail "user rows missing in the source"
diff -u "$work/source.txt" "$work/restored.txt" || fail "restored data differs from the source"
diff -u <(schema_of "$src_url") <(schema_of "$fresh_url") || fail "restored schema differs from the source"

echo "PASS: backup of $tables tables/sequences restored into a fresh cluster on port $port, identical"
