// athanor/driver/detail/mysql_error.hpp — MySQL/MariaDB error numbers to athanor's exceptions,
// for driver/mysql.hpp. Messages name the table, column, key or constraint, never a value:
// the server's "Duplicate entry 'x' for key 'k'" repeats the user's data, so it is rewritten,
// and so is "Incorrect … value: 'x' for column …".
#pragma once

#include <algorithm>    // std::min
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/core/error.hpp>

namespace athanor::driver::mysql::detail {

/// The text between the first `open` after `after` and the next `close`, or "".
inline std::string between(std::string_view msg, std::string_view after, char open, char close) {
  auto p = msg.find(after);
  if (p == std::string_view::npos) return {};
  auto a = msg.find(open, p + after.size());
  if (a == std::string_view::npos) return {};
  auto b = msg.find(close, a + 1);
  if (b == std::string_view::npos) return {};
  return std::string(msg.substr(a + 1, b - a - 1));
}

/// The table an INSERT/UPDATE/DELETE written by athanor's compiler targets, or "".
inline std::string target_table(std::string_view sql) {
  for (std::string_view head : {"INSERT INTO `", "UPDATE `", "DELETE FROM `"}) {
    if (sql.substr(0, head.size()) != head) continue;
    std::string name;
    for (std::size_t i = head.size(); i < sql.size(); ++i) {
      if (sql[i] != '`') {
        name += sql[i];
      } else if (i + 1 < sql.size() && sql[i + 1] == '`') {  // a doubled backtick
        name += '`', ++i;
      } else {
        return name;
      }
    }
  }
  return {};
}

/// The key named by ER_DUP_ENTRY's "Duplicate entry 'value' for key 'name'", read from the
/// end because the value itself may contain " for key '" (MySQL 8 writes 'table.name').
inline std::string duplicate_key(const std::string& msg) {
  auto p = msg.rfind(" for key '");
  auto q = msg.rfind('\'');
  if (p == std::string::npos || q <= p + 10) return {};
  return msg.substr(p + 10, q - (p + 10));
}

/// The message without the value it quotes: "Incorrect integer value: 'abc' for column `t`.`c`
/// at row 1" → "Incorrect integer value for column `t`.`c` at row 1". The value is whatever the
/// application bound, a password as well (the server quotes up to 128 characters of it, or
/// the 6 bytes from an invalid character of a string).
inline std::string without_value(std::string msg) {
  auto open = msg.find(" value: '");
  if (open == std::string::npos) return msg;
  auto close = msg.rfind("' for ");
  if (close == std::string::npos || close <= open + 8) close = msg.size() - 1;  // the value ends the message
  if (close <= open + 8 || msg[close] != '\'') return msg;
  msg.erase(open + 6, close + 1 - (open + 6));
  return msg;
}

/// Throws the athanor exception for server or client error `err`
/// (https://mariadb.com/kb/en/mariadb-error-code-reference/). `sql` is the statement that
/// failed, used only to name the table; `unique_columns` are the columns of the key a
/// duplicate entry hit ("name", "first, last"), when the driver could look them up.
[[noreturn]] inline void raise(unsigned err, std::string_view msg_in, std::string_view sql = {}, const std::string& unique_columns = {}) {
  std::string msg(msg_in);
  auto qualified = [&](const std::string& column) {
    auto table = target_table(sql);
    return table.empty() ? column : table + "." + column;
  };
  switch (err) {
    case 1062:  // ER_DUP_ENTRY: "Duplicate entry 'value' for key 'name'" — keep the key only
    case 1586:  // ER_DUP_ENTRY_WITH_KEY_NAME
    {
      auto key = duplicate_key(msg), table = target_table(sql);
      if (table.empty()) throw IntegrityError("[athanor.integrity.unique] " + key + ": duplicate value");
      std::string what = table;
      for (std::size_t a = 0, b = 0; a < unique_columns.size(); a = b + 2) {  // "users.first, users.last"
        b = std::min(unique_columns.find(", ", a), unique_columns.size());
        what += (a ? ", " + table + "." : ".") + unique_columns.substr(a, b - a);
      }
      throw IntegrityError("[athanor.integrity.unique] " + what + ": duplicate value (constraint " + key + ")");
    }
    case 1048:  // ER_BAD_NULL_ERROR: "Column 'c' cannot be null"
    case 1364:  // ER_NO_DEFAULT_FOR_FIELD: "Field 'c' doesn't have a default value"
      throw IntegrityError("[athanor.integrity.not_null] " + qualified(between(msg, "", '\'', '\'')) +
                           ": NULL in a NOT NULL column");
    case 1452:  // ER_NO_REFERENCED_ROW_2
    case 1216:  // ER_NO_REFERENCED_ROW
    case 1451:  // ER_ROW_IS_REFERENCED_2
    case 1217: {  // ER_ROW_IS_REFERENCED
      std::string what = (err == 1452 || err == 1216) ? "a foreign key does not match a row of the referenced table"
                                                       : "a row is still referenced by a foreign key";
      auto name = between(msg, "CONSTRAINT ", '`', '`');
      throw IntegrityError("[athanor.integrity.foreign_key] " + what + (name.empty() ? "" : " (constraint " + name + ")"));
    }
    case 4025:  // ER_CONSTRAINT_FAILED (MariaDB): "CONSTRAINT `ck` failed for `db`.`t`"
      throw IntegrityError("[athanor.integrity.check] check constraint " + between(msg, "CONSTRAINT", '`', '`') + " failed");
    case 3819:  // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8): "Check constraint 'ck' is violated."
      throw IntegrityError("[athanor.integrity.check] check constraint " + between(msg, "", '\'', '\'') + " failed");
    case 1146:  // ER_NO_SUCH_TABLE
    case 1054:  // ER_BAD_FIELD_ERROR
    case 1064:  // ER_PARSE_ERROR
    case 1149:  // ER_SYNTAX_ERROR
    case 1050:  // ER_TABLE_EXISTS_ERROR
    case 1051:  // ER_BAD_TABLE_ERROR
    case 1060:  // ER_DUP_FIELDNAME
    case 1061:  // ER_DUP_KEYNAME
    case 1091:  // ER_CANT_DROP_FIELD_OR_KEY
    case 1136:  // ER_WRONG_VALUE_COUNT_ON_ROW
    case 1170:  // ER_BLOB_KEY_WITHOUT_LENGTH
    case 1210:  // ER_WRONG_ARGUMENTS (e.g. a wrong parameter count)
    case 1222:  // ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT
    case 1305:  // ER_SP_DOES_NOT_EXIST (unknown function)
    case 1582:  // ER_WRONG_PARAMCOUNT_TO_NATIVE_FCT
    case 1059:  // ER_TOO_LONG_IDENT (over 64 characters)
    case 1103:  // ER_WRONG_TABLE_NAME (e.g. a trailing space)
    case 1166:  // ER_WRONG_COLUMN_NAME
    case 1300:  // ER_INVALID_CHARACTER_STRING (an identifier that is not valid UTF-8, or outside the BMP)
    case 1267:  // ER_CANT_AGGREGATE_2COLLATIONS (e.g. a name that is not UTF-8 against information_schema)
      throw ProgrammingError("[athanor.programming] " + msg);
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1367:  // ER_ILLEGAL_VALUE_FOR_TYPE
    case 1406:  // ER_DATA_TOO_LONG
    case 1411:  // ER_WRONG_VALUE_FOR_TYPE
    case 1690:  // ER_DATA_OUT_OF_RANGE
    case 3140:  // ER_INVALID_JSON_TEXT (MySQL 8)
    case 1365:  // ER_DIVISION_BY_ZERO
      throw DataError("[athanor.data] " + without_value(msg));
    case 1969:  // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
    case 3024:  // ER_QUERY_TIMEOUT (MySQL max_execution_time)
      throw OperationalError("[athanor.operational.timeout] MySQL/MariaDB cancelled the statement: " + msg);
    case 1205:  // ER_LOCK_WAIT_TIMEOUT: only the statement is rolled back (innodb_rollback_on_timeout=OFF)
      throw LockTimeout("[athanor.operational.timeout] MySQL/MariaDB cancelled the statement: " + msg);
    case 1213:  // ER_LOCK_DEADLOCK: InnoDB rolled the whole transaction back; Galera's certification failure too
      throw DeadlockDetected("[athanor.operational.deadlock] " + msg);
    case 1040:  // ER_CON_COUNT_ERROR
    case 1045:  // ER_ACCESS_DENIED_ERROR
    case 1049:  // ER_BAD_DB_ERROR
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1927:  // ER_CONNECTION_KILLED
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT
      throw OperationalError("[athanor.operational] " + msg);
    default: break;
  }
  // Client-side errors (2000–2999: CR_CONNECTION_ERROR, CR_SERVER_GONE_ERROR, CR_SERVER_LOST…)
  // are about the link, except misuse of the API, which is athanor's bug.
  if (err >= 2000 && err < 3000 && err != 2014 && err != 2031 && err != 2034 && err != 2036 && err != 2057) {
    throw OperationalError("[athanor.operational] " + msg);
  }
  throw DatabaseError("[athanor.database] " + msg);
}

}  // namespace athanor::driver::mysql::detail
