#!/usr/bin/env bash
# One command from a fresh clone to a running hallo on its embedded defaults:
# disk storage under ./storage, API and worker in one process, Redis at REDIS_URL (a private
# redis-server under ./storage/redis is started when nothing answers there).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ ! -f .env ]; then
  token=$(node -e 'console.log(require("crypto").randomBytes(24).toString("base64url"))')
  printf 'ADMIN_TOKEN=%s\n' "$token" > .env
  chmod 600 .env
  printf '\nCreated .env with an ADMIN_TOKEN for the admin API (kept in .env):\n  %s\n\n' "$token"
fi
exec npm start
