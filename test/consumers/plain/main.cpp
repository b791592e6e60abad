// test/consumers/plain/main.cpp — a user's program built with one g++ line against an installed
// athanor (test/consumers/run.sh prints the line): a Core table, an insert, a select.
#include <athanor/athanor.hpp>

#include <iostream>
#include <string>

int main() {
  auto engine = athanor::create_engine("sqlite://");
  athanor::MetaData metadata;
  athanor::Table notes{"notes", metadata,
                       athanor::Column{"id", athanor::Integer{}, athanor::primary_key},
                       athanor::Column{"text", athanor::String{100}}};
  metadata.create_all(engine);
  auto conn = engine.begin();
  conn.execute(athanor::insert(notes).values({{"text", "hello from g++"}}));
  conn.commit();
  auto text = engine.connect()
                  .execute(athanor::select(notes.c("text")).where(notes.c("id") == 1))
                  .scalar_one<std::string>();
  std::cout << text << "\n";
  return text == "hello from g++" ? 0 : 1;
}
