// test/reliability/injection.cpp — a corpus of hostile strings (quotes, comments, stacked
// statements, backslashes, NUL bytes, invalid UTF-8, 1 MiB, look-alike quotes, wildcards,
// placeholder syntax) used as values (Core and ORM), as LIKE patterns and as table and column
// names given at run time. Each is stored and read back byte for byte, or refused with a typed
// error where the backend cannot hold it; none is ever executed: a sentinel table keeps its
// rows and no table "pwned" appears, after every case.
#include "support/backend.hpp"
#include "support/requirements.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

using namespace athanor;

namespace hostile {
namespace orm = athanor::orm;

/// The ORM side of the corpus: one object per string, as text and as bytes.
struct Note {
  orm::Mapped<int> id;
  orm::Mapped<std::string> body;
  orm::Mapped<Bytes> raw;
  static void configure(orm::Mapper<Note>& m) {
    m.column<&Note::id>().primary_key().autoincrement(false);
    m.column<&Note::body>().type(Text{});
  }
};
ATHANOR_MODEL(Note, "hostile_notes", id, body, raw)

}  // namespace hostile

namespace {

struct Hostile {
  std::string label;
  std::string text;
};

/// 1 MiB of letters, digits, quotes, semicolons and comment marks in no repeating order (an
/// LCG), so that matching it against itself shifted fails at once and LIKE stays linear.
std::string mebibyte() {
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';\"-/*`$?:()";
  std::string s(1 << 20, ' ');
  std::uint32_t x = 12345;
  for (char& c : s) x = x * 1664525u + 1013904223u, c = alphabet[(x >> 24) % (sizeof alphabet - 1)];
  return s;
}

const std::vector<Hostile>& corpus() {
  using namespace std::string_literals;
  static const std::vector<Hostile> strings{
      {"single quote", "it's"},
      {"lone single quote", "'"},
      {"double quotes", "say \"hi\""},
      {"lone double quote", "\""},
      {"quote, drop, comment", "'; DROP TABLE sentinel; --"},
      {"paren, drop, comment", "x'); DROP TABLE sentinel; --"},
      {"double quote, drop", "\"; DROP TABLE sentinel; --"},
      {"stacked create", "'; CREATE TABLE pwned (x INTEGER); --"},
      {"second statement", "x; DELETE FROM sentinel; SELECT 1"},
      {"tautology", "' OR '1'='1"},
      {"union", "' UNION SELECT word FROM sentinel --"},
      {"block comment", "a/* comment */b"},
      {"unclosed comment", "/* never closed"},
      {"line comment", "-- comment"},
      {"MySQL executable comment", "/*!50000 DROP TABLE sentinel */"},
      {"hash comment", "# DROP TABLE sentinel"},
      {"backslash", "back\\slash"},
      {"backslash quote", "\\'"},
      {"backslash quote, drop", "\\'; DROP TABLE sentinel; -- "},
      {"trailing backslash", "trailing\\"},
      {"two backslashes", "\\\\"},
      {"escaped NUL text", "\\0 \\u0000 \\x00"},
      {"NUL inside", "nul\0inside"s},
      {"NUL alone", "\0"s},
      {"NUL, drop", "x\0'; DROP TABLE sentinel; --"s},
      {"lone 0xFF", "\xff"},
      {"truncated 3-byte sequence", "ab\xe2\x82"},
      {"overlong '/'", "\xc0\xaf"},
      {"overlong quote", "\xc0\xa7; DROP TABLE sentinel; --"},
      {"encoded surrogate", "\xed\xa0\x80"},
      {"1 MiB", mebibyte()},
      {"fullwidth apostrophe U+FF07", "x\xef\xbc\x87; DROP TABLE sentinel; --"},
      {"modifier apostrophe U+02BC", "x\xca\xbc; DROP TABLE sentinel; --"},
      {"right single quote U+2019", "x\xe2\x80\x99; DROP TABLE sentinel; --"},
      {"percent", "100%"},
      {"underscore", "a_b"},
      {"only wildcards", "%_%"},
      {"escape character", "!%!_!"},
      {"backticks", "`sentinel`"},
      {"backtick, drop", "`; DROP TABLE sentinel; --"},
      {"positional placeholder", "$1"},
      {"placeholder, drop", "$1); DROP TABLE sentinel; --"},
      {"question mark", "?"},
      {"named placeholder", ":name"},
      {"dollar quoting", "$$; DROP TABLE sentinel; $$"},
      {"format directives", "%s %d %n"},
      {"PostgreSQL cast", "1::int"},
      {"empty", ""},
      {"trailing space", "trailing "},
      {"newline, tab, CR", "line\nbreak\ttab\r"},
      {"control characters", "\x01\x1b[31m"},
      {"emoji (4 bytes)", "\xf0\x9f\x98\x80"},
      {"byte order mark", "\xef\xbb\xbf"},
      {"line separator U+2028", "a\xe2\x80\xa8" "b"},
  };
  return strings;
}

Bytes bytes(std::string_view s) {
  auto* p = reinterpret_cast<const std::byte*>(s.data());
  return Bytes(p, p + s.size());
}

/// "" when `got` is `expected` byte for byte, else where they first differ (never the whole
/// 1 MiB in a failure message).
std::string difference(std::string_view expected, std::string_view got) {
  if (expected == got) return "";
  auto at = std::mismatch(expected.begin(), expected.end(), got.begin(), got.end()).first - expected.begin();
  return std::to_string(expected.size()) + " bytes expected, " + std::to_string(got.size()) +
         " read; first difference at byte " + std::to_string(at);
}
std::string difference(std::string_view expected, const Bytes& got) {
  return difference(expected, std::string_view(reinterpret_cast<const char*>(got.data()), got.size()));
}

/// The largest code point of `s`, or nothing when `s` is not well-formed UTF-8 (overlong
/// forms, encoded surrogates and truncated sequences are not).
std::optional<char32_t> max_code_point(std::string_view s) {
  char32_t max = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    // The continuation bytes the lead byte announces; 9: no lead byte (80–C1, F5–FF).
    std::size_t n = c < 0x80 ? 0 : c < 0xC2 ? 9 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF5 ? 3 : 9;
    if (n == 9 || s.size() - i <= n) return std::nullopt;
    char32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr char32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    max = std::max(max, cp), i += n + 1;
  }
  return max;
}

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

