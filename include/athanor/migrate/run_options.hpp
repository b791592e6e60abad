// athanor/migrate/run_options.hpp — what upgrade() / downgrade() / stamp() take and report:
// RunOptions (a progress callback, MariaDB's lock wait), Progress, and AppliedRevision (a row
// of the version table).
#pragma once

#include <chrono>      // std::chrono::milliseconds
#include <cstddef>     // std::size_t
#include <cstdint>     // std::int64_t
#include <functional>  // std::function
#include <string>      // std::string

namespace athanor::migrate {

/// A row of the version table.
struct AppliedRevision {
  std::string id, checksum;
  std::int64_t steps_done = 0;  ///< MariaDB: the steps of a half-applied revision that ran
  bool complete = true;         ///< false: it failed part way (MariaDB); upgrade() resumes it
};

/// The version table's row that is the migration lock on MariaDB (never a revision's id).
inline constexpr const char* lock_row = "athanor:lock";

/// One revision's run, told to RunOptions::progress before (`done` false) and after it.
struct Progress {
  std::string id;                    ///< the revision
  std::string message;               ///< its message
  bool up = true;                    ///< upgrade (false: downgrade)
  std::size_t index = 0;             ///< this is revision index+1 of count
  std::size_t count = 0;             ///< the revisions this run has to go through
  bool done = false;                 ///< false: about to run; true: ran (or was skipped)
  bool skipped = false;              ///< done: another upgrade applied (or undid) it meanwhile
  double seconds = 0;                ///< done: how long it took
};

/// How upgrade() / downgrade() / stamp() run.
struct RunOptions {
  std::function<void(const Progress&)> progress{};  ///< called around each revision
  /// MariaDB: how long to wait for another upgrade's lock row before
  /// `[athanor.revision.locked]` (PostgreSQL and SQLite wait for the server's lock).
  std::chrono::milliseconds lock_wait{std::chrono::minutes(10)};
};

}  // namespace athanor::migrate
