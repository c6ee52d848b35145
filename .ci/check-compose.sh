#!/usr/bin/env bash
# Validates docker-compose.yml against the Compose Specification with compose-go, the loader Docker Compose itself
# uses (tools/compose-check): schema, interpolation, consistency, every profile enabled. No Docker engine needed.
# The first run fetches the Go modules pinned in tools/compose-check/go.sum from the Go module proxy and compiles;
# later runs reuse Go's module and build caches.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null; then
  echo "check-compose: needs Go 1.24 or newer (go)" >&2
  exit 1
fi
go -C tools/compose-check run . "$PWD/docker-compose.yml"
