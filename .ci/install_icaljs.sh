#!/usr/bin/env bash
# Install ical.js (the vCard parser Thunderbird uses) for tests/core/formats/test_vcard_icaljs.py,
# which reads Kith's vCard exports with it as a second, independent parser. Needs node and npm.
# The folder is gitignored; run with KITH_REQUIRE_ICALJS=1 so that a missing parser fails.
set -euo pipefail
cd "$(dirname "$0")/.."

ICALJS_VERSION=2.2.1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "install_icaljs: node and npm are needed (apt-get install nodejs npm)" >&2
    exit 1
fi
npm install --prefix tests/.node --no-audit --no-fund --silent "ical.js@${ICALJS_VERSION}"
node -e "require('./tests/.node/node_modules/ical.js/dist/ical.es5.cjs')" \
    && echo "install_icaljs: ical.js ${ICALJS_VERSION} in tests/.node"
