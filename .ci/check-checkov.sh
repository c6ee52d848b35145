#!/usr/bin/env bash
# checkov on the deployment files, with the settings and the skipped checks of .checkov.yaml:
#   the CloudFormation templates infra/cloudformation/*.json (framework cloudformation),
#   the Dockerfile (dockerfile), docker-compose.yml (checkov has no Compose framework: secrets only),
#   the rendered Helm manifests in ${RENDERED_DIR:-/tmp/sarwatch-helm-rendered}, if that folder exists (kubernetes).
# Fails on any failed check, on a parsing error checkov reports (it only warns about those) and when a framework
# finds nothing to scan.
#
# checkov is installed once, pinned, into its own virtual environment under the git-ignored .cache/: it pins older
# versions of boto3 and others than moto and cfn-lint, which .ci/run installs into the system's Python.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
venv="${CHECKOV_VENV:-.cache/checkov-$CHECKOV_VERSION}"
if [ "$("$venv/bin/checkov" --version 2>/dev/null)" != "$CHECKOV_VERSION" ]; then
  echo "check-checkov: installing checkov $CHECKOV_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0

# Runs checkov on one set of targets; $1 names the set, $2 the frameworks (comma-separated), the rest are checkov's
# target arguments. The JSON report is read for parsing errors and for frameworks that found nothing to scan.
scan() {
  local name="$1" frameworks="$2"
  shift 2
  echo "== checkov: $name"
  local rc=0
  "$venv/bin/checkov" --config-file .checkov.yaml --framework "$frameworks" "$@" \
    --output cli --output json --output-file-path "console,$results/$name.json" || rc=$?
  python3 - "$results/$name.json" "$frameworks" <<'PY' || rc=1
import json, sys
path, frameworks = sys.argv[1], sys.argv[2].split(",")
with open(path) as f:
    data = json.load(f)
reports = data if isinstance(data, list) else [data] if "check_type" in data else []
problems = []
for report in reports:
    for file in report.get("results", {}).get("parsing_errors", []):
        problems.append(f"{report['check_type']}: could not parse {file}")
found = {report["check_type"] for report in reports}
# The secrets scan reports only what it finds; every other framework asked for must have scanned something.
for framework in frameworks:
    if framework != "secrets" and framework not in found:
        problems.append(f"{framework}: nothing was scanned")
for problem in problems:
    print(f"check-checkov: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY
  if [ "$rc" -ne 0 ]; then status=1; fi
}

shopt -s nullglob
files=()
for template in infra/cloudformation/*.json; do files+=(--file "$template"); done
scan deployment-files cloudformation,dockerfile,secrets "${files[@]}" --file Dockerfile --file docker-compose.yml

rendered="${RENDERED_DIR:-/tmp/sarwatch-helm-rendered}"
if [ -d "$rendered" ]; then
  scan helm-rendered kubernetes,secrets --directory "$rendered"
else
  echo "== checkov: no rendered Helm manifests in $rendered (set RENDERED_DIR); kubernetes not scanned"
fi

if [ "$status" -ne 0 ]; then
  echo "check-checkov: failed" >&2
else
  echo "check-checkov: passed"
fi
exit "$status"
