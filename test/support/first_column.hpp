// test/support/first_column.hpp — the first column of a raw SQL query's rows, as text: what a
// migration test reads back from tables no model of its own describes.
#pragma once

#include <athanor/athanor.hpp>

#include <string>
#include <vector>

namespace test {

/// Each row's first column, in the order the query gives them.
inline std::vector<std::string> first_column(athanor::Engine& engine, const std::string& sql) {
  std::vector<std::string> out;
  auto conn = engine.connect();
  auto result = conn.exec_driver_sql(sql);
  for (auto& row : result.all()) out.push_back(row.get<std::string>(0));
  return out;
}

}  // namespace test
