#!/bin/sh
# Trunk post-build hook, run in trunk's staging folder. The rules module is
# built as a "worker" app, so trunk neither hashes its files nor injects
# anything for it: give its two files content-hashed names (so they can be
# cached for long and never mixed with another build) and write those names
# onto the boot script tag, where boot.js finds them.
set -eu
cd "${TRUNK_STAGING_DIR:?trunk sets TRUNK_STAGING_DIR}"
if [ ! -f intake-rules.js ] || [ ! -f intake-rules_bg.wasm ]; then
  echo "link-rules: the intake-rules module is missing from the build" >&2
  exit 1
fi
hash=$(cat intake-rules.js intake-rules_bg.wasm | sha256sum | cut -c1-16)
js="intake-rules-$hash.js"
wasm="intake-rules-${hash}_bg.wasm"
mv intake-rules.js "$js"
mv intake-rules_bg.wasm "$wasm"
sed -i "s|data-intake-js=|data-rules-js=$js data-rules-wasm=$wasm data-intake-js=|" index.html
grep -q "data-rules-js=$js" index.html
