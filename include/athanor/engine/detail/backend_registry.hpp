// athanor/engine/detail/backend_registry.hpp — the process-wide registry of backends: a URL's
// backend name to its dialect and its connect function. Each backend header (athanor/backend/)
// registers its backend when the program starts; create_engine and the `athanor` command look the
// URL's backend up here. The one engine file that names the backends built in (for the messages).
#pragma once

#include <memory>       // std::unique_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/driver/url.hpp>

namespace athanor::detail {

/// One backend of the registry. Only the addresses of functions: an entry is copied out of the
/// registry under its lock, and the dialect is made on first use, not at registration.
struct Backend {
  std::string_view name;             ///< the URL's backend ("sqlite"); a string literal
  const Dialect& (*dialect)();       ///< the process-wide dialect
  /// A new connection; null when the client library is not built in (the dialect alone, for
  /// offline work such as `athanor upgrade --sql --dialect sqlite`).
  std::unique_ptr<driver::Connection> (*connect)(const URL&);
};

/// The one dialect object of type D, made on first use and kept until the program ends
/// (statements keep a pointer to their dialect: detail::FlushSql, Engine).
template <class D>
const Dialect& dialect_instance() {
  static const D d;
  return d;
}

/// Adds `b` to the registry, before main (the initializer of an inline variable in its backend
/// header). Registering a name again keeps the first entry, unless only the new one connects.
/// Returns true, for that initializer.
ATHANOR_DECL bool register_backend(const Backend& b);
/// The registry's entry for a backend name; ArgumentError naming the header to include when the
/// backend is built in but no file of the program includes it, else saying it is not built in.
ATHANOR_DECL Backend backend_for(std::string_view name);
#if defined(ATHANOR_SEPARATE_COMPILATION)
/// Registers every backend built in: defined in <athanor/backends.hpp> in the library's unit
/// (<athanor/src.hpp>), called by the first look-up.
void register_built_in_backends();
#endif
/// The process-wide dialect of the URL's backend.
ATHANOR_DECL const Dialect& dialect_for(const URL& url);
/// A new driver connection to the URL's database.
ATHANOR_DECL std::unique_ptr<driver::Connection> connect(const URL& url);

}  // namespace athanor::detail

#if ATHANOR_DEFINITIONS
#include <mutex>  // std::mutex
#include <vector>  // std::vector

namespace athanor::detail {

/// The entries, in a function-local static: made by the first registration, whichever
/// translation unit's initializer runs first, so the order of static initialization cannot
/// leave a registration before the registry exists. The lock is for registrations from a
/// shared library opened while other threads look up (registrations otherwise come before main).
struct BackendRegistry {
  std::mutex lock;
  std::vector<Backend> entries;
};
ATHANOR_DECL BackendRegistry& backend_registry() {
  static BackendRegistry r;
  return r;
}

ATHANOR_DECL bool register_backend(const Backend& b) {
  auto& r = backend_registry();
  std::lock_guard<std::mutex> hold(r.lock);
  for (auto& e : r.entries) {
    if (e.name != b.name) continue;
    if (!e.connect) e = b;
    return true;
  }
  r.entries.push_back(b);
  return true;
}

/// Whether this build has the backend's client library (ATHANOR_WITH_*), and its package.
struct BuiltIn {
  std::string_view name;
  bool built;
  const char* package;
};
inline constexpr BuiltIn backends_built_in[] = {
    {"sqlite", ATHANOR_WITH_SQLITE != 0, "libsqlite3-dev"},
    {"postgresql", ATHANOR_WITH_POSTGRESQL != 0, "libpqxx-dev"},
    {"mysql", ATHANOR_WITH_MYSQL != 0, "libmariadb-dev"},
};

/// No entry, or one without a connect function: why, and what to do.
[[noreturn]] ATHANOR_DECL void backend_missing(std::string_view name, bool registered) {
  std::string n(name);
  for (const auto& b : backends_built_in) {
    if (b.name != name) continue;
    if (!b.built) {
      throw ArgumentError("[athanor.argument.backend] athanor was built without " + n + " support (install " + b.package +
                          " and reconfigure)");
    }
    if (!registered) {
      throw ArgumentError("[athanor.argument.backend] this program does not include the " + n +
                          " backend: #include <athanor/backend/" + n +
                          ".hpp> in the file that calls create_engine (<athanor/athanor.hpp> includes every backend)");
    }
  }
  throw ArgumentError("[athanor.argument.backend] no backend '" + n.substr(0, 40) + "' in this program");
}

ATHANOR_DECL Backend backend_for(std::string_view name) {
#if defined(ATHANOR_SEPARATE_COMPILATION)
  // The library's own registrations may not have run yet (static initialization of another
  // file calling create_engine): register them now, once.
  static const bool built_in = (register_built_in_backends(), true);
  (void)built_in;
#endif
  auto& r = backend_registry();
  {
    std::lock_guard<std::mutex> hold(r.lock);
    for (const auto& e : r.entries) {
      if (e.name == name) return e;
    }
  }
  backend_missing(name, false);
}

ATHANOR_DECL const Dialect& dialect_for(const URL& url) { return backend_for(url.backend).dialect(); }

ATHANOR_DECL std::unique_ptr<driver::Connection> connect(const URL& url) {
  auto b = backend_for(url.backend);
  if (!b.connect) backend_missing(url.backend, true);
  return b.connect(url);
}

}  // namespace athanor::detail
#endif  // ATHANOR_DEFINITIONS