/// Whether every backend must store `s` in a text column: no NUL byte where text cannot hold
/// one, well-formed UTF-8 where the backend checks it.
bool text_must_store(std::string_view s) {
  return (!has_nul(s) || test::text_holds_nul()) && (max_code_point(s) || !test::text_checks_utf8());
}

/// Whether every backend must take `s` as a table or column name: well-formed UTF-8 of the
/// Basic Multilingual Plane (MariaDB's identifiers are utf8mb3), no NUL, not empty, at most
/// 63 bytes (PostgreSQL's NAMEDATALEN - 1), no trailing white space (MariaDB refuses it).
bool portable_identifier(std::string_view s) {
  auto max = max_code_point(s);
  return max && *max <= 0xFFFF && !s.empty() && s.size() <= 63 && !has_nul(s) &&
         !std::isspace(static_cast<unsigned char>(s.back()));
}

/// `s` as a LIKE pattern that matches exactly `s`: '!' escapes '%', '_' and itself.
std::string like_literal(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out;
}

/// `s` with its wildcards replaced by a letter: what an unescaped pattern would also match.
std::string without_wildcards(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '%' || c == '_'; }, 'Z');
  return s;
}

/// What `query` returns, or nothing when it throws a DataError.
template <class F>
auto unless_data_error(F&& query) -> std::optional<decltype(query())> {
  try {
    return query();
  } catch (const DataError&) {
    return std::nullopt;
  }
}

struct Corpus : test::Schema {
  Table sentinel{"sentinel", md,
                 Column{"id", Integer{}, primary_key, autoincrement(false)},
                 Column{"word", String{20}}};
  Table notes{"hostile", md,
              Column{"id", Integer{}, primary_key, autoincrement(false)},
              Column{"grp", Integer{}, nullable(false)},
              Column{"body", Text{}},
              Column{"raw", LargeBinary{}}};
  Corpus() {
    create();
    auto c = engine.begin();
    c.execute(insert(sentinel).values({{"id", 1}, {"word", "alpha"}}));
    c.execute(insert(sentinel).values({{"id", 2}, {"word", "beta"}}));
    c.execute(insert(sentinel).values({{"id", 3}, {"word", "gamma"}}));
    c.commit();
  }

