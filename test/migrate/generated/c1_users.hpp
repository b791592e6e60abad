// Revision c1: users
// Written by athanor::migrate::autogenerate: review it (add data steps where rows need them),
// then register it: revisions.add(revision_c1());
#pragma once

#include <athanor/migrate/revision.hpp>

inline athanor::migrate::Revision revision_c1() {
  using namespace athanor;
  return {
    .id = "c1",
    .parents = {},
    .message = "users",
    .up = [](migrate::Ops& op) {
      op.create_table("cl_users",
        Column{"id", Integer{}, primary_key},
        Column{"name", String{40}, nullable(false)});
    },
    .down = [](migrate::Ops& op) {
      op.drop_table("cl_users");
    },
  };
}
