#!/usr/bin/env bash
# Checks the Helm chart infra/helm/sarwatch, offline:
#   - helm lint --strict, with the default values and with each example values file;
#   - helm template with the default values, values-msk-iam.yaml, every optional part (ci/all-values.yaml) and the
#     rules as a plain ConfigMap (ci/configmap-rules-values.yaml);
#   - the rendered manifests against the Kubernetes API schemas (PyPI kubernetes-validate, strict, Kubernetes
#     1.25.0 and 1.37.0), the ServiceMonitor and PrometheusRule against the CRD schemas that controller-gen
#     generates from prometheus-operator's Go API module, then what the chart promises
#     (infra/helm/validate-manifests.py);
#   - values the chart must refuse, with a message that names the setting;
#   - helm package: the symbolic links to infra/ are packaged as their files' contents, and the package renders
#     exactly as the chart folder does.
# Installs what it needs on a machine with Go and Python 3 (with pip): Helm into $(go env GOPATH)/bin, the rest into
# ~/.cache/sarwatch-check-helm; a second run reuses them. Writes the rendered manifests, one file per object, to
# ${RENDERED_DIR:-/tmp/sarwatch-helm-rendered}/<values set>/ for other checks (checkov).
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v4.3.2
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBE_VERSIONS=(1.25.0 1.37.0) # the chart's kubeVersion floor, and the newest kubernetes-validate knows
CONTROLLER_TOOLS_VERSION=v0.20.1
PROMETHEUS_OPERATOR_MODULE=github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring
PROMETHEUS_OPERATOR_VERSION=v0.95.2

chart=infra/helm/sarwatch
cache=${SARWATCH_CHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sarwatch-check-helm}
rendered=${RENDERED_DIR:-/tmp/sarwatch-helm-rendered}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS
failures=()

say() { printf '%s\n' "$*"; }
fail() {
  say "  FAIL $*"
  failures+=("$*")
}
# Helm says, on every load, that it followed files/'s links to infra/; the package step checks the result instead.
helm_noise() { grep -v 'found symbolic link in path' || true; }

say "== tools"
gobin=$(go env GOBIN)
gobin=${gobin:-$(go env GOPATH | cut -d: -f1)/bin}
helm=$gobin/helm
helm_module_version() { go version -m "$1" 2>/dev/null | awk '$1 == "mod" && $2 == "helm.sh/helm/v4" { print $3 }'; }
if [ "$(helm_module_version "$helm")" != "$HELM_VERSION" ]; then
  say "  installing Helm $HELM_VERSION from its Go module (about 3 minutes on 2 cores)"
  if ! GOFLAGS=-mod=mod go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"; then
    say "  go install failed; the versions of helm.sh/helm/v4 that the Go module proxy serves:"
    go list -m -versions helm.sh/helm/v4 || true
    exit 1
  fi
fi
say "  helm $(helm_module_version "$helm") ($helm)"

# kubernetes-validate and its dependencies in a folder of their own: no virtualenv module needed, and pip's
# --target leaves a Debian system Python (PEP 668) alone.
pylib=$cache/python-kubernetes-validate-$KUBERNETES_VALIDATE_VERSION
if [ ! -f "$pylib/.complete" ]; then
  say "  installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (PyPI) into $pylib"
  rm -rf "$pylib"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-warn-script-location \
    --target "$pylib" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  touch "$pylib/.complete"
fi
export PYTHONPATH=$pylib${PYTHONPATH:+:$PYTHONPATH}
say "  kubernetes-validate $(python3 -c 'import kubernetes_validate.version as v; print(v.__version__)') ($pylib)"

