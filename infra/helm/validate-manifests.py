#!/usr/bin/env python3
"""Checks manifests rendered from the sarwatch chart, offline. Run by .ci/check-helm.sh.

1. Built-in kinds against the Kubernetes API's JSON schemas that the PyPI package kubernetes-validate ships, strict
   (an unknown field is an error, as with `kubectl apply --validate=strict`), for each Kubernetes version given.
2. Custom resources (ServiceMonitor, PrometheusRule) against the openAPIV3Schema of their CRD, made strict the same
   way, with the list-type rules of the API server (x-kubernetes-list-type map/set); their metadata as ObjectMeta.
   A kind with neither kind of schema is an error, never a silent pass.
3. What the chart promises (README "Deploy it"): locked-down pods, probes on the metrics port, a grace period
   longer than SHUTDOWN_TIMEOUT_MS, secrets only by reference, one reconciler at a time, the Prometheus rules and
   the dashboard of infra/ unchanged, Services, PodDisruptionBudgets and ServiceMonitors that select what they
   should.

usage: validate-manifests.py --crd-dir DIR [-k 1.25.0 ...] [--split-into DIR] NAME=FILE ...
"""

import argparse
import collections
import json
import os
import re
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate.utils as kv
import yaml

INFRA = Path(__file__).resolve().parent.parent
CUSTOM_GROUP = 'monitoring.coreos.com'


def load_crd_schemas(crd_dir):
    """{(apiVersion, kind): openAPIV3Schema} of every served version of every CRD in crd_dir."""
    schemas = {}
    for path in sorted(Path(crd_dir).glob('*.yaml')):
        for crd in yaml.safe_load_all(path.read_text()):
            if not crd or crd.get('kind') != 'CustomResourceDefinition':
                continue
            group, kind = crd['spec']['group'], crd['spec']['names']['kind']
            for version in crd['spec']['versions']:
                if version.get('served'):
                    schemas[(f"{group}/{version['name']}", kind)] = version['schema']['openAPIV3Schema']
    return schemas


def strict_json_schema(node):
    """An OpenAPI v3 structural schema as JSON Schema, rejecting unknown fields like the API server's strict mode."""
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == 'properties':
            out[key] = {name: strict_json_schema(sub) for name, sub in value.items()}
        elif key in ('items', 'additionalProperties', 'not') and isinstance(value, dict):
            out[key] = strict_json_schema(value)
        elif key in ('allOf', 'anyOf', 'oneOf'):
            out[key] = [strict_json_schema(sub) for sub in value]
        else:
            out[key] = value
    if node.get('x-kubernetes-int-or-string') and 'anyOf' not in out:
        out.pop('type', None)
        out['anyOf'] = [{'type': 'integer'}, {'type': 'string'}]
    if node.get('nullable') and isinstance(out.get('type'), str):
        out['type'] = [out['type'], 'null']
    if (
        'properties' in out
        and 'additionalProperties' not in out
        and not node.get('x-kubernetes-preserve-unknown-fields')
    ):
        out['additionalProperties'] = False
    return out


def list_type_problems(schema, value, path):
    """x-kubernetes-list-type: map lists have unique keys, set lists unique items (the API server refuses others)."""
    problems = []
    if isinstance(value, dict):
        props = schema.get('properties', {})
        extra = schema.get('additionalProperties')
        for key, sub in value.items():
            sub_schema = props.get(key, extra if isinstance(extra, dict) else {})
            problems += list_type_problems(sub_schema, sub, f'{path}.{key}')
    elif isinstance(value, list):
        list_type = schema.get('x-kubernetes-list-type')
        if list_type == 'map':
            keys = schema.get('x-kubernetes-list-map-keys', [])
            seen = collections.Counter(tuple(json.dumps(item.get(k)) for k in keys) for item in value)
            problems += [f'{path}: duplicate {"/".join(keys)} {", ".join(k)}' for k, n in seen.items() if n > 1]
        elif list_type == 'set':
            seen = collections.Counter(json.dumps(item, sort_keys=True) for item in value)
            problems += [f'{path}: duplicate item {k}' for k, n in seen.items() if n > 1]
        for index, item in enumerate(value):
            problems += list_type_problems(schema.get('items', {}), item, f'{path}[{index}]')
    return problems


