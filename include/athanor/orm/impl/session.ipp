// athanor/orm/impl/session.ipp — Session's out-of-line code, included by orm/session.hpp
// under ATHANOR_DEFINITIONS (once with ATHANOR_SEPARATE_COMPILATION, else inline).
#pragma once

#include <athanor/orm/session.hpp>

namespace athanor::orm {

// Defined once with ATHANOR_SEPARATE_COMPILATION (issue 17): a Session's making (make_shared of
// the SessionCore, its control block) and closing were compiled in every file that opened one.
ATHANOR_DECL Session::Session(Engine engine, SessionOptions options)
    : core_(std::make_shared<detail::SessionCore>(std::move(engine), options)) {
  detail::maybe_collect_cycles();  // a safe point: no object is in use by the library here
}

ATHANOR_DECL Session::Session(Engine engine, std::shared_ptr<detail::Replicas> replicas, SessionOptions options)
    : Session(std::move(engine), options) {
  if (replicas && !replicas->empty()) core_->replicas = std::move(replicas);
}

ATHANOR_DECL Session::~Session() {
  if (!core_) return;
  try {
    core_->close();
  } catch (...) {  // destructors never throw; an unreachable server has rolled back anyway
  }
}

ATHANOR_DECL Session sessionmaker::operator()() const { return Session(engine_, replicas_, options_); }

}  // namespace athanor::orm
