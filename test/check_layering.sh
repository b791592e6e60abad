#!/bin/sh
# STYLE.md rules 5 and 6, DESIGN §2's one direction of dependency. Fails when code (not
# comments) in core/, orm/ or engine/ names a backend — except engine/detail/connect.hpp (the one
# place that picks a backend) — when a layer above driver/ includes a client library, when core/
# includes a layer above it, or when driver/ includes a layer above it (engine/, orm/, …) or a
# dialect: drivers sit below the engine, beside the dialects, and the URL they connect from
# (driver/url.hpp) below both.
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
exit 0
