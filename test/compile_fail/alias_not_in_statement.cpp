// test/compile_fail/alias_not_in_statement.cpp — an alias is its own FROM item: its columns
// need it in the statement, even when its model is there.
#include "models.hpp"
int main() {
  constexpr auto other = orm::aliased<User, "other">;
  [[maybe_unused]] auto ok = orm::select(c<&User::name>).join(other, c<&User::id> < other.c<&User::id>).where(other.c<&User::id> > 3);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(c<&User::name>).where(other.c<&User::id> > 3);
#endif
}
