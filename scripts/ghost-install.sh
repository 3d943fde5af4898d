#!/usr/bin/env bash
# Prints the folder of a Ghost install from the npm registry's `ghost` package, set up the way
# Ghost-CLI does it (the package unpacked, then its own dependencies installed inside it), in a
# cache outside the project. The tests start this real Ghost to check the newsletter drafts.
# Ghost runs on its own Node 22 (scripts/node-binary.sh); its native modules (better-sqlite3, re2)
# are built here against that Node's headers, since their prebuilt downloads are not reachable.
#   bash scripts/ghost-install.sh   # first run: about 4 minutes on two cores; then instant
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${GHOST_VERSION:-6.65.0}"
default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/hallo/ghost"
[ "$(id -u)" -eq 0 ] && default_cache=/var/cache/hallo/ghost
dir="${HALLO_GHOST_CACHE:-$default_cache}/$version"
node_bin="$(bash "$here/node-binary.sh" 22)"
if [ ! -f "$dir/.installed" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  echo "installing Ghost $version into $dir" >&2
  (
    cd "$dir"
    export PATH="$node_bin:$PATH"
    npm pack --silent "ghost@$version" >/dev/null
    tar xzf "ghost-$version.tgz" --strip-components=1 && rm "ghost-$version.tgz"
    # node-gyp builds against these headers instead of downloading them.
    export npm_config_nodedir
    npm_config_nodedir="$(cd "$node_bin"/../node/node_modules/node-linux-* && pwd)"
    # Ghost pins knex 2 beside a bookshelf that names an older peer; its own lockfile is pnpm's.
    npm install --omit=dev --legacy-peer-deps --foreground-scripts --no-audit --no-fund \
      --loglevel=error >"$dir/install.log" 2>&1 || { tail -30 "$dir/install.log" >&2; exit 1; }
    [ -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ] \
      || { echo "better-sqlite3 was not built (see $dir/install.log)" >&2; exit 1; }
  )
  touch "$dir/.installed"
fi
echo "$node_bin" >"$dir/.node-bin"
echo "$dir"
