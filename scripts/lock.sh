#!/usr/bin/env bash
# Refreshes the pinned dependencies that scripts/bootstrap.sh installs:
#   requirements/lock.txt          runtime + dev tools (scripts/test.sh, CI)
#   requirements/lock-runtime.txt  runtime only, the same versions (scripts/demo.sh)
# Both pin every package with its hashes, for Python 3.11 and newer on any platform
# (markers say which package is for which). uv, the resolver, lives in a throw-away
# virtual environment; the project never depends on it.
#
#   bash scripts/lock.sh                       # after editing pyproject.toml: keeps the pins
#   bash scripts/lock.sh --upgrade             # every package to its newest release
#   bash scripts/lock.sh --upgrade-package X   # only X (and what X needs)
#
# Then it checks that every pin has a wheel for CPython 3.11, 3.12 and 3.13 on Linux
# x86_64, so a fresh machine never has to build one.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
uv_version=0.13.8

tool=$(mktemp -d "${TMPDIR:-/tmp}/portal-bot-lock.XXXXXX")
trap 'rm -rf "$tool"' EXIT
"$python" -m venv "$tool/venv"
"$tool/venv/bin/python" -m pip install -q --disable-pip-version-check "uv==$uv_version"
uv="$tool/venv/bin/uv"

compile=("$uv" pip compile --quiet --universal --python-version 3.11 --generate-hashes
  --custom-compile-command "bash scripts/lock.sh")
# setuptools is the build backend: bootstrap installs the project without build
# isolation, so the backend is pinned too instead of fetched at install time.
"${compile[@]}" "$@" pyproject.toml requirements/build.in --extra dev -o requirements/lock.txt
"${compile[@]}" pyproject.toml requirements/build.in -c requirements/lock.txt \
  -o requirements/lock-runtime.txt

for version in 3.11 3.12 3.13; do
  if ! "$uv" pip compile --quiet --python-version "$version" \
    --python-platform x86_64-manylinux_2_28 --only-binary :all: \
    pyproject.toml requirements/build.in --extra dev -c requirements/lock.txt \
    -o /dev/null; then
    echo "Un paquete fijado en requirements/lock.txt no tiene rueda para Python $version" \
      "en Linux x86_64 (ver arriba)." >&2
    exit 1
  fi
done
echo "requirements/lock.txt y requirements/lock-runtime.txt al día."
