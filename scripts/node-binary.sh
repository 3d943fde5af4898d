#!/usr/bin/env bash
# Prints the folder holding a Node.js binary of the given major version, installed from the npm
# registry (the `node` package) into a cache outside the project, so CI can run the tests on each
# supported LTS line without touching the machine's Node or the project's node_modules.
#   PATH="$(bash scripts/node-binary.sh 26):$PATH" npm test
set -euo pipefail
major="${1:?usage: node-binary.sh <major version>}"
[[ "$major" =~ ^[0-9]+$ ]] || { echo "not a major version: $major" >&2; exit 2; }
# As root, a cache other users can read: the image test runs hallo as an unprivileged user.
default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/hallo/node"
[ "$(id -u)" -eq 0 ] && default_cache=/var/cache/hallo/node
dir="${HALLO_NODE_CACHE:-$default_cache}/$major"
bin="$dir/node_modules/.bin"
if ! "$bin/node" -e "process.exit(process.versions.node.split('.')[0] === '$major' ? 0 : 1)" 2>/dev/null; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "node@$major" >&2
fi
"$bin/node" --version >&2
echo "$bin"
