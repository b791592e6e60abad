// test/subproject/consumer.cpp — a user's program built against athanor as a subproject
// (separately compiled: dependency('athanor-compiled')): a model, a typed query, a session.
#include <athanor/athanor.hpp>

#include <cstdio>
#include <string>

namespace orm = athanor::orm;

namespace shop {
struct Item {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  static void configure(orm::Mapper<Item>& m) { m.column<&Item::id>().primary_key(); }
};
ATHANOR_MODEL(Item, "items", id, name)
}  // namespace shop

int main() {
  using shop::Item;
  auto engine = athanor::create_engine("sqlite://");
  orm::Registry registry;
  registry.map<Item>();
  registry.metadata().create_all(engine);
  orm::sessionmaker Session{engine};
  auto session = Session();
  session.add(Item{.name = "lamp"});
  session.commit();
  auto rows = session.execute(orm::select(orm::c<&Item::name>).where(orm::c<&Item::id> == 1));
  if (rows.size() != 1 || std::get<0>(rows[0]) != "lamp") return std::puts("wrong result"), 1;
  std::puts("ok: athanor as a subproject");
}
