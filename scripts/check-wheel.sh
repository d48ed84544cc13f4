#!/usr/bin/env bash
# Checks the wheel by hand, the way a user gets it: builds it with `python -m pip wheel`,
# installs it with its dependencies from PyPI into a brand-new virtual environment in a
# temporary folder, and from that folder lists the flows and runs the SUNAT demo against
# the mock. Needs Python 3.11+, network access to PyPI and a Chromium (scripts/bootstrap.sh).
# The build uses a copy of the working tree: an in-tree build would write build/ and
# *.egg-info into the repository and could pick up stale files from build/lib.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
work=$(mktemp -d "${TMPDIR:-/tmp}/portal-bot-wheel.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir "$work/source"
tar --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist --exclude=./runs \
  --exclude='*.egg-info' --exclude=__pycache__ --exclude='.*_cache' -cf - . |
  tar -xf - -C "$work/source"

"$python" -m venv "$work/venv"
pip=("$work/venv/bin/python" -m pip --disable-pip-version-check -q)
"${pip[@]}" wheel --no-deps -w "$work/dist" "$work/source"
wheel=$(ls "$work"/dist/portal_bot-*.whl)
echo "Rueda: $(basename "$wheel")"
"${pip[@]}" install "$wheel"

cd "$work"
env -u VIRTUAL_ENV -u PYTHONPATH "$work/venv/bin/portal-bot" flows
env -u VIRTUAL_ENV -u PYTHONPATH PORTAL_BOT_SECRET_CLAVE_SOL=moddatos \
  "$work/venv/bin/portal-bot" run pe-sunat-pse-alta --mock --yes --quiet \
  --input ruc=20100066603 --input usuario_sol=MODDATOS --evidence "$work/evidencia"
test -f "$work/evidencia/report.html"
echo OK
