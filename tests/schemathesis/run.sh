#!/usr/bin/env bash
# Fuzzes a running psyter-server against its own /openapi.json with schemathesis.
#
#   PSYTER_ACCESS_TOKEN=<bearer token> tests/schemathesis/run.sh http://127.0.0.1:8080 patient
#
# `cargo xtask test` calls this for the demo patient and the demo provider. Options live in
# schemathesis.toml beside this script; this only adds what differs per run.
#
# Environment:
#   PSYTER_ACCESS_TOKEN  access token of the user to fuzz as (required)
#   SCHEMATHESIS         schemathesis executable (default: ~/.cache/psyter/venv/bin/schemathesis)
#   PSYTER_REPORT_DIR    reports go to \$PSYTER_REPORT_DIR/<role>/junit.xml (default: target/schemathesis)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
base=${1:?usage: run.sh BASE_URL [patient|provider]}
base=${base%/}
role=${2:-patient}
schemathesis=${SCHEMATHESIS:-$HOME/.cache/psyter/venv/bin/schemathesis}
: "${PSYTER_ACCESS_TOKEN:?set PSYTER_ACCESS_TOKEN to a bearer token (POST /v1/auth/login)}"
export PSYTER_ACCESS_TOKEN

args=()
case $role in
  # The patient pass covers every operation.
  patient) ;;
  # The provider pass repeats only what behaves differently for a provider.
  provider) args+=(--include-path-regex '^/v1/(me|appointments)') ;;
  *) echo "run.sh: unknown role '$role' (patient or provider)" >&2; exit 2 ;;
esac
if [[ -n ${CI:-} || ! -t 1 ]]; then
  args+=(--no-color)
fi

reports=${PSYTER_REPORT_DIR:-$here/../../target/schemathesis}/$role
mkdir -p "$reports"
# Run from the report directory so nothing (e.g. Hypothesis' cache) lands in the source tree.
cd "$reports"
set -x
exec "$schemathesis" --config-file "$here/schemathesis.toml" run "$base/openapi.json" \
  --url "$base" --wait-for-schema 30 --report junit --report-junit-path "$reports/junit.xml" "${args[@]}"
