// test/core/inspect.cpp — reflection (issue 15, first step): inspect() reads tables, columns,
// keys, constraints and indexes from the catalogs, and the round trip: create_all(M) then
// reflect gives back M, compared as canonical() texts so that a difference reads as a diff.
// Also the Chinook schema from the three published scripts: every backend reads the same.
#include "support/backend.hpp"
#include "chinook/ddl.hpp"

#include <athanor/migrate/inspect.hpp>

#include <fstream>
#include <sstream>

using namespace athanor;

namespace {

/// A schema with every type and every constraint Core has.
struct Everything {
  MetaData md;
  Table parents{"rf_parents", md,
                Column{"id", Integer{}, primary_key},                 // the generated key
                Column{"code", String{20}, nullable(false), unique},  // a UNIQUE constraint of its own
                Column{"name", String{50}, athanor::index},                    // an index of its own
                Column{"email", String{80}, unique, athanor::index}};          // a unique index
  Table orders{"rf_orders", md,
               Column{"region", SmallInteger{}},
               Column{"number", BigInteger{}},
               Column{"parent_id", Integer{}, nullable(false),
                      ForeignKey{"rf_parents.id", {.on_delete = Action::cascade, .on_update = Action::cascade}}},
               Column{"backup_parent", Integer{}, ForeignKey{"rf_parents.id", {.on_delete = Action::set_null, .on_update = Action::unspecified}}},
               PrimaryKeyConstraint{{"region", "number"}}};
  Table types{"rf_types", md,
              Column{"id", BigInteger{}, primary_key},
              Column{"i", Integer{}, server_default(0)},
              Column{"bi", BigInteger{}, nullable(false)},
              Column{"si", SmallInteger{}},
              Column{"flag", Boolean{}, nullable(false), server_default(true)},
              Column{"f", Float{}},
              Column{"d", Double{}},
              Column{"price", Numeric{8, 2}, server_default(Decimal{"1.50"})},
              Column{"label", String{40}, server_default("it's new")},
              Column{"body", Text{}},
              Column{"data", LargeBinary{}},
              Column{"day", DateType{}},
              Column{"at", DateTimeType{}, server_default(now())},
              Column{"at_tz", DateTimeType{true}},
              Column{"clock", TimeType{}},
              Column{"doc", JsonType{}},
              Column{"uid", UuidType{}},
              Column{"status", Enum{"draft", "published"}, nullable(false), server_default("draft")},
              Column{"qty", Integer{}},
              Column{"path", String{20}, server_default("C:\\dir")},  // a backslash: MariaDB escapes it, the others do not
              CheckConstraint{"qty >= 0 AND qty < 1000", "ck_rf_types_qty"},
              CheckConstraint{"si > 0", ""}};
  Table lines{"rf_lines", md,
              Column{"region", SmallInteger{}, primary_key},
              Column{"number", BigInteger{}, primary_key},
              Column{"line", Integer{}, primary_key},
              Column{"sku", String{30}, nullable(false)},
              Column{"note", String{60}},
              ForeignKeyConstraint{{"region", "number"}, {"rf_orders.region", "rf_orders.number"},
                                   {.on_delete = Action::restrict, .on_update = Action::no_action, .name = "fk_rf_lines_order"}},
              UniqueConstraint{{"sku", "line"}, ""},
              UniqueConstraint{{"note", "sku"}, "uq_rf_lines_named"},
              Index{"ix_rf_lines_multi", {"sku", "note"}},
              Index{"ux_rf_lines_note", {"note"}, true}};
  // An integer key declared as not generated (SQLite makes any lone INTEGER key the rowid).
  Table codes{"rf_codes", md, Column{"code", Integer{}, primary_key, autoincrement(false)}, Column{"label", Text{}}};
};

/// The lines only `a` has ("- …") and only `b` has ("+ …"): a failed comparison reads as a diff.
std::string diff(const std::string& a, const std::string& b) {
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string l; std::getline(ss, l);) out.push_back(l);
    return out;
  };
  auto la = lines(a), lb = lines(b);
  std::string out = "\n";
  for (auto& l : la)
    if (std::find(lb.begin(), lb.end(), l) == lb.end()) out += "- " + l + "\n";
  for (auto& l : lb)
    if (std::find(la.begin(), la.end(), l) == la.end()) out += "+ " + l + "\n";
  return out;
}

