#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (no build step; see README "Front-end files").
#   frontend/refresh-vendor.sh            newest htmx 2.0.x, htmx-ext-sse 2.x, swagger-ui-dist 5.x
#   frontend/refresh-vendor.sh 2.0.11     a given htmx version
# Writes frontend/static/vendor/ and the file names in studio/web/templating.py (named there once).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
vendor="$root/frontend/static/vendor"
templating="$root/studio/web/templating.py"

newest() { npm view "$1" version --json | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v[-1] if isinstance(v, list) else v)'; }
htmx="${1:-$(newest 'htmx.org@~2.0')}"
sse="${2:-$(newest 'htmx-ext-sse@^2')}"
swagger="${3:-$(newest 'swagger-ui-dist@^5')}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
for spec in "htmx.org@$htmx" "htmx-ext-sse@$sse" "swagger-ui-dist@$swagger"; do
  name="${spec%@*}"
  mkdir "$name"
  tar xzf "$(npm pack --silent "$spec")" -C "$name"
done

rm -rf "$vendor"/htmx-*.js "$vendor"/swagger-ui-*/
cp htmx.org/package/dist/htmx.min.js "$vendor/htmx-$htmx.min.js"
cp htmx-ext-sse/package/dist/sse.js "$vendor/htmx-ext-sse-$sse.js"
mkdir "$vendor/swagger-ui-$swagger"
cp swagger-ui-dist/package/{swagger-ui-bundle.js,swagger-ui.css,LICENSE} "$vendor/swagger-ui-$swagger/"
sed -i '/sourceMappingURL/d' "$vendor/swagger-ui-$swagger/swagger-ui.css"  # no .map is shipped

sed -i -E \
  -e "s|^HTMX_JS = .*|HTMX_JS = \"vendor/htmx-$htmx.min.js\"|" \
  -e "s|^HTMX_SSE_JS = .*|HTMX_SSE_JS = \"vendor/htmx-ext-sse-$sse.js\"|" \
  -e "s|^SWAGGER_UI_DIR = .*|SWAGGER_UI_DIR = \"vendor/swagger-ui-$swagger\"|" \
  "$templating"
echo "htmx $htmx, htmx-ext-sse $sse, swagger-ui $swagger in $vendor"
echo "Now update the versions in README.md (Front-end files) and run the tests."
