// Revision c2: users.email
// Written by athanor::migrate::autogenerate: review it (add data steps where rows need them),
// then register it: revisions.add(revision_c2());
#pragma once

#include <athanor/migrate/revision.hpp>

inline athanor::migrate::Revision revision_c2() {
  using namespace athanor;
  return {
    .id = "c2",
    .parents = {"c1"},
    .message = "users.email",
    .up = [](migrate::Ops& op) {
      op.add_column("cl_users", Column{"email", String{80}});
      op.create_index("cl_users", Index{"ix_cl_users_email", {"email"}});
    },
    .down = [](migrate::Ops& op) {
      op.drop_index("cl_users", "ix_cl_users_email");
      op.drop_column("cl_users", "email");
    },
  };
}
