#!/usr/bin/env bash
# The alert rules parse, the scrape configuration loads them, and every alert fires (and stays quiet) on the
# series of deploy/prometheus/alerts_test.yml. Also fails when an alert has no unit test.
set -euo pipefail
promtool=${1:?usage: check_alerts.sh PROMTOOL DEPLOY_DIR [PYTHON]}
dir=${2:?usage: check_alerts.sh PROMTOOL DEPLOY_DIR [PYTHON]}/prometheus
python=${3:-python3}

"$promtool" check rules "$dir/alerts.yml"
"$promtool" check config "$dir/prometheus.yml"
(cd "$dir" && "$promtool" test rules alerts_test.yml)

# Every alert must be exercised with a firing case (a non-empty exp_alerts) in the unit tests.
missing=0
while read -r name; do
  if ! "$python" - "$dir/alerts_test.yml" "$name" <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
fired = any(case.get("alertname") == sys.argv[2] and case.get("exp_alerts")
            for test in doc["tests"] for case in test.get("alert_rule_test", []))
sys.exit(0 if fired else 1)
PY
  then
    echo "check_alerts: alert $name has no unit test that makes it fire" >&2
    missing=1
  fi
done < <(sed -n 's/^ *- alert: *\([A-Za-z0-9_]*\).*/\1/p' "$dir/alerts.yml")
exit "$missing"
