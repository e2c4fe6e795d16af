{{- define "todo-app.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "todo-app.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "todo-app.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "todo-app.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component: include "todo-app.selector" (list . "backend") */}}
{{- define "todo-app.selector" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "todo-app.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "todo-app.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "todo-app.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "todo-app.configName" -}}{{ include "todo-app.fullname" . }}-config{{- end -}}

{{- define "todo-app.secretName" -}}
{{- if .Values.secrets.existingSecret -}}
{{- .Values.secrets.existingSecret -}}
{{- else -}}
{{- include "todo-app.fullname" . }}-secrets
{{- end -}}
{{- end -}}

{{- define "todo-app.image" -}}
{{- printf "%s:%s" .repository .tag -}}
{{- end -}}

{{/* A value given, or the one already in the cluster (kept across upgrades), or a new random one. */}}
{{- define "todo-app.secretValue" -}}
{{- $root := index . 0 -}}{{- $key := index . 1 -}}{{- $given := index . 2 -}}
{{- if $given -}}
{{- $given -}}
{{- else -}}
{{- $existing := lookup "v1" "Secret" $root.Release.Namespace (printf "%s-secrets" (include "todo-app.fullname" $root)) -}}
{{- if and $existing (index ($existing.data | default dict) $key) -}}
{{- index $existing.data $key | b64dec -}}
{{- else -}}
{{- randAlphaNum 32 -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "todo-app.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .uid }}
runAsGroup: {{ .uid }}
fsGroup: {{ .uid }}
seccompProfile:
  type: RuntimeDefault
{{- if not (kindIs "invalid" .unprivilegedPortStart) }}
sysctls:
  - name: net.ipv4.ip_unprivileged_port_start
    value: {{ .unprivilegedPortStart | quote }}
{{- end }}
{{- end -}}

{{- define "todo-app.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* httpGet probes from values: include "todo-app.probe" (list $probe "http") */}}
{{- define "todo-app.httpProbe" -}}
{{- $probe := index . 0 -}}
httpGet:
  path: {{ $probe.path }}
  port: {{ index . 1 }}
{{- with $probe.initialDelaySeconds }}
initialDelaySeconds: {{ . }}
{{- end }}
periodSeconds: {{ $probe.periodSeconds }}
timeoutSeconds: {{ $probe.timeoutSeconds }}
failureThreshold: {{ $probe.failureThreshold }}
{{- end -}}

{{- define "todo-app.writableVolumeName" -}}
{{- . | trimPrefix "/" | replace "/" "-" | replace "." "" | lower | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{/*
Environment variables from the app's Secret, by the names the code reads: NAME: KEY or NAME: {key, optional}.
secretEnv renders the whole `env:` block (nothing when the map is empty); secretEnvEntries only its entries.
*/}}
{{- define "todo-app.secretEnvEntries" -}}
{{- $root := index . 0 -}}
{{- range $name, $ref := index . 1 }}
{{- if $ref }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "todo-app.secretName" $root }}
      {{- if kindIs "map" $ref }}
      key: {{ $ref.key }}
      {{- if $ref.optional }}
      optional: true
      {{- end }}
      {{- else }}
      key: {{ $ref }}
      {{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "todo-app.secretEnv" -}}
{{- $entries := include "todo-app.secretEnvEntries" . | trim -}}
{{- if $entries -}}
env:
{{ $entries | indent 2 }}
{{- end }}
{{- end }}
