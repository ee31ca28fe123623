#!/bin/sh
# Trunk's post_build hook (Trunk.toml): names the engine workers after their contents, points the
# page's meta tags at them, and fills in the service worker's version and file lists. Trunk hashes
# the page's own files but not worker scripts; with fixed names a browser or CDN could pair a new
# page with an old engine. Needs only coreutils, sed and sha256sum.
set -eu

fail() {
    echo "version-build: $*" >&2
    exit 1
}

[ -n "${TRUNK_STAGING_DIR:-}" ] || fail "TRUNK_STAGING_DIR is not set (Trunk sets it for its hooks)"
cd "$TRUNK_STAGING_DIR"
[ -f index.html ] || fail "no index.html in $TRUNK_STAGING_DIR"

hex16='[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'

# Renames engine $1's .js, _bg.wasm and _loader.js to $1-<hash>… and prints its stem ($1-<hash>).
# A second run finds the files already renamed and only prints the stem.
hash_engine() {
    name=$1
    if [ -f "$name.js" ]; then
        [ -f "${name}_bg.wasm" ] || fail "$name.js has no ${name}_bg.wasm"
        [ -f "${name}_loader.js" ] || fail "$name.js has no ${name}_loader.js (data-loader-shim)"
        stem="$name-$(cat "$name.js" "${name}_bg.wasm" | sha256sum | cut -c1-16)"
        mv "$name.js" "$stem.js"
        mv "${name}_bg.wasm" "${stem}_bg.wasm"
        grep -q "\./$name\.js" "${name}_loader.js" && grep -q "\./${name}_bg\.wasm" "${name}_loader.js" ||
            fail "${name}_loader.js does not load ./$name.js and ./${name}_bg.wasm as expected"
        rm "${name}_loader.js"
        # Trunk's loader, plus one thing: a module that fails to fetch or compile throws where the
        # page's Worker object sees it (a rejected promise in a worker reaches nobody).
        printf '%s\n' \
            "importScripts(\"./$stem.js\");" \
            "wasm_bindgen({ module_or_path: \"./${stem}_bg.wasm\" }).catch(function (e) { setTimeout(function () { throw e; }); });" \
            >"${stem}_loader.js"
    fi
    # Unquoted on purpose: the glob finds the renamed loader.
    set -- "$name"-$hex16"_loader.js"
    [ $# -eq 1 ] && [ -f "$1" ] || fail "expected one ${name}-<hash>_loader.js, found: $*"
    echo "${1%_loader.js}"
}

# Points <meta name="$1"> at $2.
set_meta() {
    grep -q "name=\"$1\"" index.html || fail "index.html has no <meta name=\"$1\" content=\"…\">"
    sed -e '/name="'"$1"'"/ s|content="[^"]*"|content="'"$2"'"|' index.html >index.html.tmp
    mv index.html.tmp index.html
    grep "name=\"$1\"" index.html | grep -q "content=\"$2\"" || fail "could not set <meta name=\"$1\"> to $2"
}

cpu=$(hash_engine engine)
gpu=$(hash_engine engine-gpu)
set_meta distill-engine-cpu "${cpu}_loader.js"
set_meta distill-engine-gpu "${gpu}_loader.js"

# The service worker: a version that changes with any file, so a new build installs a new one.
[ -f sw.js ] || fail "no sw.js (index.html copies www/sw.js)"
# sw.js counts without the lines filled in below, so a second run gives the same version.
version=$({
    find . -type f ! -path ./sw.js ! -name '*.tmp' -exec sha256sum {} + | LC_ALL=C sort -k 2
    sed -e '/^const VERSION = /d' -e '/^const PRECACHE = /d' -e '/^const LAZY = /d' -e '/^const TEXT_LAB = /d' sw.js | sha256sum
} | sha256sum | cut -c1-16)

precache="'./'"
for file in app-*.js app-*.wasm app-*.css; do
    [ -f "$file" ] || fail "no $file: the app's files are missing"
    precache="$precache, './$file'"
done
for file in "$cpu.js" "${cpu}_bg.wasm" "${cpu}_loader.js" data/digits.bin.gz models/digits-teacher.bpk; do
    [ -f "$file" ] || fail "no $file to precache"
    precache="$precache, './$file'"
done
lazy="'./$gpu.js', './${gpu}_bg.wasm', './${gpu}_loader.js'"
# The text lab's files are cached when that lab opens: only a visitor who opens it downloads them.
text_lab=
for file in data/shakespeare.txt.gz models/text-teacher.bpk; do
    [ -f "$file" ] || fail "no $file to cache"
    text_lab="${text_lab:+$text_lab, }'./$file'"
done
# Under `trunk serve` (its autoreload script is in the page) the worker caches nothing, so that a
# reload shows the new build rather than the cached one.
if grep -q 'well-known/trunk/ws' index.html; then
    version="serve-$version"
    precache=
    lazy=
    text_lab=
fi

sed -e "s|^const VERSION = .*|const VERSION = '$version';|" \
    -e "s|^const PRECACHE = .*|const PRECACHE = [$precache];|" \
    -e "s|^const LAZY = .*|const LAZY = [$lazy];|" \
    -e "s|^const TEXT_LAB = .*|const TEXT_LAB = [$text_lab];|" \
    sw.js >sw.js.tmp
mv sw.js.tmp sw.js
grep -q "^const VERSION = '$version';" sw.js && grep -q "^const PRECACHE = \[" sw.js && grep -q "^const LAZY = \[" sw.js &&
    grep -q "^const TEXT_LAB = \[" sw.js ||
    fail "sw.js lacks the lines 'const VERSION = …', 'const PRECACHE = …', 'const LAZY = …' and 'const TEXT_LAB = …'"

echo "version-build: engines $cpu and $gpu, service worker version $version"
