// athanor/driver/impl/pg_statement.ipp — driver/detail/pg_statement.hpp's out-of-line code: one
// execution (prepared for the values' types, or unnamed behind a pooler), binding, and reads.
// Compiled where ATHANOR_DEFINITIONS is set (config.hpp): in every file header-only, else in
// <athanor/src.hpp>'s one file.
#pragma once

#include <algorithm>  // std::max
#include <charconv>   // std::to_chars, std::from_chars
#include <cmath>      // std::isnan, std::isinf
#include <cstdlib>    // std::strtoll
#include <variant>    // std::monostate

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/detail/visit_value.hpp>
#include <athanor/driver/detail/pg_errors.hpp>
#include <athanor/driver/detail/pg_statement.hpp>
#include <athanor/driver/detail/pg_values.hpp>

namespace athanor::driver::postgresql {

ATHANOR_DECL Statement::~Statement() {
  if (s_.closing) return;  // the server drops prepared statements with the session
  for (auto& p : preps_) deallocate(p);
}

ATHANOR_DECL void Statement::execute(std::span<const Value> params) {
  reset();
  // A type declared for a parameter the SQL never uses makes the statement take it (and
  // ignore its value), so surplus values are refused here as the other drivers do; missing
  // ones the server refuses (08P01, "bind message supplies …").
  if (params.size() > placeholders_) {
    throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(placeholders_) +
                        " parameters, " + std::to_string(params.size()) + " given");
  }
  types_.resize(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) types_[i] = detail::param_type(params[i]);
  if (!s_.named) {
    bind(params);
    declared();
    if (!s_.pending_begin.empty() || (!s_.in_tx && !s_.local_sql.empty())) {
      result_ = with_begin(nullptr);
    } else {
      result_.reset(PQexecParams(s_.conn->raw(), sql_.c_str(), static_cast<int>(params.size()),
                                 decl_.empty() ? nullptr : decl_.data(), values_.data(), lengths_.data(), formats_.data(), 0));
    }
    if (!ok(result_.get())) fail(result_.get());
    described();
    return;
  }
  Prepared* p = find();
  if (!p) p = &prepare_new();
  if (p->stale) prepare(*p);
  if (!s_.pending_begin.empty()) {
    bind(params);
    result_ = with_begin(p);
  } else {
    result_ = run(*p, params);
  }
  if (!ok(result_.get())) {
    std::string_view msg = result_ ? PQresultErrorMessage(result_.get()) : "";
    // A cached plan whose result columns changed (ALTER, or DROP and CREATE of a table)
    // cannot run again (https://www.postgresql.org/docs/current/sql-prepare.html#SQL-PREPARE-NOTES):
    // prepare afresh, at once unless the error aborted a transaction (then on next use).
    if (msg.find("cached plan must not change result type") == std::string_view::npos) fail(result_.get());
    result_.reset();
    deallocate(*p);
    if (s_.in_tx) {
      throw DatabaseError(
          "[athanor.database.stale_statement] a table changed after this statement was prepared, which aborted "
          "the transaction; roll back and run it again");
    }
    prepare(*p);
    result_ = run(*p, params);
    if (!ok(result_.get())) fail(result_.get());
  }
  described();
}

ATHANOR_DECL Value Statement::value(int c) const {
  if (is_null(c)) return Value();
  return detail::decode(oids_[static_cast<std::size_t>(c)], text(c), length(c));
}

ATHANOR_DECL std::int64_t Statement::get_int64(int c) const {
  auto t = oids_[static_cast<std::size_t>(c)];
  if (t != detail::int2 && t != detail::int4 && t != detail::int8) return driver::Statement::get_int64(c);
  const char* p = text(c);
  std::int64_t i = 0;
  auto r = std::from_chars(p, p + length(c), i);
  if (is_null(c) || r.ec != std::errc{}) return driver::Statement::get_int64(c);
  return i;
}

ATHANOR_DECL std::string Statement::get_text(int c) const {
  switch (oids_[static_cast<std::size_t>(c)]) {
    case detail::text: case detail::varchar: case detail::bpchar: case detail::name: case detail::json:
    case detail::jsonb: case detail::numeric: case detail::uuid: case detail::int2: case detail::int4: case detail::int8:
      if (!is_null(c)) return std::string(text(c), length(c));
      break;
    default: break;
  }
  return driver::Statement::get_text(c);
}

ATHANOR_DECL void Statement::read_row(int first, std::span<const Want> want, Cell* out) const {
  if (first < 0 || first + want.size() > oids_.size()) check_width(first, want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    int col = first + static_cast<int>(k);
    Cell& c = out[k];
    c.got = Cell::Got::other;
    if (is_null(col)) {
      c.got = Cell::Got::null;
      continue;
    }
    auto t = oids_[static_cast<std::size_t>(col)];
    bool integer = t == detail::int2 || t == detail::int4 || t == detail::int8;
    if (want[k] == Want::int64 && integer) {
      const char* p = text(col);
      if (std::from_chars(p, p + length(col), c.i).ec == std::errc{}) c.got = Cell::Got::int64;
    } else if (want[k] == Want::text && (integer || t == detail::text || t == detail::varchar || t == detail::bpchar ||
                                          t == detail::name || t == detail::json || t == detail::jsonb ||
                                          t == detail::numeric || t == detail::uuid)) {
      c.got = Cell::Got::text, c.text = text(col), c.size = length(col);
    }
  }
}

