// athanor/driver/impl/pg_pipeline.ipp — driver/detail/pg_statement.hpp's pipelines (libpq 14+
// pipeline mode): a batch of executions in a round trip per chunk, and a statement sent in the
// same round trip as the BEGIN held back before it. Compiled where ATHANOR_DEFINITIONS is set.
#pragma once

#include <algorithm>  // std::min
#include <cstdlib>    // std::strtoll
#include <cstring>    // std::strlen
#include <exception>  // std::exception_ptr

#include <athanor/driver/detail/pg_errors.hpp>
#include <athanor/driver/detail/pg_statement.hpp>
#include <athanor/driver/detail/pg_values.hpp>

namespace athanor::driver::postgresql {

ATHANOR_DECL std::int64_t Statement::execute_batch_rows(std::span<const Value> params, std::size_t rows, BatchRow on_row,
                                                      void* ctx) {
  reset();
  if (rows == 0) return 0;
  std::size_t width = params.size() / rows;
  if (width > placeholders_) {
    throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(placeholders_) +
                        " parameters, " + std::to_string(width) + " given");
  }
  if (rows == 1) return one_by_one(params, rows, on_row, ctx);
  // One list of types for every row (a NULL takes the others' type); rows whose values
  // differ in type (2 here, 2.5 there) run one by one, each prepared for its own types.
  types_.assign(width, detail::any_type);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t i = 0; i < width; ++i) {
      auto t = detail::param_type(params[r * width + i]);
      if (t == detail::any_type || t == types_[i]) continue;
      if (types_[i] != detail::any_type) return one_by_one(params, rows, on_row, ctx);
      types_[i] = t;
    }
  }
  Prepared* p = nullptr;
  if (s_.named) {
    p = find();
    if (!p) p = &prepare_new();
    if (p->stale) prepare(*p);
  } else {
    declared();
  }
  return pipelined(p, params, rows, width, on_row, ctx);
}

