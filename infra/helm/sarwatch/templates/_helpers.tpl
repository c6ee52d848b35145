{{/*
Names and labels. The full name is <release>-sarwatch unless the release name already contains "sarwatch".
*/}}
{{- define "sarwatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "sarwatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The name of one component's objects: <fullname>-enricher, <fullname>-notifier, <fullname>-reconciler. */}}
{{- define "sarwatch.componentName" -}}
{{- printf "%s-%s" (include "sarwatch.fullname" .root | trunc 54 | trimSuffix "-") .component }}
{{- end }}

{{- define "sarwatch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "sarwatch.labels" -}}
helm.sh/chart: {{ include "sarwatch.chart" . }}
{{ include "sarwatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sarwatch
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "sarwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sarwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels and selector labels of one component; call with (dict "root" $ "component" "enricher"). */}}
{{- define "sarwatch.componentLabels" -}}
{{ include "sarwatch.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "sarwatch.componentSelectorLabels" -}}
{{ include "sarwatch.selectorLabels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "sarwatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sarwatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name: the name of an existing ServiceAccount is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The reconciler's ServiceAccount: its own by default, so that only its role may read the trail. */}}
{{- define "sarwatch.reconcilerServiceAccountName" -}}
{{- $sa := .Values.reconciler.serviceAccount }}
{{- if $sa.create }}
{{- default (include "sarwatch.componentName" (dict "root" . "component" "reconciler")) $sa.name }}
{{- else }}
{{- required "reconciler.serviceAccount.name: the name of an existing ServiceAccount is required when reconciler.serviceAccount.create is false" $sa.name }}
{{- end }}
{{- end }}

{{- define "sarwatch.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Checks across values that values.schema.json cannot express, with the variable and the fix in each message.
The services would refuse the same settings at start (exit code 2); failing here shows it before anything runs.
*/}}
{{- define "sarwatch.validate" -}}
{{- $k := .Values.kafka }}
{{- $mechanism := $k.sasl.mechanism }}
{{- if and $k.caBundle.secretName $k.caBundle.configMapName }}
{{- fail "kafka.caBundle: set secretName or configMapName, not both" }}
{{- end }}
{{- if and (not $k.ssl) (or $k.caBundle.secretName $k.caBundle.configMapName $k.clientCertificate.secretName) }}
{{- fail "kafka.caBundle / kafka.clientCertificate: need kafka.ssl=true (KAFKA_SSL_* files are used only over TLS)" }}
{{- end }}
{{- if has $mechanism (list "plain" "scram-sha-256" "scram-sha-512") }}
{{- if not $k.sasl.username }}
{{- fail (printf "kafka.sasl.username (KAFKA_SASL_USERNAME): required with kafka.sasl.mechanism=%s" $mechanism) }}
{{- end }}
{{- if not $k.sasl.passwordSecret.name }}
{{- fail (printf "kafka.sasl.passwordSecret.name: the name of an existing Secret holding the Kafka password (key %q) is required with kafka.sasl.mechanism=%s" $k.sasl.passwordSecret.key $mechanism) }}
{{- end }}
{{- else if or $k.sasl.username $k.sasl.passwordSecret.name }}
{{- fail (printf "kafka.sasl.username / kafka.sasl.passwordSecret.name: only used with plain or scram-*, but kafka.sasl.mechanism is %q" $mechanism) }}
{{- end }}
{{- if and (eq $mechanism "aws-msk-iam") (not $k.ssl) }}
{{- fail "kafka.ssl: must be true with kafka.sasl.mechanism=aws-msk-iam (MSK's IAM listeners, port 9098, are TLS only)" }}
{{- end }}
{{- $neededSeconds := add (div (add .Values.shutdownTimeoutMs 999) 1000) 5 }}
{{- if lt (int .Values.terminationGracePeriodSeconds) (int $neededSeconds) }}
{{- fail (printf "terminationGracePeriodSeconds=%v: must be at least %d, SHUTDOWN_TIMEOUT_MS (shutdownTimeoutMs=%v) plus 5 s, or Kubernetes kills a service that is still draining" .Values.terminationGracePeriodSeconds $neededSeconds .Values.shutdownTimeoutMs) }}
{{- end }}
{{- if and .Values.notifier.enabled (not .Values.notifier.webhook.secretName) }}
{{- fail "notifier.webhook.secretName: the name of an existing Secret holding the webhook URL is required with notifier.enabled=true (kubectl create secret generic sarwatch-webhook --from-literal=url=https://…)" }}
{{- end }}
{{- if and (eq .Values.enricher.metricsPort .Values.notifier.metricsPort) .Values.notifier.enabled }}
{{- fail "enricher.metricsPort and notifier.metricsPort: must differ, so that one Service port name means one thing" }}
{{- end }}
{{- if .Values.reconciler.enabled }}
{{- if not .Values.reconciler.trail.bucket }}
{{- fail "reconciler.trail.bucket: the S3 bucket of the CloudTrail trail (--bucket) is required with reconciler.enabled=true" }}
{{- end }}
{{- if not .Values.reconciler.trail.from }}
{{- fail "reconciler.trail.from: where the first run starts (--from, e.g. 2026-12-01) is required with reconciler.enabled=true; give the time the enricher started writing the event index, or later" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Environment variables both services read: Kafka, AWS, logging, shutdown, metrics. Call with (dict "root" $ "port" N). */}}
{{- define "sarwatch.commonEnv" -}}
{{- $k := .root.Values.kafka }}
{{ include "sarwatch.kafkaConnectionEnv" .root }}
- name: KAFKA_CREATE_TOPICS
  value: {{ $k.createTopics | quote }}
- name: KAFKA_REPLICATION_FACTOR
  value: {{ $k.replicationFactor | quote }}
- name: KAFKA_ALERTS_TOPIC
  value: {{ $k.topics.alerts | quote }}
{{ include "sarwatch.runtimeEnv" (merge (dict "shutdown" true) .) }}
{{- end }}

{{/* How every Kafka client connects (docs/kafka-connection.md): brokers, TLS files, SASL. */}}
{{- define "sarwatch.kafkaConnectionEnv" -}}
{{- $k := .Values.kafka -}}
- name: KAFKA_BROKERS
  value: {{ $k.brokers | quote }}
- name: KAFKA_SSL
  value: {{ $k.ssl | quote }}
{{- if or $k.caBundle.secretName $k.caBundle.configMapName }}
- name: KAFKA_SSL_CA_FILE
  value: {{ printf "/etc/sarwatch/kafka-ca/%s" $k.caBundle.key | quote }}
{{- end }}
{{- if $k.clientCertificate.secretName }}
- name: KAFKA_SSL_CERT_FILE
  value: /etc/sarwatch/kafka-client/tls.crt
- name: KAFKA_SSL_KEY_FILE
  value: /etc/sarwatch/kafka-client/tls.key
{{- end }}
{{- with $k.sasl.mechanism }}
- name: KAFKA_SASL_MECHANISM
  value: {{ . | quote }}
{{- end }}
{{- with $k.sasl.username }}
- name: KAFKA_SASL_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- if $k.sasl.passwordSecret.name }}
- name: KAFKA_SASL_PASSWORD_FILE
  value: /var/run/secrets/kafka/password
{{- end }}
{{- end }}

{{/*
AWS, logging and metrics, which every service reads; with "shutdown", SHUTDOWN_TIMEOUT_MS too (the reconciler has
none). Call with (dict "root" $ "port" N).
*/}}
{{- define "sarwatch.runtimeEnv" -}}
- name: AWS_REGION
  value: {{ .root.Values.aws.region | quote }}
- name: LOG_LEVEL
  value: {{ .root.Values.logLevel | quote }}
- name: LOG_FORMAT
  value: json
{{- if .shutdown }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ .root.Values.shutdownTimeoutMs | quote }}
{{- end }}
- name: METRICS_HOST
  value: 0.0.0.0
- name: METRICS_PORT
  value: {{ .port | quote }}
{{- end }}

{{/* Volumes every service mounts: /tmp, and the Kafka files taken from existing Secrets and ConfigMaps. */}}
{{- define "sarwatch.commonVolumes" -}}
{{- $k := .Values.kafka }}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if $k.sasl.passwordSecret.name }}
- name: kafka-password
  secret:
    secretName: {{ $k.sasl.passwordSecret.name }}
    defaultMode: 0440
    items:
      - key: {{ $k.sasl.passwordSecret.key }}
        path: password
{{- end }}
{{- if $k.caBundle.secretName }}
- name: kafka-ca
  secret:
    secretName: {{ $k.caBundle.secretName }}
    defaultMode: 0444
    items:
      - key: {{ $k.caBundle.key }}
        path: {{ $k.caBundle.key }}
{{- else if $k.caBundle.configMapName }}
- name: kafka-ca
  configMap:
    name: {{ $k.caBundle.configMapName }}
    defaultMode: 0444
    items:
      - key: {{ $k.caBundle.key }}
        path: {{ $k.caBundle.key }}
{{- end }}
{{- if $k.clientCertificate.secretName }}
- name: kafka-client-certificate
  secret:
    secretName: {{ $k.clientCertificate.secretName }}
    defaultMode: 0440
    items:
      - key: tls.crt
        path: tls.crt
      - key: tls.key
        path: tls.key
{{- end }}
{{- with .Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "sarwatch.commonVolumeMounts" -}}
{{- $k := .Values.kafka }}
- name: tmp
  mountPath: /tmp
{{- if $k.sasl.passwordSecret.name }}
- name: kafka-password
  mountPath: /var/run/secrets/kafka
  readOnly: true
{{- end }}
{{- if or $k.caBundle.secretName $k.caBundle.configMapName }}
- name: kafka-ca
  mountPath: /etc/sarwatch/kafka-ca
  readOnly: true
{{- end }}
{{- if $k.clientCertificate.secretName }}
- name: kafka-client-certificate
  mountPath: /etc/sarwatch/kafka-client
  readOnly: true
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The pod-level settings of the enricher's and the notifier's Deployments. */}}
{{- define "sarwatch.podSpecCommon" -}}
serviceAccountName: {{ include "sarwatch.serviceAccountName" . }}
{{ include "sarwatch.podSecurity" . }}
{{- end }}

{{/* The pod-level settings every Deployment shares, but its ServiceAccount. */}}
{{- define "sarwatch.podSecurity" -}}
automountServiceAccountToken: {{ .Values.serviceAccount.automountServiceAccountToken }}
terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The Prometheus job of a component, as infra/prometheus/alerts.yml and prometheus.yml name them. */}}
{{- define "sarwatch.prometheusJob" -}}
{{- if eq . "enricher" }}sarwatch{{ else }}sarwatch-{{ . }}{{ end }}
{{- end }}
