#!/usr/bin/env bash
# Installs oasdiff (the Go module github.com/oasdiff/oasdiff, pinned below) with the machine's Go
# toolchain through the Go module proxy, into a cache directory, and prints the binary's path.
# An existing binary of the pinned version is reused. OASDIFF_BIN points at another binary.
set -euo pipefail
version="v1.37.0"
if [ -n "${OASDIFF_BIN:-}" ]; then
  echo "$OASDIFF_BIN"
  exit 0
fi
dir="${OASDIFF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/runway/oasdiff-${version}}"
bin="$dir/oasdiff"
if [ ! -x "$bin" ]; then
  # The machine's Go toolchain (oasdiff v1.37 needs Go 1.26 or newer; Debian's is older).
  [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"
  if ! command -v go >/dev/null 2>&1; then
    echo "oasdiff needs a Go toolchain (go, 1.26 or newer) to install; none is on PATH" >&2
    exit 1
  fi
  echo "installing oasdiff ${version} into ${dir}" >&2
  mkdir -p "$dir"
  GOBIN="$dir" go install "github.com/oasdiff/oasdiff@${version}" >&2
fi
echo "$bin"