def schema_problems(doc, kube_versions, crds, custom_validators):
    """Problems of one object against its schema; also says which schema was used."""
    api_version, kind = doc.get('apiVersion'), doc.get('kind')
    if (api_version, kind) in crds:
        validator = custom_validators.setdefault(
            (api_version, kind), jsonschema.Draft7Validator(strict_json_schema(crds[(api_version, kind)]))
        )
        problems = [
            f'{"/".join(str(p) for p in e.absolute_path) or "(root)"}: {e.message}'
            for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        ]
        problems += list_type_problems(crds[(api_version, kind)], doc, '')
        # The CRD says only `metadata: object`: check it as the ObjectMeta the API server applies.
        as_meta = {'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': doc.get('metadata', {})}
        for version in kube_versions:
            try:
                kv.validate(as_meta, version, strict=True)
            except kv.ValidationError as e:
                problems.append(f'metadata.{".".join(str(p) for p in e.path)}: {e.message}')
        return 'CRD', problems
    if api_version and api_version.split('/')[0].endswith(CUSTOM_GROUP):
        return 'none', [f'no CRD schema for {api_version} {kind} in the CRD folder']
    problems = []
    for version in kube_versions:
        try:
            kv.validate(doc, version, strict=True)
        except kv.SchemaNotFoundError as e:
            problems.append(f'no Kubernetes {version} schema: {e.message}')
        except kv.ValidationError as e:
            # kubernetes-validate stops at an object's first problem: fix it, and run again for the next one.
            problems.append(f'Kubernetes {version}: {".".join(str(p) for p in e.path) or "(root)"}: {e.message}')
    return 'k8s', problems


def env_of(container):
    return {e['name']: e for e in container.get('env', [])}


