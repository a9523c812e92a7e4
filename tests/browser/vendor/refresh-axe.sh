#!/usr/bin/env bash
# Refresh the vendored axe-core (the accessibility rules tests/browser/test_a11y_*.py run) from the npm registry.
#   tests/browser/vendor/refresh-axe.sh          newest axe-core 4.x
#   tests/browser/vendor/refresh-axe.sh 4.14.1   a given version
# Writes tests/browser/vendor/axe-core-VERSION.min.js (its licence, MPL-2.0, is in its first comment) and
# removes the old one; tests/browser/axe.py finds the file by its name. Then run the scans and fix what they find.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="${1:-$(npm view 'axe-core@^4' version --json | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-1] if isinstance(v, list) else v)')}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
tar xzf "$(npm pack --silent "axe-core@$version")"
rm -f "$here"/axe-core-*.min.js
cp package/axe.min.js "$here/axe-core-$version.min.js"
echo "axe-core $version in $here"
