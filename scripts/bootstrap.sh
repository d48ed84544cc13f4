#!/usr/bin/env bash
# Installs what portal-bot needs on a fresh Debian/Ubuntu machine: a virtual environment
# with the project (and its dev tools with --dev), and Debian's Chromium when no browser
# is found. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "portal-bot necesita Python 3.11 o más nuevo (se encontró: $("$python" --version 2>&1))." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$python" -m venv .venv
  fi
fi
stamp=".venv/.installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi

have_browser() {
  [ -n "${PORTAL_BOT_BROWSER:-}" ] && [ -x "${PORTAL_BOT_BROWSER}" ] && return 0
  ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1 && return 0
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$name" >/dev/null 2>&1 && return 0
  done
  return 1
}
if ! have_browser; then
  echo "Instalando Chromium de Debian (no se encontró ningún navegador)…"
  apt_install chromium fonts-dejavu-core
fi
