{{/*
Names of the objects: the release name, or "<release>-coxswain" when it does not already say
coxswain. With release name coxswain they are those of deploy/kubernetes.
*/}}
{{- define "coxswain.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/*
What the StatefulSet and both Services select the nodes by, and the ServiceMonitor the gateway Service
by. Fixed, as in deploy/kubernetes: a StatefulSet's selector cannot change after its creation.
*/}}
{{- define "coxswain.selectorLabels" -}}
app.kubernetes.io/name: coxswain
{{- end -}}

{{/*
Labels of every object: the selector labels and Helm's own bookkeeping. Never on the pod template or
the claim template: a new chart version would roll every node, or be refused (claim templates are
immutable).
*/}}
{{- define "coxswain.labels" -}}
{{ include "coxswain.selectorLabels" . }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The labels of a monitoring object: those of every object, and monitoring.labels. */}}
{{- define "coxswain.monitoringLabels" -}}
{{ include "coxswain.labels" . }}
{{- with .Values.monitoring.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The coxswain-settings ConfigMap's name. */}}
{{- define "coxswain.settings" -}}
{{ include "coxswain.fullname" . }}-settings
{{- end -}}