/// The canonical text of the reflected tables named like those of `md`.
std::string reflected(Engine& engine, const MetaData& md, CanonicalOptions options = {}) {
  MetaData back;
  std::vector<std::string> names;
  for (auto* t : md.sorted_tables()) names.push_back(t->name);
  reflect(back, engine, names);
  return canonical(back, engine.dialect(), options);
}

/// Chinook's schema from the backend's own published script, reflected: canonical text without
/// constraint names and generated keys (the scripts name and generate differently), names
/// folded (lower case, no '_': PostgreSQL's script says invoice_line where the others say InvoiceLine).
std::string chinook_schema(Engine& engine, const std::string& script) {
  {
    MetaData old;
    reflect(old, engine);
    old.drop_all(engine);
  }
  auto conn = engine.connect();
  for (auto& stmt : chinook::ddl(script)) conn.exec_driver_sql(stmt);
  MetaData md;
  reflect(md, conn);
  std::string text = canonical(md, engine.dialect(), {.names = false, .autoincrement = false}), folded;
  for (char c : text)
    if (c != '_') folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  md.drop_all(conn);
  return folded;
}

}  // namespace

TEST_CASE("create_all then reflect gives back the schema (every type and constraint)") {
  auto engine = test::engine();
  Everything m;
  m.md.drop_all(engine);
  m.md.create_all(engine);
  std::string declared = canonical(m.md, engine.dialect());
  std::string back_text = reflected(engine, m.md);
  CHECK_MESSAGE(back_text == declared, "declared (-) and reflected (+) differ:", diff(declared, back_text));
  CHECK(declared.find("check ck_rf_types_qty qty>=0andqty<1000") != std::string::npos);

  SUBCASE("and the reflected tables create the same schema again") {
    MetaData back;
    reflect(back, engine, {"rf_parents", "rf_orders", "rf_types", "rf_lines", "rf_codes"});
    m.md.drop_all(engine);
    back.create_all(engine);
    std::string again = reflected(engine, back);
    CHECK_MESSAGE(again == declared, "declared (-) and re-created (+) differ:", diff(declared, again));
    back.drop_all(engine);
  }
  SUBCASE("a reflected table takes rows: generated key, server defaults") {
    MetaData back;
    reflect(back, engine, {"rf_types"});
    Table t(back, "rf_types");
    auto conn = engine.connect();
    auto r = conn.execute(insert(t).values({{"bi", 5}}));
    REQUIRE(r.inserted_primary_key().size() == 1);
    auto row = conn.execute(select(t.c("flag"), t.c("label"), t.c("status"), t.c("price")).where(t.c("bi") == 5)).one();
    CHECK(row.get<bool>(0));
    CHECK(row.get<std::string>(1) == "it's new");
    CHECK(row.get<std::string>(2) == "draft");
    CHECK(row.get<double>(3) == 1.5);  // SQLite keeps NUMERIC 1.50 as the number 1.5
  }
  m.md.drop_all(engine);
}

