#!/bin/sh
# STYLE.md rules 5 and 6. Fails when code (not comments) in core/, orm/ or engine/ names a
# backend — except engine/detail/connect.hpp (the one
# place that picks a backend) — or when a layer above driver/ includes a client library.
inc=$1
bad=$(grep -rniE 'sqlite|postgres|mysql|mariadb' "$inc/athanor/core" "$inc/athanor/orm" "$inc/athanor/engine" 2>/dev/null \
      | grep -vE '^[^:]+:[0-9]+:\s*(//|\*)' | grep -v 'engine/detail/connect.hpp')
if [ -n "$bad" ]; then echo "backend named outside dialect/ and driver/:"; echo "$bad"; exit 1; fi
bad=$(grep -rnE '#\s*include\s*<(sqlite3|pqxx|mysql|libpq)' "$inc/athanor/core" "$inc/athanor/dialect" "$inc/athanor/orm" 2>/dev/null)
if [ -n "$bad" ]; then echo "client library included above the driver layer:"; echo "$bad"; exit 1; fi
exit 0