  /// Nothing was executed: the sentinel table and its rows are there, no table "pwned" is.
  void check_untouched() {
    auto c = engine.connect();
    REQUIRE(c.has_table("sentinel"));
    CHECK(c.execute(select(sentinel.c("word")).order_by(sentinel.c("id"))).scalars<std::string>() ==
          std::vector<std::string>{"alpha", "beta", "gamma"});
    CHECK_FALSE(c.has_table("pwned"));
  }

  /// The ids of the rows of group `grp` that meet `condition`, in order.
  std::vector<int> ids(int grp, const Expr& condition) {
    auto c = engine.connect();
    auto query = select(notes.c("id")).where(notes.c("grp") == grp && condition).order_by(notes.c("id"));
    return c.execute(query).scalars<int>();
  }
  /// The ids of group `grp` whose body matches `pattern`.
  std::vector<int> like(int grp, const std::string& pattern, std::optional<char> escape = '!') {
    return ids(grp, notes.c("body").like(pattern, escape));
  }
};

}  // namespace

TEST_CASE("hostile strings as Core values: stored and read back byte for byte, as text and as bytes") {
  Corpus db;
  std::string refused;
  for (std::size_t k = 0; k < corpus().size(); ++k) {
    const std::string& label = corpus()[k].label;  // not a structured binding: clang 14 cannot capture one
    const std::string& s = corpus()[k].text;
    CAPTURE(label);
    int id = static_cast<int>(k) * 10;
    bool stored = false;
    {
      auto c = db.engine.connect();
      try {
        c.execute(insert(db.notes).values({{"id", id}, {"grp", id}, {"body", s}, {"raw", bytes(s)}}));
        stored = true;
      } catch (const DataError& e) {
        // Refused where the backend cannot hold it (a NUL byte in PostgreSQL text, invalid
        // UTF-8 where the server checks), in a message that does not repeat the value.
        CHECK_FALSE(text_must_store(s));
        std::string msg = e.what();
        if (has_nul(s)) {
          CHECK(msg ==
                "[athanor.data.nul] parameter $3: PostgreSQL text cannot contain a NUL byte (store such data in a "
                "LargeBinary column)");
        } else {
          CHECK(msg.rfind("[athanor.data] ", 0) == 0);
        }
        CHECK(msg.find("DROP") == std::string::npos);
        refused += (refused.empty() ? "" : "; ") + label;
        c.execute(insert(db.notes).values({{"id", id}, {"grp", id}, {"raw", bytes(s)}}));
      }
      auto row = c.execute(select(db.notes.c("body"), db.notes.c("raw")).where(db.notes.c("id") == id)).one();
      if (stored) CHECK(difference(s, row.get<std::string>(0)) == "");
      CHECK(difference(s, row.get<Bytes>(1)) == "");
      if (stored) CHECK(db.ids(id, db.notes.c("body") == s) == std::vector<int>{id});  // compared on the server too
    }
    db.check_untouched();
  }
  MESSAGE(corpus().size() << " hostile strings tried as Core values on " << test::backend()
                          << "; all stored as bytes; refused as text (DataError): "
                          << (refused.empty() ? "none" : refused));
}

TEST_CASE("hostile strings as ORM values: flushed and loaded byte for byte in a new Session") {
  Corpus db;
  orm::Registry registry;
  registry.map<hostile::Note>();
  registry.metadata().drop_all(db.engine);
  registry.metadata().create_all(db.engine);
  std::string refused;
  for (std::size_t k = 0; k < corpus().size(); ++k) {
    const std::string& label = corpus()[k].label;  // not a structured binding: clang 14 cannot capture one
    const std::string& s = corpus()[k].text;
    CAPTURE(label);
    int id = static_cast<int>(k) + 1;
    bool stored = false;
    {
      orm::Session session(db.engine);
      session.add(hostile::Note{.id = id, .body = s, .raw = bytes(s)});
      try {
        session.commit();
        stored = true;
      } catch (const DataError&) {
        CHECK_FALSE(text_must_store(s));
        refused += (refused.empty() ? "" : "; ") + label;
        session.rollback();  // the failed flush rolled back; the Session works again after this
        session.add(hostile::Note{.id = id, .body = "", .raw = bytes(s)});
        session.commit();
      }
    }
    {
      orm::Session session(db.engine);
      auto note = session.get<hostile::Note>(id);
      REQUIRE(note);
      CHECK(difference(stored ? s : "", note->body.get()) == "");
      CHECK(difference(s, note->raw.get()) == "");
    }
    db.check_untouched();
  }
  registry.metadata().drop_all(db.engine);
  MESSAGE(corpus().size() << " hostile strings tried as ORM values on " << test::backend()
                          << "; all stored as bytes; refused as text (DataError): "
                          << (refused.empty() ? "none" : refused));
}

