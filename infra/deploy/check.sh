#!/usr/bin/env bash
# `npm run check:deploy`: lints the Dockerfile, validates docker-compose.yml and every rendered
# k8s manifest (infra/deploy/check.ts). Needs `kubectl` to render kustomize offline: the
# machine's own if it has one, else Debian's kubernetes-client package (installed here).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! kubectl kustomize --help > /dev/null 2>&1; then
  echo "check:deploy: kubectl not found; installing Debian's kubernetes-client" >&2
  sudo_=""
  if [ "$(id -u)" != 0 ]; then sudo_="sudo"; fi
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends kubernetes-client > /dev/null
fi

# kustomize's deprecation notes (commonLabels, bases: kept for the older kustomize in
# Debian's kubectl) go to stderr; the check reports what matters.
exec node infra/deploy/check.ts
