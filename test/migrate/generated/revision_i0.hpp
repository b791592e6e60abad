// Revision i0: initial schema
// Written by athanor::migrate::autogenerate: review it (add data steps where rows need them),
// then register it: revisions.add(revision_i0());
#pragma once

#include <athanor/migrate/revision.hpp>

inline athanor::migrate::Revision revision_i0() {
  using namespace athanor;
  return {
    .id = "i0",
    .parents = {},
    .message = "initial schema",
    .up = [](migrate::Ops& op) {
      op.create_table("rv_users",
        Column{"id", Integer{}, primary_key},
        Column{"full_name", String{40}, nullable(false)},
        Column{"email", String{80}, nullable(false), athanor::index},
        Column{"active", Boolean{}, nullable(false), server_default(true)},
        Column{"kind", Enum{"a", "b"}},
        Column{"score", Integer{}},
        UniqueConstraint{{"full_name"}, "uq_rv_users_full_name"},
        CheckConstraint{"score >= 0", "ck_rv_users_score"});
      op.create_table("rv_posts",
        Column{"id", Integer{}, primary_key},
        Column{"user_id", Integer{}},
        Column{"title", String{50}},
        ForeignKeyConstraint{{"user_id"}, {"rv_users.id"}, {.on_delete = Action::cascade, .name = "fk_rv_posts_user_id_rv_users"}});
    },
    .down = [](migrate::Ops& op) {
      op.drop_table("rv_posts");
      op.drop_table("rv_users");
    },
  };
}
