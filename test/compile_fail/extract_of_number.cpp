// test/compile_fail/extract_of_number.cpp — extract()/year() take a Date or DateTime.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(orm::current_date(), orm::year(orm::current_date()));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(orm::year(c<&User::id>));
#endif
}