ATHANOR_DECL int Statement::send_prelude(PGconn* c) {
  int n = 0;
  bool begins = !s_.pending_begin.empty();
  if (begins) {
    std::string begin = std::move(s_.pending_begin);
    s_.pending_begin.clear();
    if (!PQsendQueryParams(c, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) return -1;
    ++n;
  }
  if (!s_.local_sql.empty() && (begins || !s_.in_tx)) {
    if (!PQsendQueryParams(c, s_.local_sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) return -1;
    ++n;
  }
  return n;
}

ATHANOR_DECL detail::ResultPtr Statement::with_begin(const Prepared* p) {
  PGconn* c = s_.conn->raw();
  int n = static_cast<int>(values_.size());
  if (!PQenterPipelineMode(c)) detail::raise_result(c, nullptr);
  int prelude = send_prelude(c);
  bool sent = prelude >= 0 &&
              (p ? PQsendQueryPrepared(c, p->name.c_str(), n, values_.data(), lengths_.data(), formats_.data(), 0)
                 : PQsendQueryParams(c, sql_.c_str(), n, decl_.empty() ? nullptr : decl_.data(), values_.data(),
                                     lengths_.data(), formats_.data(), 0)) &&
              PQpipelineSync(c) && PQflush(c) == 0;
  auto lost = [&] { return PQstatus(c) != CONNECTION_OK; };
  auto answer = [&] {  // one statement's result, and the null that ends it
    detail::ResultPtr r(PQgetResult(c));
    if (r)
      while (PGresult* more = PQgetResult(c)) PQclear(more);
    return r;
  };
  detail::ResultPtr begun, result;
  if (sent) {
    for (int i = 0; i < prelude && !lost(); ++i) {
      auto r = answer();
      if (!begun || ok(begun.get())) begun = std::move(r);  // the first failure is kept
    }
    if (!lost()) result = answer();
    for (int nulls = 0; !lost() && nulls < 4;) {
      detail::ResultPtr r(PQgetResult(c));
      if (!r) ++nulls;
      else if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
    }
  }
  if (!lost()) PQexitPipelineMode(c);
  if (!sent || lost()) {
    if (result && !ok(result.get())) return result;  // the statement's own error, if it got one
    detail::raise_result(c, nullptr);
  }
  if (prelude > 0 && !ok(begun.get())) detail::raise_result(c, begun.get());
  return result;
}

ATHANOR_DECL std::int64_t Statement::pipelined(Prepared* p, std::span<const Value> params, std::size_t rows, std::size_t width,
                                             BatchRow on_row, void* ctx) {
  PGconn* c = s_.conn->raw();
  if (!PQenterPipelineMode(c)) detail::raise_result(c, nullptr);
  detail::ResultPtr failed;  // the first row's error; the server skips the rest until the sync
  std::int64_t total = 0;
  std::size_t sent = 0, answered = 0, skip = 0;  // answers expected, read, and not counted (the prelude's)
  std::size_t first_row = 0;                      // the answer of the first row's execution
  std::exception_ptr thrown;                      // what on_row threw, rethrown once the pipeline is left
  bool synced = false;
  auto lost = [&] { return PQstatus(c) != CONNECTION_OK; };
  // One answer per row sent: its result, then the null that ends it.
  auto read_answers = [&] {
    for (int nulls = 0; answered < sent;) {
      detail::ResultPtr r(PQgetResult(c));
      if (!r) {  // none pending where an answer was due: libpq lost track (or the link)
        if (lost() || ++nulls > 3) return false;
        continue;
      }
      auto st = PQresultStatus(r.get());
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        const char* n = PQcmdTuples(r.get());
        if (answered >= skip) total += *n ? std::strtoll(n, nullptr, 10) : 0;
        if (on_row && st == PGRES_TUPLES_OK && answered >= first_row && !failed) {  // an execution's rows, read here
          std::size_t execution = answered - first_row;
          result_ = std::move(r);
          described();
          try {  // the pipeline is drained and left before a caller's exception goes on
            while (next()) on_row(ctx, execution, *this);
          } catch (...) {
            if (!thrown) thrown = std::current_exception();
          }
          result_.reset();
        }
      } else if (st != PGRES_PIPELINE_ABORTED && !failed) {
        failed = std::move(r);
      }
      ++answered;
      while (PGresult* more = PQgetResult(c)) PQclear(more);  // the null after each answer
      if (lost()) return false;
    }
    return true;
  };
  bool ok_so_far = true;
  int n = static_cast<int>(width);
  // The held-back BEGIN and the per-transaction settings head the pipeline; their answers
  // count no rows.
  int prelude = send_prelude(c);
  if (prelude < 0) ok_so_far = false;
  else sent += static_cast<std::size_t>(prelude), skip = static_cast<std::size_t>(prelude);
  // Without named statements the SQL is parsed once, as the protocol's unnamed statement,
  // which every row then binds: it lives until the next unnamed Parse, and nothing else is
  // sent in between. (PQsendQueryParams would parse and plan it again for every row.)
  if (!p) {
    if (PQsendPrepare(c, "", sql_.c_str(), n, decl_.empty() ? nullptr : decl_.data())) ++sent;
    else ok_so_far = false;
  }
  const char* name = p ? p->name.c_str() : "";
  first_row = sent;  // the answers before are the prelude's and the unnamed Parse's
  std::size_t row = 0;
  while (ok_so_far && row < rows && !failed) {
    std::size_t end = std::min(rows, row + pipeline_chunk), bytes = 0;
    for (; row < end && bytes < pipeline_bytes; ++row, ++sent) {
      bind(params.subspan(row * width, width));
      for (std::size_t i = 0; i < width; ++i) {
        bytes += 16 + (formats_[i] ? static_cast<std::size_t>(lengths_[i]) : values_[i] ? std::strlen(values_[i]) : 0);
      }
      if (!PQsendQueryPrepared(c, name, n, values_.data(), lengths_.data(), formats_.data(), 0)) {
        ok_so_far = false;
        break;
      }
    }
    if (!ok_so_far) break;
    synced = row == rows;
    if (!(synced ? PQpipelineSync(c) : PQsendFlushRequest(c)) || PQflush(c) != 0) ok_so_far = false;
    if (ok_so_far) ok_so_far = read_answers();
  }
  if (!lost()) {
    // A failure before the last chunk: a sync ends the aborted run; then the sync's answer,
    // after which the pipeline is idle and can be left.
    bool sync_sent = synced && ok_so_far;
    if (!sync_sent) sync_sent = PQpipelineSync(c) && PQflush(c) == 0 && read_answers();
    for (int nulls = 0; sync_sent && !lost() && nulls < 4;) {
      detail::ResultPtr r(PQgetResult(c));
      if (!r) ++nulls;
      else if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
    }
    PQexitPipelineMode(c);
  }
  if (lost() || !ok_so_far) {
    if (failed) fail(failed.get());
    detail::raise_result(c, nullptr);
  }
  if (failed) {
    std::string_view msg = PQresultErrorMessage(failed.get());
    // A cached plan whose result columns changed: prepared afresh on the next run (the
    // transaction, if any, was aborted by the error, which the caller rolls back).
    if (p && msg.find("cached plan must not change result type") != std::string_view::npos) deallocate(*p);
    fail(failed.get());
  }
  if (thrown) std::rethrow_exception(thrown);
  affected_ = total;
  return total;
}

}  // namespace athanor::driver::postgresql
