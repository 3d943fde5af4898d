#!/usr/bin/env bash
# Installs what hallo needs on a fresh Debian/Ubuntu (apt) or macOS (Homebrew) machine, then
# installs the npm packages and builds. Safe to run again: it only installs what is missing.
#   bash scripts/setup.sh           # to run hallo: ffmpeg, redis-server, npm ci, build
#   bash scripts/setup.sh --tests   # also what the tests need: espeak-ng (audio fixtures), chromium, firefox-esr, webkit2gtk-driver (browser tests), LibreOffice Calc (CSV), Ghost (newsletter)
#   bash scripts/setup.sh --transcripts  # also download the speech model (TRANSCRIBE_MODEL, default base-q5_1)
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=false
want_model=false
for arg in "$@"; do
  case "$arg" in
    --tests) want_tests=true ;;
    --transcripts) want_model=true ;;
    *) echo "usage: bash scripts/setup.sh [--tests] [--transcripts]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[hallo setup]\033[0m %s\n' "$*"; }

# Supported: the Node.js LTS lines 22, 24 and 26. Node 20.19+ (past its end of life) still runs
# hallo and is tested in CI for as long as that costs nothing; it ends with the AWS SDK's support.
node_major() { node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?a:0)' 2>/dev/null || echo 0; }
major=$(node_major)
if [ "$major" -eq 0 ]; then
  say "Node.js 22 or newer is needed (found: $(node --version 2>/dev/null || echo none)). Install a current LTS (22, 24 or 26) from your package manager or nodejs.org, then run this again."
  exit 1
fi
if [ "$major" -lt 22 ]; then
  say "warning: Node.js $(node --version) is past its end of life. hallo still runs on it today, but supports only 22, 24 and 26; please upgrade."
fi

# Debian package name -> command it provides. The speech engine (whisper.cpp inside smart-whisper)
# is compiled at install, hence a C++ toolchain.
declare -A commands=([ffmpeg]=ffmpeg [redis-server]=redis-server [g++]=g++ [make]=make [python3]=python3)
if $want_tests; then
  commands[espeak-ng]=espeak-ng
  commands[chromium]=chromium
  # The listener's flows also run in Firefox (WebDriver BiDi, no driver needed) and in WebKitGTK
  # (its WebDriver and MiniBrowser, on a virtual X display).
  commands[firefox-esr]=firefox-esr
  commands[webkit2gtk-driver]=WebKitWebDriver
  commands[xvfb]=Xvfb
  # sox writes the AMR fixture (ffmpeg here decodes AMR but cannot encode it), through opencore.
  commands[sox]=sox
  # LibreOffice Calc opens the bundle's clips.csv in the security tests, as an editor would.
  commands[libreoffice-calc-nogui]=soffice
fi

missing=()
for pkg in "${!commands[@]}"; do
  command -v "${commands[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
done
# Libraries without a command of their own (Debian package names).
if $want_tests && command -v dpkg >/dev/null 2>&1; then
  # GStreamer's AAC encoder and MP4 muxer: without them WebKitGTK has no MediaRecorder.
  for pkg in libsox-fmt-all libopencore-amrnb0 gstreamer1.0-libav gstreamer1.0-plugins-bad; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v brew >/dev/null 2>&1; then
    brew_names=()
    for pkg in "${missing[@]}"; do
      # Firefox comes as an app on macOS (brew install --cask firefox; FIREFOX_PATH points at it).
      case "$pkg" in redis-server) brew_names+=(redis) ;; libsox-fmt-all|libopencore-amrnb0|firefox-esr|webkit2gtk-driver|xvfb|gstreamer1.0-*|libreoffice-calc-nogui|g++|make|python3) ;; *) brew_names+=("$pkg") ;; esac
    done
    brew install "${brew_names[@]}"
  else
    say "Please install ${missing[*]} with your package manager, then run this again."
    exit 1
  fi
fi

# whisper.cpp's default build uses no AVX: on a CPU with AVX2/FMA/F16C it runs about 8x faster
# built for it (measured: bench/transcribe). The flags reach only what compiles at install.
engine_flags=()
if [ "$(uname -m)" = x86_64 ] && grep -qw avx2 /proc/cpuinfo 2>/dev/null && grep -qw fma /proc/cpuinfo && grep -qw f16c /proc/cpuinfo; then
  engine_flags=(CFLAGS="-O3 -march=x86-64-v3" CXXFLAGS="-O3 -march=x86-64-v3")
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci; the speech engine compiles for about a minute)"
  env "${engine_flags[@]}" npm ci --no-audit --no-fund --loglevel=error
fi
say "building"
npm run --silent build
if $want_model; then
  model="${TRANSCRIBE_MODEL:-base-q5_1}"
  say "speech model $model (hallo models install; checked against its pinned SHA-256)"
  case "$model" in */*|*.bin) say "TRANSCRIBE_MODEL is a file of your own: nothing to download" ;; *) node dist/main.js models install "$model" ;; esac
fi
if $want_tests; then
  say "Ghost for the newsletter tests (scripts/ghost-install.sh; cached after the first run)"
  bash scripts/ghost-install.sh >/dev/null
fi
say "ready"