TEST_CASE("hostile strings as LIKE patterns: escaped, they match only themselves; raw, they execute nothing") {
  Corpus db;
  int patterns = 0;
  for (std::size_t k = 0; k < corpus().size(); ++k) {
    const std::string& label = corpus()[k].label;  // not a structured binding: clang 14 cannot capture one
    const std::string& s = corpus()[k].text;
    CAPTURE(label);
    int grp = static_cast<int>(k);
    // The string, and near misses: longer on either side, and with its wildcards as letters.
    std::vector<std::string> bodies{s};
    for (std::string v : {s + "x", "x" + s, without_wildcards(s)}) {
      if (std::find(bodies.begin(), bodies.end(), v) == bodies.end()) bodies.push_back(v);
    }
    bool stored = true;
    {
      auto c = db.engine.connect();
      for (std::size_t j = 0; j < bodies.size() && stored; ++j) {
        try {
          int id = grp * 10 + static_cast<int>(j);
          c.execute(insert(db.notes).values({{"id", id}, {"grp", grp}, {"body", bodies[j]}}));
        } catch (const DataError&) {
          CHECK_FALSE(text_must_store(s));
          stored = false;
        }
      }
    }
    auto expect = [&](auto&& keep) {  // the ids of the bodies `keep` takes, byte for byte
      std::vector<int> ids;
      for (std::size_t j = 0; j < bodies.size(); ++j)
        if (keep(std::string_view(bodies[j]))) ids.push_back(grp * 10 + static_cast<int>(j));
      return ids;
    };
    auto group = expect([](std::string_view) { return true; });
    auto in_group_with_s = [&](const std::vector<int>& ids) {
      return std::includes(group.begin(), group.end(), ids.begin(), ids.end()) &&
             std::binary_search(ids.begin(), ids.end(), grp * 10);
    };
    std::string lit = like_literal(s);
    if (!stored) {
      // Not text to this backend: as a pattern it matches nothing, or is refused the same way.
      for (const std::string& p : {lit, s}) {
        ++patterns;
        auto ids = unless_data_error([&] { return db.like(grp, p); });
        CHECK((!ids || ids->empty()));
      }
      db.check_untouched();
      continue;
    }
    if (lit.size() + 2 > test::max_like_pattern()) {
      // Longer than the backend takes: a typed error, not a match.
      for (const std::string& p : {lit, "%" + lit + "%"}) {
        ++patterns;
        CHECK_THROWS_AS(db.like(grp, p), DatabaseError);
      }
      db.check_untouched();
      continue;
    }
    CHECK(db.ids(grp, db.notes.c("body") == s) == expect([&](std::string_view b) { return b == s; }));
    patterns += 5;
    if (has_nul(s) && !test::like_sees_nul()) {
      // LIKE stops at the NUL here: each pattern still matches the string, and only near
      // misses that agree with it up to the NUL besides.
      for (const std::string& p : {lit, lit + "%", "%" + lit, "%" + lit + "%"}) CHECK(in_group_with_s(db.like(grp, p)));
    } else {
      CHECK(db.like(grp, lit) == expect([&](std::string_view b) { return b == s; }));
      CHECK(db.like(grp, lit + "%") == expect([&](std::string_view b) { return b.starts_with(s); }));
      CHECK(db.like(grp, "%" + lit) == expect([&](std::string_view b) { return b.ends_with(s); }));
      CHECK(db.like(grp, "%" + lit + "%") ==
            expect([&](std::string_view b) { return b.find(s) != std::string_view::npos; }));
    }
    // Unescaped, the string is a pattern: its wildcards act, and a backslash escapes where it
    // is the default escape (PostgreSQL, MySQL; a trailing one is a DataError on PostgreSQL).
    // What it matches is in its group, and without backslashes it matches itself.
    bool backslash = s.find('\\') != std::string::npos;
    auto raw = unless_data_error([&] { return db.like(grp, s, std::nullopt); });
    if (!raw) {
      CHECK(backslash);
    } else if (!backslash) {
      CHECK(in_group_with_s(*raw));
    } else {
      CHECK(std::includes(group.begin(), group.end(), raw->begin(), raw->end()));
    }
    db.check_untouched();
  }
  MESSAGE(corpus().size() << " hostile strings tried as LIKE patterns on " << test::backend() << " (" << patterns
                          << " patterns)");
}