TEST_CASE("inspect: columns, keys, actions, constraints and indexes as the catalogs give them") {
  auto engine = test::engine();
  Everything m;
  m.md.drop_all(engine);
  m.md.create_all(engine);
  auto insp = inspect(engine);
  auto names = insp.table_names();
  for (auto n : {"rf_codes", "rf_lines", "rf_orders", "rf_parents", "rf_types"})
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(insp.has_table("rf_types"));
  CHECK_FALSE(insp.has_table("rf_nothing"));
  auto conn = engine.connect();
  conn.exec_driver_sql("CREATE VIEW rf_view AS SELECT 1 AS one");
  auto views = insp.view_names();
  CHECK(std::find(views.begin(), views.end(), "rf_view") != views.end());
  auto tables = insp.table_names();
  CHECK(std::find(tables.begin(), tables.end(), "rf_view") == tables.end());
  conn.exec_driver_sql("DROP VIEW rf_view");

  auto& cols = insp.columns("rf_types");
  REQUIRE(cols.size() == 20);
  CHECK(cols[19].default_value == Value("C:\\dir"));
  CHECK(cols[0].name == "id");
  CHECK(cols[0].autoincrement);
  CHECK_FALSE(cols[0].nullable);
  CHECK(cols[4].name == "flag");
  CHECK(cols[4].type.kind == TypeKind::boolean);  // MariaDB: tinyint(1); SQLite: BOOLEAN
  CHECK(cols[4].default_value == Value(true));
  CHECK(cols[7].type == Numeric{8, 2});
  CHECK(cols[7].default_value == Value(Decimal{"1.50"}));
  CHECK(cols[8].type == String{40});
  CHECK(cols[8].default_value == Value("it's new"));  // PostgreSQL: 'it''s new'::character varying
  CHECK(cols[12].default_value == std::nullopt);      // now(): an expression
  CHECK(cols[12].default_sql.has_value());
  CHECK(cols[17].type.kind == TypeKind::enum_);
  REQUIRE(cols[17].type.enum_values);
  CHECK(*cols[17].type.enum_values == std::vector<std::string>{"draft", "published"});
  CHECK(cols[3].default_sql == std::nullopt);  // no default (MariaDB shows the text NULL)
  CHECK(cols[3].nullable);
  CHECK(insp.check_constraints("rf_types").size() == 2);  // the enum's check is the column's type

  CHECK(insp.primary_key("rf_orders").columns == std::vector<std::string>{"region", "number"});
  auto& fks = insp.foreign_keys("rf_orders");
  REQUIRE(fks.size() == 2);
  CHECK(fks[0].name == "fk_rf_orders_backup_parent_rf_parents");
  CHECK(fks[0].on_delete == Action::set_null);
  CHECK(fks[1].columns == std::vector<std::string>{"parent_id"});
  CHECK(fks[1].ref_table == "rf_parents");
  CHECK(fks[1].ref_columns == std::vector<std::string>{"id"});
  CHECK(fks[1].on_delete == Action::cascade);
  CHECK(fks[1].on_update == Action::cascade);
  auto& lfk = insp.foreign_keys("rf_lines");
  REQUIRE(lfk.size() == 1);
  CHECK(lfk[0].columns == std::vector<std::string>{"region", "number"});
  CHECK(lfk[0].ref_columns == std::vector<std::string>{"region", "number"});
  CHECK(insp.unique_constraints("rf_parents").size() == (insp.reflector().unique_index_is_constraint() ? 2 : 1));
  auto& ix = insp.indexes("rf_lines");
  CHECK(std::any_of(ix.begin(), ix.end(), [](const Index& i) { return i.name == "ix_rf_lines_multi" && i.columns.size() == 2 && !i.unique; }));
  m.md.drop_all(engine);
}