def policy_problems(docs):
    """What the chart promises, checked on the rendered objects."""
    problems = []
    by_kind = collections.defaultdict(list)
    for doc in docs:
        by_kind[doc['kind']].append(doc)
        if doc['kind'] == 'Secret':
            problems.append(f'Secret/{doc["metadata"]["name"]}: the chart must never hold a secret')

    services = by_kind['Service']
    for deploy in by_kind['Deployment']:
        name = f'Deployment/{deploy["metadata"]["name"]}'
        pod = deploy['spec']['template']
        spec = pod['spec']
        labels = pod['metadata'].get('labels', {})
        component = labels.get('app.kubernetes.io/component')
        psc = spec.get('securityContext', {})
        if psc.get('runAsNonRoot') is not True or not psc.get('runAsUser'):
            problems.append(f'{name}: the pod must run as a fixed non-root user (runAsNonRoot, runAsUser)')
        if psc.get('seccompProfile', {}).get('type') != 'RuntimeDefault':
            problems.append(f'{name}: the pod needs seccompProfile RuntimeDefault')
        volumes = {v['name']: v for v in spec.get('volumes', [])}
        for container in spec['containers']:
            where = f'{name} container {container["name"]}'
            sc = container.get('securityContext', {})
            expected = {'allowPrivilegeEscalation': False, 'readOnlyRootFilesystem': True, 'runAsNonRoot': True}
            for key, want in expected.items():
                if sc.get(key) is not want:
                    problems.append(f'{where}: securityContext.{key} must be {str(want).lower()}')
            if 'ALL' not in sc.get('capabilities', {}).get('drop', []):
                problems.append(f'{where}: capabilities must drop ALL')
            mounts = {m['mountPath']: m for m in container.get('volumeMounts', [])}
            tmp = mounts.get('/tmp')
            if not tmp or 'emptyDir' not in volumes.get(tmp['name'], {}):
                problems.append(f'{where}: /tmp must be an emptyDir (the root file system is read-only)')
            for mount in mounts.values():
                if mount['name'] not in volumes:
                    problems.append(f'{where}: mounts {mount["name"]}, which is no volume of the pod')
            names = [e['name'] for e in container.get('env', [])]
            for dup in sorted({n for n in names if names.count(n) > 1}):
                problems.append(f'{where}: {dup} is set twice (the last one wins); set it through its value')
            env = env_of(container)
            args = container.get('args') or []
            if component == 'reconciler':
                # `sarwatch reconcile` as a service: a trail, a start, a window length.
                for flag in ('--bucket', '--from', '--every'):
                    if args[:1] != ['reconcile'] or flag not in args[:-1] or not args[args.index(flag) + 1]:
                        problems.append(f'{where}: args {args} are not `reconcile` with a value for {flag}')
            elif args != {'enricher': ['run'], 'notifier': ['notify']}.get(component):
                problems.append(f'{where}: args {args} for component {component}')
            if env.get('METRICS_HOST', {}).get('value') != '0.0.0.0':
                problems.append(f'{where}: METRICS_HOST must be 0.0.0.0 for the kubelet and Prometheus')
            port = next((p for p in container.get('ports', []) if p.get('name') == 'metrics'), None)
            metrics_port = env.get('METRICS_PORT', {}).get('value')
            if not port or str(port['containerPort']) != metrics_port:
                problems.append(f'{where}: the port named metrics must be METRICS_PORT ({metrics_port})')
            for probe, path in (('livenessProbe', '/healthz'), ('readinessProbe', '/readyz')):
                get = container.get(probe, {}).get('httpGet', {})
                if get.get('path') != path or get.get('port') != 'metrics':
                    problems.append(f'{where}: {probe} must GET {path} on the metrics port')
            shutdown_ms = int(env.get('SHUTDOWN_TIMEOUT_MS', {}).get('value', 9000))
            grace = spec.get('terminationGracePeriodSeconds', 30)
            if grace * 1000 < shutdown_ms + 5000:
                problems.append(f'{where}: terminationGracePeriodSeconds {grace} s is not SHUTDOWN_TIMEOUT_MS + 5 s')
            resources = container.get('resources', {})
            for part in ('requests', 'limits'):
                for what in ('cpu', 'memory'):
                    if what not in resources.get(part, {}):
                        problems.append(f'{where}: resources.{part}.{what} is missing')
            if 'KAFKA_SASL_PASSWORD' in env:
                problems.append(f'{where}: KAFKA_SASL_PASSWORD in the environment; the chart uses the _FILE variable')
            if 'KAFKA_SASL_PASSWORD' in env or 'WEBHOOK_URL' in env:
                problems.append(f'{where}: a secret in the environment; the chart mounts secrets as files')
            if component == 'notifier' and 'WEBHOOK_URL_FILE' not in env:
                problems.append(f'{where}: WEBHOOK_URL_FILE is missing')
            for secret_file in ('KAFKA_SASL_PASSWORD_FILE', 'WEBHOOK_URL_FILE'):
                path = env.get(secret_file, {}).get('value')
                if path:
                    mount = mounts.get(os.path.dirname(path))
                    if not mount or 'secret' not in volumes.get(mount['name'], {}):
                        problems.append(f'{where}: {secret_file} is not on a mounted Secret')
        selects = [
            s
            for s in services
            if s['spec'].get('selector')
            and all(labels.get(k) == v for k, v in s['spec']['selector'].items())
        ]
        if services and len(selects) != 1:
            problems.append(f'{name}: {len(selects)} metrics Services select its pods; want 1')
        pdbs = [
            p
            for p in by_kind['PodDisruptionBudget']
            if all(labels.get(k) == v for k, v in p['spec']['selector']['matchLabels'].items())
        ]
        if len(pdbs) != 1:
            problems.append(f'{name}: {len(pdbs)} PodDisruptionBudgets cover its pods; want 1')
        policies = [
            p
            for p in by_kind['NetworkPolicy']
            if all(labels.get(k) == v for k, v in p['spec']['podSelector'].get('matchLabels', {}).items())
        ]
        if by_kind['NetworkPolicy'] and len(policies) != 1:
            problems.append(f'{name}: {len(policies)} NetworkPolicies select its pods; want 1')
        for policy in policies:
            ports = [p.get('port') for rule in policy['spec'].get('ingress', []) for p in rule.get('ports', [])]
            if 'metrics' not in ports:
                problems.append(f'NetworkPolicy/{policy["metadata"]["name"]}: does not let Prometheus reach metrics')
        if component == 'reconciler' and (
            deploy['spec'].get('replicas') != 1 or deploy['spec'].get('strategy', {}).get('type') != 'Recreate'
        ):
            problems.append(f'{name}: one reconciler at a time (replicas 1, strategy Recreate): two fence each other')
        if deploy['spec']['selector']['matchLabels'] and not all(
            labels.get(k) == v for k, v in deploy['spec']['selector']['matchLabels'].items()
        ):
            problems.append(f'{name}: its selector does not match its own pods')

    for sa in by_kind['ServiceAccount']:
        if sa.get('automountServiceAccountToken') is not False:
            problems.append(f'ServiceAccount/{sa["metadata"]["name"]}: mounts the API token by default')

    jobs = {'enricher': 'sarwatch', 'notifier': 'sarwatch-notifier', 'reconciler': 'sarwatch-reconciler'}
    for monitor in by_kind['ServiceMonitor']:
        name = f'ServiceMonitor/{monitor["metadata"]["name"]}'
        match = monitor['spec']['selector']['matchLabels']
        selected = [s for s in services if all(s['metadata']['labels'].get(k) == v for k, v in match.items())]
        if len(selected) != 1:
            problems.append(f'{name}: selects {len(selected)} Services; want 1')
            continue
        service_labels = selected[0]['metadata']['labels']
        job = service_labels.get(monitor['spec'].get('jobLabel', ''), selected[0]['metadata']['name'])
        want = jobs.get(service_labels.get('app.kubernetes.io/component'))
        if job != want:
            problems.append(f'{name}: scrape job {job!r}; infra/prometheus/alerts.yml expects {want!r}')
        ports = {p['name'] for p in selected[0]['spec']['ports']}
        for endpoint in monitor['spec']['endpoints']:
            if endpoint.get('port') not in ports:
                problems.append(f'{name}: endpoint port {endpoint.get("port")} is no port of the Service')

    alerts_text = (INFRA / 'prometheus' / 'alerts.yml').read_text()
    dashboard_text = (INFRA / 'grafana' / 'dashboards' / 'sarwatch.json').read_text()
    for rule in by_kind['PrometheusRule']:
        if rule['spec'] != yaml.safe_load(alerts_text):
            problems.append(f'PrometheusRule/{rule["metadata"]["name"]}: differs from infra/prometheus/alerts.yml')
    for cm in by_kind['ConfigMap']:
        data = cm.get('data', {})
        if 'alerts.yml' in data and data['alerts.yml'].strip() != alerts_text.strip():
            problems.append(f'ConfigMap/{cm["metadata"]["name"]}: alerts.yml differs from infra/prometheus/alerts.yml')
        if 'sarwatch.json' in data:
            if data['sarwatch.json'].strip() != dashboard_text.strip():
                problems.append(
                    f'ConfigMap/{cm["metadata"]["name"]}: differs from infra/grafana/dashboards/sarwatch.json'
                )
            if cm['metadata'].get('labels', {}).get('grafana_dashboard') != '1':
                problems.append(f'ConfigMap/{cm["metadata"]["name"]}: no label grafana_dashboard: "1"')
    return problems


