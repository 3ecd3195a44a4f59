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
# A first install has been seen to unpack the package without its dist/ folder; check that the
# module loads and install again from scratch if it does not.
for attempt in 1 2 3; do
    rm -rf tests/.node
    npm install --prefix tests/.node --no-audit --no-fund --silent "ical.js@${ICALJS_VERSION}"
    if node -e "require('./tests/.node/node_modules/ical.js/dist/ical.es5.cjs')" 2>/dev/null; then
        echo "install_icaljs: ical.js ${ICALJS_VERSION} in tests/.node"
        exit 0
    fi
    echo "install_icaljs: ical.js did not load after install ${attempt}; trying again" >&2
    npm cache verify >/dev/null 2>&1 || true
done
echo "install_icaljs: ical.js ${ICALJS_VERSION} could not be installed" >&2
exit 1
