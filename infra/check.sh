#!/usr/bin/env bash
# Validates what cannot run here (no Docker engine): the compose file against the Compose
# specification's JSON schema.
set -euo pipefail
cd "$(dirname "$0")"
check-jsonschema --builtin-schema vendor.compose-spec compose.yaml