TEST_CASE("hostile strings as table and column names: quoted by the dialect, or refused with a typed error") {
  Corpus db;
  std::string refused;
  for (const Hostile& hostile : corpus()) {
    const std::string& label = hostile.label;
    const std::string& name = hostile.text;
    CAPTURE(label);
    MetaData md;
    Table t{name, md, Column{"id", Integer{}, primary_key, autoincrement(false)}, Column{name, Text{}}};
    std::string error;
    try {
      db.engine.create_all(md);
      auto c = db.engine.connect();
      CHECK(c.has_table(name));
      c.execute(insert(t).values({{"id", 1}, {name, "in " + name}}));
      auto row = c.execute(select(t).where(t.c("id") == 1)).one();
      CHECK(row.get<int>("id") == 1);
      CHECK(difference("in " + name, row.get<std::string>(1)) == "");
      c.close();
      db.engine.drop_all(md);
      CHECK_FALSE(db.engine.connect().has_table(name));
    } catch (const ArgumentError& e) {  // empty, a NUL byte, or too long: refused before any SQL is sent
      error = e.what();
      const Capabilities& caps = test::caps();
      if (name.empty() || name.find('\0') != std::string::npos) {
        CHECK(error == "[athanor.argument.identifier] an identifier is empty or contains a NUL byte");
      } else if (error.find(" holds a character beyond U+FFFF; ") != std::string::npos) {  // MariaDB's utf8mb3 names
        CHECK(caps.identifiers_bmp_only);
        CHECK(max_code_point(name).value_or(0) > 0xFFFF);
      } else {  // longer than the server would keep (it would cut the name short)
        CHECK(caps.max_identifier_length > 0);
        CHECK(name.size() > caps.max_identifier_length);
        std::string unit = caps.identifier_length_in_characters ? " characters" : " bytes";
        CHECK(error.ends_with(" identifiers are at most " + std::to_string(caps.max_identifier_length) + unit));
      }
    } catch (const ProgrammingError& e) {  // MariaDB: too long, trailing space, outside utf8mb3
      error = e.what();
    } catch (const DataError& e) {  // not UTF-8 where the server checks
      error = e.what();
    }
    if (!error.empty()) {
      refused += (refused.empty() ? "" : "; ") + label;
      INFO("refused: " << error.substr(0, 200));
      CHECK_FALSE(portable_identifier(name));
      CHECK(error.rfind("[athanor.", 0) == 0);
      try {
        db.engine.drop_all(md);  // whatever was created before the refusal
      } catch (const Error&) {
      }
    }
    db.check_untouched();
  }
  MESSAGE(corpus().size() << " hostile strings tried as table and column names on " << test::backend()
                          << "; refused with a typed error: " << (refused.empty() ? "none" : refused));
}

TEST_CASE("hostile strings as inline literals: quoted by the dialect and read back byte for byte, or refused") {
  Corpus db;
  std::string refused;
  for (const Hostile& hostile : corpus()) {
    const std::string& label = hostile.label;
    const std::string& s = hostile.text;
    CAPTURE(label);
    auto c = db.engine.connect();
    if (has_nul(s) || !max_code_point(s)) {  // refused before any SQL is sent
      CHECK_THROWS_WITH_AS(c.execute(select(inline_literal(s).label("v"))),
                           has_nul(s) ? "[athanor.argument.literal] inline_literal(): the string contains a NUL byte; bind it"
                                      : "[athanor.argument.literal] inline_literal(): the string is not well-formed UTF-8; bind it",
                           ArgumentError);
      refused += (refused.empty() ? "" : "; ") + label;
    } else {
      CHECK(difference(s, c.execute(select(inline_literal(s).label("v"))).one().get<std::string>(0)) == "");
      // On the server it is the very string: equal to it bound, and to no sentinel word.
      CHECK(c.execute(select(count()).select_from(db.sentinel).where(inline_literal(s) == literal(s))).scalar<std::int64_t>() == 3);
      CHECK(c.execute(select(count()).select_from(db.sentinel).where(db.sentinel.c("word") == inline_literal(s))).scalar<std::int64_t>() == 0);
    }
    db.check_untouched();
  }
  MESSAGE(corpus().size() << " hostile strings tried as inline literals on " << test::backend()
                          << "; refused (ArgumentError): " << (refused.empty() ? "none" : refused));
}
