// test/orm/session_memory.cpp — the memory a closed Session's load took, kept by its thread
// for the next Session (orm/detail/memory_cache.hpp) and bounded by set_session_memory_cache.
// Every backend.
#include "orm/blog_db.hpp"

#include <thread>

using namespace blog;
using orm::c;

namespace {
/// Bytes this thread keeps.
std::size_t kept_bytes() { return orm::detail::memory_cache.cached; }
/// Loads every user in a Session of its own and closes it; returns how many.
std::size_t load_all(orm::sessionmaker& Session) {
  auto s = Session();
  return s.scalars(orm::select<User>()).size();
}
/// Starts with nothing kept and the default bound; puts the setting in force back at the end.
struct RestoreCache {
  std::size_t bytes = orm::set_session_memory_cache(0);
  RestoreCache() { orm::set_session_memory_cache(orm::detail::default_session_memory_cache); }
  ~RestoreCache() { orm::set_session_memory_cache(bytes); }
};
constexpr int n = 3000;
}  // namespace

TEST_CASE("objects kept past their Session stay intact while the next Sessions reuse the memory around them") {
  RestoreCache restore;
  BlogDb db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false}};
  add_users(Session, n);
  std::vector<orm::Ptr<User>> kept;
  {
    auto s = Session();
    auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
    REQUIRE(all.size() == n);
    for (int k = 0; k < n; k += 13) kept.push_back(all[static_cast<std::size_t>(k)]);
  }  // the others go: their blocks and the identity map's array are kept by this thread
  std::size_t after_first = kept_bytes();
  CHECK(after_first > 0);
  {
    auto s = Session();
    auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
    REQUIRE(all.size() == n);
    CHECK(kept_bytes() < after_first);  // the load took memory from the cache
    for (auto& u : all) {
      CHECK(std::find(kept.begin(), kept.end(), u) == kept.end());  // new objects, not the kept ones
      u->name = "v" + std::to_string(u->id.get());
    }
    s.commit();
  }
  auto s = Session();
  auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
  REQUIRE(all.size() == n);
  for (std::size_t k = 0; k < all.size(); ++k) {
    CHECK(all[k]->id.get() == static_cast<int>(k) + 1);
    CHECK(all[k]->name.get() == "v" + std::to_string(k + 1));
  }
  for (std::size_t k = 0; k < kept.size(); ++k) {  // detached, as they were loaded
    CHECK(kept[k].is_detached());
    CHECK(kept[k]->id.get() == static_cast<int>(13 * k) + 1);
    CHECK(kept[k]->name.get() == "u" + std::to_string(13 * k + 1));
  }
}

TEST_CASE("set_session_memory_cache: 0 gives the thread's memory back at once and keeps none after; a bound is kept to") {
  RestoreCache restore;
  BlogDb db;
  orm::sessionmaker Session{db.engine};
  add_users(Session, n);
  REQUIRE(load_all(Session) == n);
  CHECK(kept_bytes() > 0);
  CHECK(orm::set_session_memory_cache(0) == orm::detail::default_session_memory_cache);
  CHECK(kept_bytes() == 0);
  REQUIRE(load_all(Session) == n);
  CHECK(kept_bytes() == 0);
  constexpr std::size_t bound = 64 * 1024;
  CHECK(orm::set_session_memory_cache(bound) == 0);
  REQUIRE(load_all(Session) == n);
  CHECK(kept_bytes() == 0);  // a Session that took more than the bound keeps nothing
  auto small_sessions = [&] {  // more than the 32 closes the large one counts for
    for (int k = 0; k < 40; ++k) {
      auto s = Session();
      REQUIRE(s.get<User>(k + 1));
    }
  };
  small_sessions();
  CHECK(kept_bytes() > 0);
  CHECK(kept_bytes() <= bound);
  orm::set_session_memory_cache(orm::detail::default_session_memory_cache);
  REQUIRE(load_all(Session) == n);
  CHECK(kept_bytes() > bound);  // 3 000 users' blocks
  // Smaller Sessions after: the large one's memory goes within 32 closes.
  std::size_t large = kept_bytes();
  small_sessions();
  CHECK(kept_bytes() < large / 10);
}

TEST_CASE("a thread that runs no Session keeps nothing of the objects it lets go; one that does frees it at exit") {
  RestoreCache restore;
  BlogDb db;
  orm::sessionmaker Session{db.engine};
  add_users(Session, n);
  std::vector<orm::Ptr<User>> users;
  {
    auto s = Session();
    users = s.scalars(orm::select<User>());
  }
  REQUIRE(users.size() == n);
  std::size_t elsewhere = 1;
  std::thread([&] {
    users.clear();  // the last owners: every block goes back on this thread
    elsewhere = kept_bytes();
  }).join();
  CHECK(elsewhere == 0);
  // Under LeakSanitizer (./dev test --sanitize), what this thread keeps would be reported
  // leaked if its exit did not free it.
  std::size_t in_thread = 0;
  std::thread([&] {
    in_thread = load_all(Session) == n ? kept_bytes() : 0;
  }).join();
  CHECK(in_thread > 0);
}

TEST_CASE("an identity map's array given back and taken again holds none of its former keys") {
  RestoreCache restore;
  using orm::detail::IdentityKey;
  std::vector<IdentityKey> keys;
  for (int k = 0; k < 1000; ++k) keys.emplace_back(std::int64_t{k});
  for (int k = 0; k < 100; ++k) keys.emplace_back("t" + std::to_string(k) + "\x1f" + "x\x1f");  // text keys, owned
  orm::detail::IdentityMap map;
  for (auto& k : keys) CHECK(map.try_emplace(k).second);  // rehashes through every size on the way
  REQUIRE(map.size() == keys.size());
  std::size_t before = kept_bytes();
  map.clear();
  CHECK(kept_bytes() - before == 2048 * sizeof(orm::detail::IdentityMap::value_type));  // 1 100 keys, 3/4 full at most
  orm::detail::IdentityMap again;
  again.reserve(keys.size());  // the same size: the array just given back
  CHECK(kept_bytes() == before);
  CHECK(again.size() == 0);
  CHECK(again.begin() == again.end());
  for (auto& k : keys) CHECK(again.find(k) == again.end());
  for (auto& k : keys) CHECK(again.try_emplace(k).second);
  CHECK(again.size() == keys.size());
  for (auto& k : keys) CHECK(again.find(k) != again.end());
}
