#!/bin/sh
# examples/demo_safety.sh BLOG — the demo never drops tables of a database it did not create:
# a second run on the same file stops with exit code 2, says why, and leaves the file as it
# was (byte for byte); --reset then runs it again.
set -u
blog=$1
dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT
url="sqlite:///$dir/blog.db"
"$blog" --url "$url" >/dev/null || { echo "the first run failed"; exit 1; }
before=$(cksum <"$dir/blog.db")
"$blog" --url "$url" >/dev/null 2>"$dir/err"
rc=$?
[ "$rc" = 2 ] || { echo "a second run exited with $rc, not 2"; exit 1; }
grep -q "Nothing was changed" "$dir/err" || { echo "no explanation on stderr:"; cat "$dir/err"; exit 1; }
[ "$(cksum <"$dir/blog.db")" = "$before" ] || { echo "the refused run changed the database"; exit 1; }
"$blog" --url "$url" --reset >/dev/null || { echo "--reset failed"; exit 1; }
echo "ok: refused without --reset (exit 2, file unchanged), ran with --reset"
