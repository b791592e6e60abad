// athanor/engine/detail/engine_state.hpp — what an Engine shares with its Connections:
// URL, dialect, options, pool and the echo sink.
#pragma once

#include <functional>  // std::function
#include <memory>      // std::unique_ptr
#include <optional>    // std::optional
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/config.hpp>
#if ATHANOR_DEFINITIONS
#include <iostream>    // std::clog, EngineState's default echo sink (definitions only: issue 17)
#endif

#include <athanor/dialect/dialect.hpp>
#include <athanor/driver/url.hpp>
#include <athanor/engine/detail/echo.hpp>
#include <athanor/engine/pool.hpp>

namespace athanor {

/// Options of `create_engine`.
/// **Example**: `create_engine(url, {.echo = true, .echo_sink = [](std::string_view s) { log(s); }})`
struct EngineOptions {
  bool echo = false;                                ///< log each statement's SQL and parameter count
  /// With echo: a second line per statement with its bound values, each text cut to 40
  /// characters (its length said), binary values as `<N bytes>`, password hashes as `***`.
  /// Off by default: values are data, and logs travel further than databases.
  bool echo_parameters = false;
  /// Where echo goes (default: std::clog). Every member here has an initializer, so that
  /// `{.echo = true}` draws no -Wmissing-field-initializers warning (g++ -Wextra).
  std::function<void(std::string_view)> echo_sink{};
  PoolOptions pool{};  ///< the connection pool's size, timeouts and checks (PoolOptions)
  /// The isolation level of every transaction (SQLAlchemy's `create_engine(isolation_level=…)`);
  /// also the URL option `?isolation_level=serializable`. Unset: the server's default.
  /// PostgreSQL writes it into each BEGIN (nothing more sent; safe behind a transaction pooler),
  /// MariaDB sets it once per connection (SET SESSION TRANSACTION …), SQLite has serializable only.
  /// A transaction may ask for another (Connection::begin(level), Session::begin(level)).
  std::optional<IsolationLevel> isolation_level{};
};

namespace detail {
struct EngineState {
  URL url;
  const Dialect* dialect = nullptr;
  EngineOptions options;
  std::unique_ptr<Pool> pool;

  /// Logs the SQL text and the number of parameters; their values only with echo_parameters.
  ATHANOR_DECL void echo(std::string_view sql, std::size_t params) const;
  /// The same, for a statement about to run with `values` (in placeholder order).
  ATHANOR_DECL void echo(std::string_view sql, const std::vector<Value>& values) const;
  /// The same, for a batch: `rows` rows of `width` values each in `values`; the values
  /// shown are the first row's.
  ATHANOR_DECL void echo_batch(std::string_view sql, const std::vector<Value>& values, std::size_t width,
                               std::size_t rows) const;

 private:
  ATHANOR_DECL void emit(const std::string& line) const;
};
}  // namespace detail

// Defined once with ATHANOR_SEPARATE_COMPILATION (issue 17), <iostream> with them: every file
// that ran a statement compiled the echo and, through <iostream>, a static ios_base::Init.
#if ATHANOR_DEFINITIONS
namespace detail {
ATHANOR_DECL void EngineState::echo(std::string_view sql, std::size_t params) const {
  if (!options.echo) return;
  emit(std::string(sql) + "  [" + std::to_string(params) + (params == 1 ? " parameter]" : " parameters]"));
}

ATHANOR_DECL void EngineState::echo(std::string_view sql, const std::vector<Value>& values) const {
  if (!options.echo) return;
  echo(sql, values.size());
  if (options.echo_parameters && !values.empty()) emit("  parameters: " + echo_parameters_text(values));
}

ATHANOR_DECL void EngineState::echo_batch(std::string_view sql, const std::vector<Value>& values, std::size_t width,
                                          std::size_t rows) const {
  if (!options.echo) return;
  emit(std::string(sql) + "  [" + std::to_string(width) + (width == 1 ? " parameter" : " parameters") + " × " +
       std::to_string(rows) + (rows == 1 ? " row]" : " rows]"));
  if (options.echo_parameters && width > 0) {
    std::vector<Value> first(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(width));
    emit("  parameters (first row): " + echo_parameters_text(first));
  }
}

ATHANOR_DECL void EngineState::emit(const std::string& line) const {
  if (options.echo_sink) {
    options.echo_sink(line);
  } else {
    std::clog << "[athanor] " << line << '\n';
  }
}
}  // namespace detail
#endif  // ATHANOR_DEFINITIONS
}  // namespace athanor