ATHANOR_DECL std::size_t Statement::placeholders(const std::string& sql) {
  std::size_t most = 0;
  for (std::size_t i = sql.find('$'); i != std::string::npos; i = sql.find('$', i + 1)) {
    std::size_t n = 0, j = i + 1;
    for (; j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n < 100000; ++j) n = n * 10 + static_cast<std::size_t>(sql[j] - '0');
    most = std::max(most, n);
  }
  return most;
}

ATHANOR_DECL bool Statement::ok(const PGresult* r) {
  auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

[[noreturn]] ATHANOR_DECL void Statement::fail(const PGresult* r) {
  try {
    detail::raise_result(s_.conn->raw(), r);
  } catch (...) {
    result_.reset();
    throw;
  }
}

ATHANOR_DECL Statement::Prepared* Statement::find() {
  for (auto& p : preps_) {
    bool fits = p.types.size() == types_.size();
    for (std::size_t i = 0; fits && i < types_.size(); ++i) fits = types_[i] == detail::any_type || types_[i] == p.types[i];
    if (fits) return &p;
  }
  return nullptr;
}

ATHANOR_DECL Statement::Prepared& Statement::prepare_new() {
  if (preps_.size() >= max_preparations) {
    deallocate(preps_.front());
    preps_.erase(preps_.begin());
  }
  Prepared p;
  p.types = types_;
  for (auto& t : p.types) t = t == detail::any_type ? 0 : t;  // a NULL's type is the server's guess
  preps_.push_back(std::move(p));
  return preps_.back();
}

ATHANOR_DECL void Statement::prepare(Prepared& p) {
  // A failed preparation aborts the transaction, as it always did: the BEGIN goes first.
  begin_now();
  p.stale = true;
  p.name = "athanor_" + std::to_string(++s_.next_id);
  detail::ResultPtr r(PQprepare(s_.conn->raw(), p.name.c_str(), sql_.c_str(), static_cast<int>(p.types.size()),
                                p.types.empty() ? nullptr : p.types.data()));
  if (!ok(r.get())) detail::raise_result(s_.conn->raw(), r.get());
  p.stale = false;
}

ATHANOR_DECL void Statement::deallocate(Prepared& p) {
  if (p.stale) return;
  p.stale = true;
  detail::ResultPtr r(PQexec(s_.conn->raw(), ("DEALLOCATE " + p.name).c_str()));
}

ATHANOR_DECL void Statement::bind(std::span<const Value> params) {
  std::size_t n = params.size();
  values_.resize(n), lengths_.resize(n), formats_.resize(n);
  if (texts_.size() < n) texts_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    lengths_[i] = formats_[i] = 0;
    std::string& buf = texts_[i];
    athanor::detail::visit_value(
        [&](const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, std::monostate>) {
            values_[i] = nullptr;
          } else if constexpr (std::is_same_v<X, bool>) {
            values_[i] = x ? "true" : "false";
          } else if constexpr (std::is_same_v<X, std::int64_t> || std::is_same_v<X, double>) {
            char tmp[40];
            if constexpr (std::is_same_v<X, double>) {
              // float8in takes these words (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
              if (std::isnan(x)) return void(values_[i] = "NaN");
              if (std::isinf(x)) return void(values_[i] = x > 0 ? "Infinity" : "-Infinity");
            }
            buf.assign(tmp, std::to_chars(tmp, tmp + sizeof tmp, x).ptr);
            values_[i] = buf.c_str();
          } else if constexpr (std::is_same_v<X, std::string>) {
            values_[i] = detail::text_param(x, i + 1).c_str();
          } else if constexpr (std::is_same_v<X, Bytes>) {
            values_[i] = x.empty() ? "" : reinterpret_cast<const char*>(x.data());  // a null pointer is NULL
            lengths_[i] = static_cast<int>(x.size()), formats_[i] = 1;
          } else if constexpr (std::is_same_v<X, Decimal> || std::is_same_v<X, Json>) {
            values_[i] = detail::text_param(x.text, i + 1).c_str();
          } else {
            buf = athanor::detail::value_to_text(params[i]);  // ISO dates and times (UTC), UUID text
            values_[i] = buf.c_str();
          }
        },
        params[i]);
  }
}

ATHANOR_DECL detail::ResultPtr Statement::run(const Prepared& p, std::span<const Value> params) {
  bind(params);
  return detail::ResultPtr(PQexecPrepared(s_.conn->raw(), p.name.c_str(), static_cast<int>(params.size()), values_.data(),
                                          lengths_.data(), formats_.data(), 0));
}

ATHANOR_DECL void Statement::begin_now() {
  if (s_.pending_begin.empty()) return;
  std::string begin = std::move(s_.pending_begin);
  s_.pending_begin.clear();
  if (!s_.local_sql.empty()) begin += "; " + s_.local_sql;
  detail::ResultPtr r(PQexec(s_.conn->raw(), begin.c_str()));
  if (!ok(r.get())) detail::raise_result(s_.conn->raw(), r.get());
}

ATHANOR_DECL void Statement::declared() {
  decl_.assign(types_.begin(), types_.end());
  for (auto& t : decl_) t = t == detail::any_type ? 0 : t;
}

ATHANOR_DECL void Statement::described() {
  PGresult* r = result_.get();
  oids_.resize(static_cast<std::size_t>(PQnfields(r)));
  for (std::size_t i = 0; i < oids_.size(); ++i) oids_[i] = PQftype(r, static_cast<int>(i));
  rows_ = PQntuples(r), next_ = 0, row_ = -1;
  const char* n = PQcmdTuples(r);
  affected_ = *n ? std::strtoll(n, nullptr, 10) : 0;
}

}  // namespace athanor::driver::postgresql
