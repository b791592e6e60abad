// athanor/core/text.hpp — `text("… :name …")`, literal SQL with named bound parameters.
// The SQL is the caller's; the values still travel as bound parameters.
#pragma once

#include <memory>   // std::shared_ptr
#include <string>   // std::string
#include <utility>  // std::pair
#include <vector>   // std::vector

#include <athanor/core/expression.hpp>

namespace athanor {

/// Values for named parameters at execution: `{{"name", "ann"}, {"id", 7}}`.
using Params = std::vector<std::pair<std::string, Value>>;

namespace detail {
struct TextNode : StatementNode {
  TextNode() : StatementNode(Kind::text) {}
  /// SQL pieces; odd entries are parameter names (":name" in the source).
  std::vector<std::string> pieces;
  Params bound;
};

/// Splits on `:name` outside quotes; `::` (a PostgreSQL cast) and `\:` stay literal.
inline std::vector<std::string> split_text(std::string_view sql) {
  std::vector<std::string> pieces(1);
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {  // copy a quoted string or identifier whole
      std::size_t j = sql.find(c, i + 1);
      j = j == std::string_view::npos ? sql.size() : j + 1;
      pieces.back().append(sql.substr(i, j - i));
      i = j - 1;
    } else if (c == '\\' && i + 1 < sql.size() && sql[i + 1] == ':') {
      pieces.back() += ':', ++i;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
      pieces.back() += "::", ++i;
    } else if (c == ':' && i + 1 < sql.size() && ident(sql[i + 1]) && !std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      std::size_t j = i + 1;
      while (j < sql.size() && ident(sql[j])) ++j;
      pieces.emplace_back(sql.substr(i + 1, j - i - 1));
      pieces.emplace_back();
      i = j - 1;
    } else {
      pieces.back() += c;
    }
  }
  return pieces;
}
}  // namespace detail

/// Literal SQL with `:name` parameters.
/// **Example**: `conn.execute(text("SELECT * FROM users WHERE name = :name"), {{"name", "ann"}})`
class TextClause {
 public:
  /// `sql` split at its `:name` parameters (`::` stays, `\:` is a colon; quoted text is kept whole).
  explicit TextClause(std::string_view sql) : node_(std::make_shared<detail::TextNode>()) {
    node_->pieces = detail::split_text(sql);
  }
  /// Values bound now rather than at execution.
  TextClause bindparams(Params p) const {
    TextClause t(*this);
    t.node_ = std::make_shared<detail::TextNode>(*node_);
    for (auto& kv : p) t.node_->bound.push_back(std::move(kv));
    return t;
  }
  const detail::TextNode& node() const { return *node_; }  ///< The parsed text, for the compiler.
  const std::shared_ptr<detail::TextNode>& ptr() const { return node_; }  ///< The same, shared.

 private:
  std::shared_ptr<detail::TextNode> node_;
};

/// SQL text with `:name` parameters, bound at execution: `text("SELECT * FROM t WHERE id = :id")`.
inline TextClause text(std::string_view sql) { return TextClause(sql); }

/// A SQL fragment inside an expression, written as is: `server_default(sql_fragment("CURRENT_TIMESTAMP"))`.
/// Never build it from user input.
inline Expr sql_fragment(std::string sql, SqlType type = {}) {
  return Expr::make(detail::ExprKind::raw, std::move(type), std::move(sql), {});
}

}  // namespace athanor
