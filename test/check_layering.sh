#!/bin/sh
# STYLE.md rules 5 and 6, DESIGN §2's one direction of dependency. Fails when code (not
# comments) in core/, orm/ or engine/ names a backend — except engine/detail/connect.hpp (the one
# place that picks a backend) — when a layer above driver/ includes a client library, when core/
# includes a layer above it, or when driver/ includes a layer above it (engine/, orm/, …) or a
# dialect: drivers sit below the engine, beside the dialects, and the URL they connect from
# (driver/url.hpp) below both. And (issue 17) when <athanor/orm.hpp>'s include closure holds a
# backend's driver or dialect, a client library or the SQL compiler: a file that declares models or
# runs statements through a Session made elsewhere parses none of them; create_engine (engine/
# create_engine.hpp, through <athanor/engine.hpp> or <athanor/athanor.hpp>) brings them in. A
# backend's own header (athanor/backend/: its create_engine) brings no other backend's driver,
# dialect or client library, nor the generic create_engine, and no layer folder includes one.
inc=$1
bad=$(grep -rniE 'sqlite|postgres|mysql|mariadb' "$inc/athanor/core" "$inc/athanor/orm" "$inc/athanor/engine" 2>/dev/null \
      | grep -vE '^[^:]+:[0-9]+:\s*(//|\*)' | grep -v 'engine/detail/connect.hpp')
if [ -n "$bad" ]; then echo "backend named outside dialect/ and driver/:"; echo "$bad"; exit 1; fi
bad=$(grep -rnE '#\s*include\s*<(sqlite3|pqxx|mysql|libpq)' "$inc/athanor/core" "$inc/athanor/dialect" "$inc/athanor/orm" 2>/dev/null)
if [ -n "$bad" ]; then echo "client library included above the driver layer:"; echo "$bad"; exit 1; fi
bad=$(grep -rnE '#\s*include\s*<athanor/(dialect|driver|engine|orm|auth|migrate|cli)[/.]' "$inc/athanor/core" 2>/dev/null)
if [ -n "$bad" ]; then echo "core/ includes a layer above it:"; echo "$bad"; exit 1; fi
bad=$(grep -rnE '#\s*include\s*<athanor/(dialect|engine|orm|auth|migrate|cli)[/.]' "$inc/athanor/driver" 2>/dev/null)
if [ -n "$bad" ]; then echo "driver/ includes the engine, a dialect or a layer above:"; echo "$bad"; exit 1; fi
bad=$(grep -rnE '^\s*#\s*include\s*<athanor/backend/' "$inc/athanor/core" "$inc/athanor/dialect" "$inc/athanor/driver" \
      "$inc/athanor/engine" "$inc/athanor/orm" "$inc/athanor/auth" "$inc/athanor/migrate" 2>/dev/null)
if [ -n "$bad" ]; then echo "a layer includes a backend's header (athanor/backend/):"; echo "$bad"; exit 1; fi
# The closure follows every #include <athanor/…> line, whatever #if surrounds it: a superset of
# what any configuration includes (header-only with every backend on is the largest).
closure() {
  todo=$1 seen=
  while [ -n "$todo" ]; do
    set -- $todo; h=$1; shift; todo="$*"
    case " $seen " in *" $h "*) continue ;; esac
    seen="$seen $h"
    [ -f "$inc/$h" ] || continue
    todo="$todo $(sed -n 's|^[[:space:]]*#[[:space:]]*include[[:space:]]*<\(athanor/[^>]*\)>.*|\1|p' "$inc/$h" | tr '\n' ' ')"
  done
  echo $seen | tr ' ' '\n' | sort
}
orm=$(closure athanor/orm.hpp)
bad=$(echo "$orm" | grep -E '^athanor/(backend/|driver/(sqlite|postgresql|mysql)|driver/(detail|impl)/|dialect/(compiler|ansi|sqlite|postgresql|mysql|portable_functions)|dialect/impl/compiler|engine/create_engine|engine/detail/(connect|queue_pool)\.hpp$)')
if [ -n "$bad" ]; then echo "<athanor/orm.hpp> includes a driver, a backend's dialect or the SQL compiler (issue 17):"; echo "$bad"; exit 1; fi
bad=$(for h in $orm; do grep -nE '#\s*include\s*<(sqlite3|pqxx|mysql|libpq)' "$inc/$h" /dev/null 2>/dev/null; done)
if [ -n "$bad" ]; then echo "<athanor/orm.hpp> includes a client library (issue 17):"; echo "$bad"; exit 1; fi
# Each backend's header brings its own driver and dialect only: a program on SQLite alone parses
# neither libpqxx nor <mysql.h> (issue 17).
for b in sqlite postgresql mysql; do
  case $b in
    sqlite) other='postgresql|mysql|pg_' lib='pqxx|libpq|mysql' ;;
    postgresql) other='sqlite|mysql' lib='sqlite3|mysql' ;;
    mysql) other='sqlite|postgresql|pg_' lib='sqlite3|pqxx|libpq' ;;
  esac
  closure_b=$(closure "athanor/backend/$b.hpp")
  bad=$(echo "$closure_b" | grep -E "^athanor/((backend|driver|dialect)/.*($other)|engine/create_engine\.hpp|engine/detail/connect\.hpp)")
  if [ -n "$bad" ]; then echo "<athanor/backend/$b.hpp> includes another backend's driver or dialect, or the generic create_engine:"; echo "$bad"; exit 1; fi
  bad=$(for h in $closure_b; do grep -nE "#\s*include\s*<($lib)" "$inc/$h" /dev/null 2>/dev/null; done)
  if [ -n "$bad" ]; then echo "<athanor/backend/$b.hpp> includes another backend's client library:"; echo "$bad"; exit 1; fi
done
exit 0
