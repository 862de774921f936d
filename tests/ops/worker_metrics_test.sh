#!/usr/bin/env bash
# `alatar worker` serves Prometheus /metrics at worker_metrics_listen: the exposition passes `promtool check
# metrics`, carries the series the alert rules read (alatar_dlq_messages, alatar_outbox_lag_seconds,
# alatar_shopify_requests_total, alatar_llm_requests_total) and the agent series, the Shopify and LLM series count
# the worker's call spans, and the outbox lag follows the database (an old unsent outbox row shows as lag).
# usage: worker_metrics_test.sh REPO_DIR ALATAR_BINARY PROMTOOL
#        (needs ALATAR_TEST_DATABASE_URL and ALATAR_TEST_AMQP_URL: scripts/services --profile test env)
set -euo pipefail
repo=$1 alatar=$2 promtool=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -n ${ALATAR_TEST_DATABASE_URL:-} ]] ||
    fail "ALATAR_TEST_DATABASE_URL is not set: eval \"\$(scripts/services --profile test env)\" first"
[[ -n ${ALATAR_TEST_AMQP_URL:-} ]] ||
    fail "ALATAR_TEST_AMQP_URL is not set: eval \"\$(scripts/services --profile test env)\" first"

pg_bin=/usr/lib/postgresql/15/bin
db_url() {
    local base=${ALATAR_TEST_DATABASE_URL%%\?*} query=""
    [[ $ALATAR_TEST_DATABASE_URL == *\?* ]] && query="?${ALATAR_TEST_DATABASE_URL#*\?}"
    echo "${base%/*}/$1$query"
}
psql_at() { "$pg_bin/psql" --dbname="$1" -v ON_ERROR_STOP=1 -qtAX "${@:2}"; }

