#!/bin/sh
# test/subproject/run.sh SOURCE_ROOT — builds and runs test/subproject as a separate Meson
# project with athanor in its subprojects/ directory (a link to SOURCE_ROOT).
set -eu
root=$(cd "$1" && pwd)
tmp=$(mktemp -d /tmp/athanor-subproject.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp "$root/test/subproject/meson.build" "$root/test/subproject/consumer.cpp" "$tmp/"
mkdir "$tmp/subprojects"
ln -s "$root" "$tmp/subprojects/athanor"
# No -Dathanor:… options: as a subproject, athanor builds neither its tests nor its examples.
# buildtype plain (-O0, no debug info): what is tested is the subproject wiring, not the code.
meson setup "$tmp/build" "$tmp" -Dbuildtype=plain >/dev/null
ninja -C "$tmp/build" >/dev/null
"$tmp/build/consumer"
