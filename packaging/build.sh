#!/usr/bin/env bash
# Build a standalone Kith folder in dist/kith with PyInstaller.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pip install -q -e '.[package]'
.venv/bin/pyinstaller --noconfirm --clean packaging/kith.spec
echo "Built dist/kith/kith"
