#!/bin/sh
# Trunk post-build hook, run in trunk's staging folder. The intake form, its
# FHIR writer and the sealing module are built as "worker" apps, so trunk neither hashes their files
# nor injects anything for them: give each module's two files content-hashed
# names (so they can be cached for long and never mixed with another build)
# and write those names onto the boot script tag, where boot.js finds them.
set -eu
cd "${TRUNK_STAGING_DIR:?trunk sets TRUNK_STAGING_DIR}"
link() { # <module file stem> <attribute prefix>
  if [ ! -f "$1.js" ] || [ ! -f "$1_bg.wasm" ]; then
    echo "link-modules: the $1 module is missing from the build" >&2
    exit 1
  fi
  hash=$(cat "$1.js" "$1_bg.wasm" | sha256sum | cut -c1-16)
  mv "$1.js" "$1-$hash.js"
  mv "$1_bg.wasm" "$1-${hash}_bg.wasm"
  sed -i "s|data-intake-js=|data-$2-js=$1-$hash.js data-$2-wasm=$1-${hash}_bg.wasm data-intake-js=|" index.html
  grep -q "data-$2-js=$1-$hash.js" index.html
}
link intake-fhir fhir
link intake-form form
link intake-seal seal