db=ops_metrics_$$_$RANDOM
url=$(db_url "$db")
work=$(mktemp -d)
worker_pid=""
cleanup() {
    if [[ -n $worker_pid ]]; then kill -TERM "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true; fi
    psql_at "$ALATAR_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

psql_at "$ALATAR_TEST_DATABASE_URL" -c "CREATE DATABASE $db"
(cd "$repo" && "$alatar" migrate --database-url "$url" >/dev/null)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prefix=ops_metrics_$$
ALATAR_DATABASE_URL=$url ALATAR_AMQP_URL=$ALATAR_TEST_AMQP_URL ALATAR_AMQP_PREFIX=$prefix \
    ALATAR_WORKER_METRICS_LISTEN=127.0.0.1:$port ALATAR_LOG_LEVEL=WARNING \
    "$alatar" worker --concurrency 1 >"$work/worker.log" 2>&1 &
worker_pid=$!

scrape() { curl -fsS --max-time 5 "http://127.0.0.1:$port/metrics" >"$work/metrics.txt" 2>/dev/null; }
# Progress-driven: wait until the first sample (DLQ depth from the broker) is exposed.
for _ in $(seq 1 120); do
    kill -0 "$worker_pid" 2>/dev/null || { cat "$work/worker.log" >&2; fail "worker exited"; }
    if scrape && grep -q "^alatar_dlq_messages{queue=\"$prefix.dlq\"} 0$" "$work/metrics.txt"; then break; fi
    sleep 0.5
done
grep -q "^alatar_dlq_messages{queue=\"$prefix.dlq\"} 0$" "$work/metrics.txt" ||
    { cat "$work/metrics.txt" "$work/worker.log" >&2; fail "no alatar_dlq_messages sample for $prefix.dlq"; }

"$promtool" check metrics <"$work/metrics.txt" || fail "promtool check metrics rejected the exposition"
for name in alatar_worker_up alatar_outbox_lag_seconds alatar_dlq_messages alatar_queue_messages \
    alatar_agent_tasks_total alatar_agent_step_duration_seconds alatar_agent_tool_duration_seconds \
    alatar_shopify_requests_total alatar_shopify_throttle_wait_seconds_total alatar_llm_requests_total \
    alatar_llm_tokens_total alatar_llm_cost_usd_total alatar_db_pool_open_connections \
    alatar_db_pool_idle_connections; do
    grep -q "^# TYPE $name " "$work/metrics.txt" || fail "metric family $name missing"
done
grep -q '^alatar_worker_up{worker="[^"]*"} 1$' "$work/metrics.txt" || fail "alatar_worker_up is not 1"
grep -q '^alatar_outbox_lag_seconds 0$' "$work/metrics.txt" || fail "outbox lag is not 0 with an empty outbox"

# Shopify and LLM call spans of this worker (as an analysis stores them) feed the series the upstream alerts read:
# a 401 from Shopify (AlatarShopifyAuthFailures), a failed and a successful LLM call (AlatarLlmFailureRate).
worker=$(sed -n 's/^alatar_worker_up{worker="\([^"]*\)"} 1$/\1/p' "$work/metrics.txt")
[[ -n $worker ]] || fail "no worker name in alatar_worker_up"
psql_at "$url" -v worker="$worker" >/dev/null <<'SQL'
WITH u AS (INSERT INTO users DEFAULT VALUES RETURNING id),
r AS (INSERT INTO analysis_requests (user_id, prompt) SELECT id, 'ops metrics test' FROM u RETURNING id)
INSERT INTO trace_spans (request_id, span_id, parent_id, name, kind, started_at, duration_ms, attributes, error)
SELECT r.id, s.span_id, 'tool0000000000000', s.name, s.kind, now(), 5, s.attributes::jsonb || jsonb_build_object('worker', :'worker'), s.error
FROM r, (VALUES
  ('a000000000000001', 'shopify.query orders', 'shopify', '{"outcome": "auth_failed", "http_status": 401, "throttle_wait_ms": 0}', 'revoked'),
  ('a000000000000002', 'shopify.query orders', 'shopify', '{"outcome": "success", "http_status": 200, "throttle_wait_ms": 1500}', NULL),
  ('a000000000000003', 'llm.chat', 'llm', '{"outcome": "success", "prompt_tokens": 300, "completion_tokens": 60, "cost_usd": 0.25}', NULL),
  ('a000000000000004', 'llm.chat', 'llm', '{"outcome": "timeout", "prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0}', 'timed out'),
  ('a000000000000005', 'llm.chat', 'llm', '{"outcome": "budget_exceeded", "attempts": 0, "prompt_tokens": 0, "completion_tokens": 0, "cost_usd": 0}', 'budget')
) AS s(span_id, name, kind, attributes, error);
SQL
for _ in $(seq 1 120); do
    scrape || true
    grep -q '^alatar_llm_requests_total{outcome="timeout"} 1$' "$work/metrics.txt" && break
    sleep 0.5
done
for series in 'alatar_shopify_requests_total{outcome="auth_failed"} 1' 'alatar_shopify_requests_total{outcome="success"} 1' \
    'alatar_shopify_throttle_wait_seconds_total 1.5' 'alatar_llm_requests_total{outcome="success"} 1' \
    'alatar_llm_requests_total{outcome="timeout"} 1' 'alatar_llm_tokens_total{kind="prompt"} 300' \
    'alatar_llm_tokens_total{kind="completion"} 60' 'alatar_llm_cost_usd_total 0.25'; do
    grep -qxF "$series" "$work/metrics.txt" || { cat "$work/metrics.txt" >&2; fail "expected the sample: $series"; }
done
# A call the budget refused before sending is no request to the endpoint (it must not count as an LLM failure).
! grep -q 'alatar_llm_requests_total{outcome="budget_exceeded"}' "$work/metrics.txt" ||
    fail "a budget refusal was counted as an LLM request"
"$promtool" check metrics <"$work/metrics.txt" || fail "promtool check metrics rejected the exposition with call series"

# An unsent outbox row created two minutes ago (not yet due, so the relay leaves it) is a lag of >= 120 s.
psql_at "$url" -c "INSERT INTO outbox (topic, payload, created_at, available_at)
                   VALUES ('ops.test', '{}', now() - interval '120 seconds', now() + interval '1 hour')" >/dev/null
lag=0
for _ in $(seq 1 120); do
    scrape || true
    lag=$(awk '$1 == "alatar_outbox_lag_seconds" { print int($2) }' "$work/metrics.txt")
    ((${lag:-0} >= 120)) && break
    sleep 0.5
done
((${lag:-0} >= 120)) || fail "alatar_outbox_lag_seconds is ${lag:-missing}, expected >= 120 after an old unsent row"
# A second worker on the same host and port cannot bind the listener: it logs that and keeps working.
ALATAR_DATABASE_URL=$url ALATAR_AMQP_URL=$ALATAR_TEST_AMQP_URL ALATAR_AMQP_PREFIX=$prefix \
    ALATAR_WORKER_METRICS_LISTEN=127.0.0.1:$port ALATAR_LOG_LEVEL=WARNING \
    "$alatar" worker --concurrency 1 >"$work/worker2.log" 2>&1 &
second_pid=$!
for _ in $(seq 1 120); do
    grep -q '"metrics listener not started' "$work/worker2.log" && break
    kill -0 "$second_pid" 2>/dev/null || break
    sleep 0.5
done
sleep 1
kill -0 "$second_pid" 2>/dev/null || { cat "$work/worker2.log" >&2; fail "a second worker on a taken metrics port exited"; }
grep -q '"metrics listener not started' "$work/worker2.log" ||
    { cat "$work/worker2.log" >&2; fail "the second worker did not log the taken metrics port"; }
kill -TERM "$second_pid"
wait "$second_pid" || fail "the second worker did not stop cleanly on SIGTERM"
echo "ok: worker /metrics on port $port passes promtool; outbox lag $lag s; a second worker on the port keeps working"
