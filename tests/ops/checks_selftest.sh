#!/usr/bin/env bash
# The deploy checks catch what they claim to: each mutation of a copy of deploy/ (or of config.cpp's key
# table) must make check_deploy.py or check_alerts.sh fail with the expected message; the unmutated copy passes.
# usage: checks_selftest.sh REPO_DIR PYTHON PROMTOOL [BINARY]
set -euo pipefail
repo=${1:?usage: checks_selftest.sh REPO_DIR PYTHON PROMTOOL [BINARY]}
python=${2:?python}
promtool=${3:?promtool}
binary=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fresh_copy() {
    rm -rf "$work/repo"
    mkdir -p "$work/repo/src/common"
    cp "$repo/src/common/config.cpp" "$work/repo/src/common/"
    cp -r "$repo/deploy" "$work/repo/"
}
run_deploy_check() {
    local args=(--repo "$work/repo")
    [[ -n $binary ]] && args+=(--binary "$binary")
    "$python" "$here/check_deploy.py" "${args[@]}" 2>&1
}
# expect_failure NAME EXPECTED-TEXT CHECK MUTATION...: apply the mutation (a command run in the copy), run
# the check, and require a non-zero exit and the text in its output.
expect_failure() {
    local name=$1 expected=$2 check=$3 output status
    shift 3
    fresh_copy
    (cd "$work/repo" && "$@")
    set +e
    output=$($check)
    status=$?
    set -e
    if ((status == 0)) || [[ $output != *"$expected"* ]]; then
        echo "FAIL: $name: expected a failure mentioning '$expected', got status $status:" >&2
        echo "$output" >&2
        failures=$((failures + 1))
    else
        echo "ok: $name"
    fi
}
run_alert_check() { "$here/check_alerts.sh" "$promtool" "$work/repo/deploy" "$python" 2>&1; }

fresh_copy
run_deploy_check >/dev/null || { echo "FAIL: the unmutated copy does not pass check_deploy" >&2; exit 1; }
run_alert_check >/dev/null || { echo "FAIL: the unmutated copy does not pass check_alerts" >&2; exit 1; }

expect_failure "unknown variable" "ALATAR_NOT_A_KEY is not a configuration key" run_deploy_check \
    sh -c 'echo ALATAR_NOT_A_KEY=1 >> deploy/env.example'
expect_failure "key removed from config.cpp" "ALATAR_TRUST_PROXY is not a configuration key" run_deploy_check \
    sed -i '/{"trust_proxy"/d' src/common/config.cpp
expect_failure "missing service" "service worker-2 is missing" run_deploy_check \
    "$python" -c 'import yaml; p="deploy/docker-compose.yml"; d=yaml.safe_load(open(p)); del d["services"]["worker-2"]; yaml.safe_dump(d, open(p, "w"))'
expect_failure "contract variable unset" "ALATAR_LLM_API_KEY (a contract variable) is not set" run_deploy_check \
    sed -i '/^ALATAR_LLM_API_KEY=/d' deploy/env.example
expect_failure "real secret in env.example" "ALATAR_MASTER_KEY should be a change-me placeholder" run_deploy_check \
    sed -i 's/^ALATAR_MASTER_KEY=.*/ALATAR_MASTER_KEY=k1:c2VjcmV0/' deploy/env.example
expect_failure "wrong API port" "api-1 ALATAR_LISTEN should end in :8080" run_deploy_check \
    sed -i 's/ALATAR_LISTEN: "0.0.0.0:8080"/ALATAR_LISTEN: "0.0.0.0:9000"/' deploy/docker-compose.yml
expect_failure "root runtime" "non-root USER" run_deploy_check sed -i 's/^USER alatar:alatar/USER root/' deploy/Dockerfile
expect_failure "no such package" "runtime package libnothing9 does not exist" run_deploy_check \
    sed -i 's/^      libfmt9 \\/      libfmt9 \\\n      libnothing9 \\/' deploy/Dockerfile
if [[ -n $binary ]]; then
    expect_failure "library not listed" "list it in the runtime stage" run_deploy_check \
        sed -i '/^      libpq5 \\/d; /^      libfmt9 \\/d' deploy/Dockerfile
fi
expect_failure "scrape target not a service" "target worker-9:9465 is not a compose service" run_deploy_check \
    sed -i 's/worker-2:9465/worker-9:9465/' deploy/prometheus/prometheus.yml
expect_failure "alert without a firing test" "AlatarWorkerDown has no unit test" run_alert_check \
    "$python" -c '
import yaml
p = "deploy/prometheus/alerts_test.yml"
d = yaml.safe_load(open(p))
for t in d["tests"]:
    t["alert_rule_test"] = [c for c in t.get("alert_rule_test", []) if c["alertname"] != "AlatarWorkerDown"]
d["tests"] = [t for t in d["tests"] if t["alert_rule_test"]]
yaml.safe_dump(d, open(p, "w"))'
expect_failure "alert that no longer fires" "FAILED" run_alert_check \
    sed -i 's/> 0.05$/> 0.5/' deploy/prometheus/alerts.yml

((failures == 0)) || exit 1
echo "PASS: every mutation was caught"