def split_into(text, directory):
    """Writes each object of helm's output to its own file, as helm printed it."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob('*.yaml'):
        old.unlink()
    count = 0
    for chunk in re.split(r'^---\s*$', text, flags=re.MULTILINE):
        doc = yaml.safe_load(chunk)
        if not doc:
            continue
        name = f'{doc["kind"]}-{doc["metadata"]["name"]}.yaml'.lower()
        (directory / name).write_text('---\n' + chunk.strip('\n') + '\n')
        count += 1
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--crd-dir', required=True, help='CustomResourceDefinition YAML files')
    parser.add_argument('-k', '--kube-version', action='append', help='Kubernetes version(s) to validate against')
    parser.add_argument('--split-into', help='also write each object to DIR/NAME/<kind>-<name>.yaml')
    parser.add_argument('sets', nargs='+', metavar='NAME=FILE', help='rendered manifests, named')
    args = parser.parse_args()
    kube_versions = args.kube_version or [kv.latest_version()]
    crds = load_crd_schemas(args.crd_dir)
    if not crds:
        sys.exit(f'no CustomResourceDefinition in {args.crd_dir}')
    custom_validators = {}
    failed = 0
    for item in args.sets:
        set_name, _, file = item.partition('=')
        text = Path(file).read_text()
        docs = [d for d in yaml.safe_load_all(text) if d]
        problems = []
        used = collections.Counter()
        for doc in docs:
            which, found = schema_problems(doc, kube_versions, crds, custom_validators)
            used[which] += 1
            problems += [f'{doc.get("kind")}/{doc.get("metadata", {}).get("name")}: {p}' for p in found]
        problems += policy_problems(docs)
        kinds = collections.Counter(d['kind'] for d in docs)
        summary = ', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))
        status = 'ok' if not problems else f'{len(problems)} PROBLEM(S)'
        print(
            f'  {set_name}: {len(docs)} objects ({summary}); {used["k8s"]} against the Kubernetes '
            f'{"/".join(kube_versions)} schemas, {used["CRD"]} against CRD schemas, then the chart\'s promises: {status}'
        )
        for problem in problems:
            print(f'    FAIL {problem}')
        failed += bool(problems)
        if args.split_into:
            split_into(text, Path(args.split_into) / set_name)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