# The CRDs of ServiceMonitor and PrometheusRule, generated from the operator's Go API types (the source of its
# published CRDs) by controller-gen, as the operator's own build does.
crds=$cache/crds-prometheus-operator-$PROMETHEUS_OPERATOR_VERSION
if [ ! -f "$crds/.complete" ]; then
  controller_gen=$cache/controller-tools-$CONTROLLER_TOOLS_VERSION/controller-gen
  if [ ! -x "$controller_gen" ]; then
    say "  installing controller-gen $CONTROLLER_TOOLS_VERSION from its Go module"
    GOFLAGS=-mod=mod GOBIN=$(dirname "$controller_gen") \
      go install "sigs.k8s.io/controller-tools/cmd/controller-gen@$CONTROLLER_TOOLS_VERSION"
  fi
  say "  generating the prometheus-operator $PROMETHEUS_OPERATOR_VERSION CRDs"
  module_dir=$(go mod download -json "$PROMETHEUS_OPERATOR_MODULE@$PROMETHEUS_OPERATOR_VERSION" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  rm -rf "$crds" "$work/crds"
  (cd "$module_dir" && GOFLAGS=-mod=mod "$controller_gen" crd paths=./v1/... output:crd:dir="$work/crds")
  mkdir -p "$crds"
  cp "$work/crds/monitoring.coreos.com_servicemonitors.yaml" "$work/crds/monitoring.coreos.com_prometheusrules.yaml" \
    "$crds/"
  touch "$crds/.complete"
fi
say "  CRDs: ServiceMonitor and PrometheusRule of prometheus-operator $PROMETHEUS_OPERATOR_VERSION ($crds)"

# name:values file (empty for the defaults)
sets=(
  "default:"
  "msk-iam:$chart/values-msk-iam.yaml"
  "all-optional:$chart/ci/all-values.yaml"
  "configmap-rules:$chart/ci/configmap-rules-values.yaml"
)
values_args() { if [ -n "$1" ]; then printf '%s\n' -f "$1"; fi; }

say ""
say "== helm lint --strict"
for set in "${sets[@]}"; do
  name=${set%%:*} file=${set#*:}
  mapfile -t args < <(values_args "$file")
  if "$helm" lint --strict "$chart" "${args[@]}" >"$work/lint.log" 2>&1; then
    notes=$(grep -E '^\[(INFO|WARNING)\]' "$work/lint.log" | paste -sd ';' - || true)
    say "  $name: ok${notes:+ ($notes)}"
  else
    fail "helm lint --strict, $name:"
    helm_noise <"$work/lint.log" | sed 's/^/    /'
  fi
done

say ""
say "== helm template"
validate_args=()
for set in "${sets[@]}"; do
  name=${set%%:*} file=${set#*:}
  mapfile -t args < <(values_args "$file")
  if "$helm" template sarwatch "$chart" --namespace sarwatch "${args[@]}" >"$work/$name.yaml" 2>"$work/$name.err"; then
    say "  $name: $(grep -c '^kind:' "$work/$name.yaml") objects${file:+ (-f $file)}"
    validate_args+=("$name=$work/$name.yaml")
  else
    fail "helm template, $name:"
    helm_noise <"$work/$name.err" | sed 's/^/    /'
  fi
done

say ""
say "== the rendered manifests: schemas and the chart's promises"
mkdir -p "$rendered"
for set in "${sets[@]}"; do rm -rf "${rendered:?}/${set%%:*}"; done
kube_args=()
for version in "${KUBE_VERSIONS[@]}"; do kube_args+=(-k "$version"); done
if [ ${#validate_args[@]} -gt 0 ]; then
  if ! python3 infra/helm/validate-manifests.py --crd-dir "$crds" "${kube_args[@]}" --split-into "$rendered" \
    "${validate_args[@]}"; then
    fail "the rendered manifests did not validate (above)"
  fi
  say "  written, one file per object: $rendered/{$(printf '%s,' "${sets[@]%%:*}" | sed 's/,$//')}/"
fi

say ""
say "== values the chart refuses"
refuses() {
  local want=$1
  shift
  if "$helm" template sarwatch "$chart" "$@" >/dev/null 2>"$work/refusal.err"; then
    fail "accepted $*"
  elif grep -qF -- "$want" "$work/refusal.err"; then
    say "  $* -> $(grep -F -- "$want" "$work/refusal.err" | head -1 | sed 's/^Error: //; s/^ *- //')"
  else
    fail "refused $* without saying \"$want\":"
    helm_noise <"$work/refusal.err" | sed 's/^/    /'
  fi
}
refuses "additional properties 'replicas' not allowed" --set enricher.replicas=3
refuses "at '/kafka/brokers'" --set kafka.brokers=kafka
refuses "kafka.sasl.passwordSecret.name" --set kafka.sasl.mechanism=scram-sha-512 --set kafka.sasl.username=sarwatch
refuses "must be true with kafka.sasl.mechanism=aws-msk-iam" --set kafka.sasl.mechanism=aws-msk-iam
refuses "must be at least 35" --set shutdownTimeoutMs=30000
refuses "at '/shutdownTimeoutMs'" --set shutdownTimeoutMs=90000 --set terminationGracePeriodSeconds=120
refuses "notifier.webhook.secretName" --set notifier.enabled=true
refuses "need kafka.ssl=true" --set kafka.caBundle.configMapName=kafka-ca
refuses "set secretName or configMapName, not both" --set kafka.ssl=true --set kafka.caBundle.secretName=a \
  --set kafka.caBundle.configMapName=b

say ""
say "== helm package: the links to infra/ become files"
if "$helm" package "$chart" --destination "$work/package" >"$work/package.log" 2>&1; then
  package=$(ls "$work"/package/sarwatch-*.tgz)
  mkdir -p "$work/unpacked"
  tar -xzf "$package" -C "$work/unpacked"
  for pair in "files/alerts.yml:infra/prometheus/alerts.yml" \
    "files/sarwatch-dashboard.json:infra/grafana/dashboards/sarwatch.json"; do
    packed=$work/unpacked/sarwatch/${pair%%:*}
    if [ -L "$packed" ] || ! cmp -s "$packed" "${pair#*:}"; then
      fail "$(basename "$package"): ${pair%%:*} is not a copy of ${pair#*:}"
    else
      say "  $(basename "$package"): ${pair%%:*} = ${pair#*:}"
    fi
  done
  if [ -e "$work/unpacked/sarwatch/ci" ]; then fail "$(basename "$package") holds ci/ (.helmignore)"; fi
  "$helm" template sarwatch "$package" --namespace sarwatch -f "$chart/ci/all-values.yaml" >"$work/packaged.yaml" 2>/dev/null
  if cmp -s "$work/packaged.yaml" "$work/all-optional.yaml"; then
    say "  the package renders every optional part exactly as the chart folder does"
  else
    fail "the package renders differently from the chart folder"
  fi
else
  fail "helm package:"
  helm_noise <"$work/package.log" | sed 's/^/    /'
fi

say ""
if [ ${#failures[@]} -gt 0 ]; then
  say "check-helm: ${#failures[@]} check(s) FAILED in $((SECONDS - started)) s:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
say "check-helm: every check passed in $((SECONDS - started)) s (lint ${#sets[@]}, template ${#sets[@]}, schemas, refusals, package)"
