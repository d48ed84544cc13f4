#!/usr/bin/env bash
# Installs what portal-bot needs on a fresh Debian/Ubuntu machine: a virtual environment
# with the pinned dependencies (requirements/lock-runtime.txt, or requirements/lock.txt
# with --dev; bash scripts/lock.sh refreshes them) and the project, and a Chromium when no
# browser is found. Safe to run again: it only does what is missing, and installs again
# when the lock file, pyproject.toml or the Python changed.
set -euo pipefail
cd "$(dirname "$0")/.."

extras="" lock=requirements/lock-runtime.txt
if [ "${1:-}" = "--dev" ]; then extras="[dev]" lock=requirements/lock.txt; fi

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

# The stamp holds a digest of everything the install depends on; any change installs again.
stamp=".venv/.installed${extras}"
wanted=$({ cat "$lock" pyproject.toml; .venv/bin/python -VV; } | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
  "${pip[@]}" --require-hashes -r "$lock"
  # Every dependency, the build backend included, came from the lock: nothing else is
  # fetched, and the project itself adds no package.
  "${pip[@]}" --no-deps --no-build-isolation -e .
  echo "$wanted" >"$stamp"
fi
# The project's own bytecode: pip compiles what it installs, but not an editable
# project's sources, and where PYTHONDONTWRITEBYTECODE is set (CI machines) every
# portal-bot process would compile its ~40 modules again (~0.1 s of CPU each time).
# Only changed files are compiled; a stale file is simply recompiled in memory.
.venv/bin/python -m compileall -q src/portal_bot >/dev/null

# Where portal_bot.browser.find_browser looks, in the same order (except Chrome's channels).
have_browser() {
  [ -n "${PORTAL_BOT_BROWSER:-}" ] && [ -x "${PORTAL_BOT_BROWSER}" ] && return 0
  ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1 && return 0
  local name found start
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    found=$(command -v "$name" 2>/dev/null) || continue
    # Ubuntu's chromium-browser is a stub that only starts the snap: it counts only
    # when the snap is there (checked below).
    start=$(head -c 16384 "$found" 2>/dev/null | tr -d '\0')
    case "$found" in /snap/*) continue ;; esac
    case "$start" in '#!'*/snap/*) continue ;; esac
    return 0
  done
  [ -x /snap/bin/chromium ]
}

os_id=$(. /etc/os-release 2>/dev/null && echo "${ID:-} ${ID_LIKE:-}")
if ! have_browser; then
  case " $os_id " in
    *" ubuntu "*)
      # Ubuntu's apt package «chromium» (or «chromium-browser») only installs the snap.
      # Playwright's own Chromium is preferred (the snap cannot see /tmp); its download
      # host is not reachable everywhere, so the snap is the fallback.
      echo "Instalando el Chromium de Playwright (Ubuntu; no se encontró ningún navegador)…"
      if ! .venv/bin/python -m playwright install --with-deps chromium; then
        if command -v snap >/dev/null 2>&1; then
          echo "No se pudo descargar el Chromium de Playwright; instalando el snap de Chromium…"
          as_root snap install chromium
        else
          echo "No se pudo instalar Chromium. En Ubuntu, ejecute" \
            "«.venv/bin/python -m playwright install --with-deps chromium» donde haya acceso" \
            "a la descarga de Playwright, o instale snapd y «sudo snap install chromium»," \
            "o indique un navegador con PORTAL_BOT_BROWSER=RUTA." >&2
          exit 1
        fi
      fi
      ;;
    *)
      if ! command -v apt-get >/dev/null 2>&1; then
        echo "No se encontró ningún navegador. Instale Chromium con el gestor de paquetes" \
          "del sistema, o «.venv/bin/python -m playwright install --with-deps chromium»," \
          "o indique uno con PORTAL_BOT_BROWSER=RUTA." >&2
        exit 1
      fi
      echo "Instalando Chromium de Debian (no se encontró ningún navegador)…"
      apt_install chromium fonts-dejavu-core
      ;;
  esac
fi

# Runs without a window take Chromium's headless shell when there is one (see
# src/portal_bot/browser.py): the same engine, about 40 % less of Chromium's CPU per run.
# The test suite makes hundreds of runs, so --dev adds Debian's package when it may
# install without asking for a password; without it the tests use the browser above.
have_shell() {
  command -v chromium-headless-shell >/dev/null 2>&1 && return 0
  ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium_headless_shell-*/chrome-headless-shell-linux*/chrome-headless-shell >/dev/null 2>&1
}
may_install() { command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }; }
os_name=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
if [ -n "$extras" ] && [ -z "${PORTAL_BOT_BROWSER:-}" ] && [ "$os_name" = debian ] \
  && ! have_shell && may_install; then
  echo "Instalando chromium-headless-shell de Debian (las pruebas corren sin ventana)…"
  apt_install chromium-headless-shell ||
    echo "No se pudo instalar chromium-headless-shell; las pruebas usarán el Chromium encontrado." >&2
fi