TEST_CASE("DDL written by hand: each backend's own spellings read back") {
  // Reflection reads schemas athanor did not create: identity and native enums on PostgreSQL,
  // TINYINT widths and ENUM on MariaDB, column constraints and odd quoting on SQLite.
  auto engine = test::engine();
  auto conn = engine.connect();
  std::string backend(engine.dialect().name());
  auto drop = [&] {
    for (auto* t : {"rf hand", "rf_hand", "rf_other"}) {
      try {
        conn.exec_driver_sql(std::string("DROP TABLE IF EXISTS ") + (backend == "mysql" ? "`" + std::string(t) + "`" : "\"" + std::string(t) + "\""));
      } catch (...) {
      }
    }
    if (backend == "postgresql") conn.exec_driver_sql("DROP TYPE IF EXISTS rf_mood");
  };
  drop();
  if (backend == "postgresql") {
    conn.exec_driver_sql("CREATE TYPE rf_mood AS ENUM ('sad', 'ok', 'happy')");
    conn.exec_driver_sql(
        "CREATE TABLE rf_hand (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, mood rf_mood NOT NULL DEFAULT 'ok',"
        " n int CONSTRAINT rf_hand_n_check CHECK (n > 0), code char(5), total numeric, big bigserial, at timestamp(3) with time zone,"
        " CONSTRAINT rf_hand_code_key UNIQUE (code))");
    conn.exec_driver_sql("CREATE INDEX rf_hand_lower ON rf_hand (lower(code))");    // an expression: left out
    conn.exec_driver_sql("CREATE INDEX rf_hand_partial ON rf_hand (n) WHERE n > 10");  // partial: left out
    conn.exec_driver_sql("CREATE INDEX rf_hand_n ON rf_hand (n DESC, code)");
    auto insp = inspect(conn);
    auto& t = insp.table("rf_hand");
    CHECK(t.columns[0].autoincrement);
    CHECK_FALSE(t.columns[0].default_sql.has_value());
    CHECK(t.columns[1].type.kind == TypeKind::enum_);
    REQUIRE(t.columns[1].type.enum_values);
    CHECK(*t.columns[1].type.enum_values == std::vector<std::string>{"sad", "ok", "happy"});
    CHECK(t.columns[1].default_value == Value("ok"));
    CHECK(t.columns[3].type == String{5});
    CHECK(t.columns[4].type.kind == TypeKind::numeric);
    CHECK(t.columns[5].autoincrement);  // bigserial: a sequence default
    CHECK(t.columns[5].type.kind == TypeKind::big_integer);
    CHECK_FALSE(t.columns[5].default_sql.has_value());
    CHECK(t.columns[6].type.kind == TypeKind::datetime);
    CHECK(t.columns[6].type.timezone);
    REQUIRE(t.checks.size() == 1);
    CHECK(t.checks[0].name == "rf_hand_n_check");
    CHECK(t.checks[0].sqltext == "n > 0");
    REQUIRE(t.uniques.size() == 1);
    CHECK(t.uniques[0].columns == std::vector<std::string>{"code"});
    REQUIRE(t.indexes.size() == 1);
    CHECK(t.indexes[0].name == "rf_hand_n");
    CHECK(t.indexes[0].columns == std::vector<std::string>{"n", "code"});
    CHECK(t.primary_key.name == "rf_hand_pkey");
    conn.exec_driver_sql("COMMENT ON COLUMN rf_hand.n IS 'how many'");
    conn.exec_driver_sql("COMMENT ON TABLE rf_hand IS 'by hand'");
    insp.clear();
    CHECK(insp.table("rf_hand").columns[2].comment == "how many");
    CHECK(insp.table("rf_hand").comment == "by hand");
  } else if (backend == "mysql") {
    conn.exec_driver_sql(
        "CREATE TABLE rf_hand (id INT AUTO_INCREMENT PRIMARY KEY, flag TINYINT(1) DEFAULT 0, small TINYINT(4),"
        " mood ENUM('sad','ok','happy') NOT NULL DEFAULT 'ok', note VARCHAR(10) DEFAULT NULL, n INT CHECK (n > 0),"
        " UNIQUE KEY rf_hand_u (note), KEY rf_hand_n (n, note)) COMMENT 'by hand'");
    conn.exec_driver_sql("ALTER TABLE rf_hand MODIFY small TINYINT(4) COMMENT 'how many'");
    auto insp = inspect(conn);
    auto& t = insp.table("rf_hand");
    CHECK(t.columns[0].autoincrement);
    CHECK(t.columns[1].type.kind == TypeKind::boolean);
    CHECK(t.columns[1].type_text == "tinyint(1)");
    CHECK(t.columns[1].default_value == Value(false));
    CHECK(t.columns[2].type.kind == TypeKind::small_integer);
    CHECK(t.columns[3].type.kind == TypeKind::enum_);
    REQUIRE(t.columns[3].type.enum_values);
    CHECK(*t.columns[3].type.enum_values == std::vector<std::string>{"sad", "ok", "happy"});
    CHECK(t.columns[3].default_value == Value("ok"));
    CHECK_FALSE(t.columns[4].default_sql.has_value());  // DEFAULT NULL shows as the text NULL
    REQUIRE(t.checks.size() == 1);
    CHECK(t.checks[0].sqltext == "`n` > 0");
    REQUIRE(t.uniques.size() == 1);
    CHECK(t.uniques[0].name == "rf_hand_u");
    REQUIRE(t.indexes.size() == 1);
    CHECK(t.indexes[0].columns == std::vector<std::string>{"n", "note"});
    CHECK(t.columns[2].comment == "how many");
    CHECK(t.comment == "by hand");
  } else {
    conn.exec_driver_sql("CREATE TABLE rf_other (id INTEGER PRIMARY KEY)");
    conn.exec_driver_sql(
        "CREATE TABLE [rf hand] (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, `code` TEXT CONSTRAINT \"uq code\" UNIQUE,"
        " n INT CHECK (n > 0) REFERENCES rf_other ON DELETE CASCADE, -- a comment, (with a parenthesis\n"
        " CONSTRAINT \"ck \"\"quoted\"\"\" CHECK (n < 100), CONSTRAINT fk_named FOREIGN KEY (code) REFERENCES rf_other (id))");
    auto insp = inspect(conn);
    auto& t = insp.table("rf hand");
    CHECK(t.columns[0].autoincrement);
    CHECK(t.columns[2].type.kind == TypeKind::integer);
    REQUIRE(t.uniques.size() == 1);
    CHECK(t.uniques[0].name == "uq code");
    CHECK(t.uniques[0].columns == std::vector<std::string>{"code"});
    REQUIRE(t.checks.size() == 2);
    CHECK(t.checks[0].name == "");
    CHECK(t.checks[0].sqltext == "n > 0");
    CHECK(t.checks[1].name == "ck \"quoted\"");
    CHECK(t.checks[1].sqltext == "n < 100");
    REQUIRE(t.foreign_keys.size() == 2);
    CHECK(t.foreign_keys[0].name == "");  // unnamed: SQLite keeps no name
    CHECK(t.foreign_keys[0].columns == std::vector<std::string>{"n"});
    CHECK(t.foreign_keys[0].ref_columns == std::vector<std::string>{"id"});  // the referred table's key
    CHECK(t.foreign_keys[0].on_delete == Action::cascade);
    CHECK(t.foreign_keys[1].name == "fk_named");
  }
  drop();
}

