#!/usr/bin/env bash
# Prints a Python 3.10 interpreter for the Rasa environment (Rasa 3.6 supports 3.8-3.10 only).
set -euo pipefail
for candidate in "${PYTHON310:-}" python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -n "$candidate" ] || continue
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v "$candidate"; exit 0
  fi
done
echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10' or 'apt-get install python3.10') or set PYTHON310" >&2
exit 1
