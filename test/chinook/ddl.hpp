// test/chinook/ddl.hpp — where the published Chinook scripts are, and the schema part of one
// (its CREATE TABLE, ALTER TABLE and CREATE INDEX statements) for the reflection tests, which
// need the tables as each script writes them but not the rows.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <athanor/dialect/reflection.hpp>  // detail::lower

namespace chinook {

inline std::string data_dir() {
  const char* root = std::getenv("ATHANOR_CHINOOK_DIR");
  return root && *root ? root : "/work/shared/data/chinook";
}

/// The DDL statements of the published script `file` (e.g. "Chinook_PostgreSql.sql"), in order.
inline std::vector<std::string> ddl(const std::string& file) {
  std::ifstream in(data_dir() + "/" + file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + data_dir() + "/" + file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str(), plain;
  for (std::size_t i = 0; i < text.size(); ++i) {  // without comments
    if (text.compare(i, 2, "/*") == 0) i = text.find("*/", i + 2) + 1;
    else if (text.compare(i, 2, "--") == 0) i = text.find('\n', i) - 1;
    else plain += text[i];
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t semi; (semi = plain.find(";\n", start)) != std::string::npos; start = semi + 2) {
    std::string stmt = plain.substr(start, semi - start);
    stmt.erase(0, stmt.find_first_not_of(" \t\r\n"));
    std::string head = athanor::detail::lower(stmt.substr(0, 12));
    if (head.rfind("create table", 0) == 0 || head.rfind("alter table", 0) == 0 || head.rfind("create index", 0) == 0)
      out.push_back(stmt);
  }
  return out;
}

}  // namespace chinook