TEST_CASE("an unknown table is a NoSuchTableError naming it") {
  auto engine = test::engine();
  auto insp = inspect(engine);
  CHECK_THROWS_WITH_AS(insp.table("rf_missing"), doctest::Contains("'rf_missing'"), NoSuchTableError);
  CHECK_THROWS_WITH_AS(insp.columns("rf_missing"), doctest::Contains("[athanor.argument.no_such_table]"), NoSuchTableError);
  MetaData md;
  CHECK_THROWS_AS(reflect(md, engine, {"rf_missing"}), ArgumentError);
  CHECK(md.size() == 0);
}

TEST_CASE("Chinook: the three published scripts read back as one schema") {
  // The reference: SQLite's script in memory; the backend under test reads its own script.
  auto memory = create_engine("sqlite://");
  std::string expected = chinook_schema(memory, "Chinook_Sqlite.sql");
  auto engine = test::engine();
  std::string script = engine.dialect().name() == "postgresql" ? "Chinook_PostgreSql.sql"
                       : engine.dialect().name() == "mysql"    ? "Chinook_MySql.sql"
                                                               : "Chinook_Sqlite.sql";
  std::string got = chinook_schema(engine, script);
  CHECK_MESSAGE(got == expected, "SQLite's script (-) and this backend's (+) differ:", diff(expected, got));
  CHECK(expected.find("table playlisttrack\n") != std::string::npos);
  CHECK(expected.find("primary key (playlistid, trackid)") != std::string::npos);
  CHECK(expected.find("column unitprice numeric(10,2) not null") != std::string::npos);
}
