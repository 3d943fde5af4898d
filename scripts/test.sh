#!/usr/bin/env bash
# The README's test command (npm test): installs what the tests need where it is missing (apt
# packages, npm ci, the build; see setup.sh --tests), then runs every test. Arguments go to jest,
# e.g. `npm test -- tests/security`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
exec node node_modules/jest/bin/jest.js "$@"
