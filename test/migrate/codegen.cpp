// test/migrate/codegen.cpp — code generation (issue 15): migrate::codegen(engine) writes a header
// of ORM models from a live database. Chinook (the published SQLite script, its own names:
// [Album].[ArtistId], IFK_ indexes) is created on the backend under test from its reflected
// schema and its rows copied; then
//   - codegen on this backend gives, byte for byte, the header checked in as
//     test/migrate/generated/chinook_models.hpp (written from the SQLite script in memory): the
//     same header from all three backends, and a stale checked-in file fails here;
//   - that header, compiled into this test, maps, and every model reads every row of its
//     table: row counts and the rows' values equal a raw SQL read of the same table;
//   - relationships of each kind inferred from the keys are followed (many-to-one, one-to-many,
//     many-to-many through PlaylistTrack, self-referential; one-to-one on a small schema made
//     for naming: keywords, a leading digit, a relationship meeting a column, two keys to one table).
// And codegen of each backend's own published script (PostgreSQL's says invoice_line, the
// others InvoiceLine) gives that header too, once names are folded.
// ATHANOR_UPDATE_CODEGEN=1 rewrites the checked-in headers (then rebuild and run again).
#include "support/backend.hpp"
#include "support/empty_database.hpp"

#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include <athanor/migrate/codegen.hpp>

#include "chinook/load.hpp"  // raw_engine(), convert()
#include "migrate/generated/chinook_models.hpp"
#include "migrate/generated/codegen_names.hpp"

using namespace athanor;
namespace mg = athanor::migrate;

namespace {

std::string source_root() {
  const char* r = std::getenv("ATHANOR_SOURCE_ROOT");
  return r && *r ? r : ".";
}
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The first line where two headers differ ("" when they are the same).
std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int n = 1;; ++n) {
    bool more_a = static_cast<bool>(std::getline(a, la)), more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return {};
    if (!more_a) la = "(end)";
    if (!more_b) lb = "(end)";
    if (la != lb) return "line " + std::to_string(n) + ":\n  expected: " + la + "\n  got:      " + lb;
  }
}

/// Compares a fresh header with the checked-in one; ATHANOR_UPDATE_CODEGEN=1 writes it instead.
void check_generated(const std::string& fresh, const std::string& file) {
  std::string path = source_root() + "/test/migrate/generated/" + file;
  if (const char* u = std::getenv("ATHANOR_UPDATE_CODEGEN"); u && std::string(u) == "1") {
    std::ofstream(path, std::ios::binary) << fresh;
    MESSAGE("wrote " << path);
    return;
  }
  auto diff = first_difference(read_file(path), fresh);
  CHECK_MESSAGE(diff.empty(), file << " differs from a fresh codegen (ATHANOR_UPDATE_CODEGEN=1 rewrites it), " << diff);
}

/// Chinook on `target` with the SQLite script's own schema (reflected, then create_all) and rows.
void load_chinook(Engine& raw, Engine& target) {
  test::empty_database(target);
  MetaData md;
  auto tables = reflect(md, raw);
  md.create_all(target);
  auto src = raw.connect();
  auto dst = target.connect();
  auto tx = dst.begin();
  for (auto* t : md.sorted_tables()) {  // parents first
    const Table* table = nullptr;
    for (auto& x : tables)
      if (x.name() == t->name) table = &x;
    std::string order;
    for (auto& k : t->primary_key) order += (order.empty() ? "" : ", ") + ("[" + k + "]");
    auto rows = src.exec_driver_sql("SELECT * FROM [" + t->name + "] ORDER BY " + order);  // an employee's manager comes first
    std::vector<Params> many;
    for (auto& row : rows) {
      Params p;
      for (std::size_t i = 0; i < t->columns.size(); ++i) p.emplace_back(t->columns[i].name, chinook::convert(row[i], t->columns[i].type));
      many.push_back(std::move(p));
    }
    if (!many.empty()) dst.execute_many(insert(*table), many);
  }
  tx.commit();
}

/// A header with what the published scripts do differently folded away: the comment, index
/// and constraint names (IFK_AlbumArtistId / album_artist_id_idx) and generated keys (only SQLite's INTEGER
/// PRIMARY KEY is one), then names folded: lower case, no '_' (invoice_line / InvoiceLine).
std::string folded(const std::string& header) {
  std::istringstream in(header);
  std::string line, out;
  for (int n = 0; std::getline(in, line); ++n) {
    if (n < 2 || line.find("m.index(") != std::string::npos) continue;
    for (std::string cut : {".index(false)", ".autoincrement(false)"})
      for (std::size_t at; (at = line.find(cut)) != std::string::npos;) line.erase(at, cut.size());
    line = std::regex_replace(line, std::regex(R"(, \{\.name = "[^"]*"\})"), "");  // constraint names too
    for (char c : line)
      if (c != '_') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += '\n';
  }
  return out;
}

std::string render(const Dialect& d, const Value& v) {
  std::string s;
  d.literal(s, v);
  return s;
}

/// Every row of model M read with the ORM, and the same table read by raw SQL, each row as
/// text (values through the member's C++ type), sorted.
template <class M>
void compare_rows(Engine& engine, orm::sessionmaker& Session, std::size_t& tables_checked) {
  using Columns = orm::detail::columns_of<M>;
  const auto& table = orm::table_of<M>();
  const Dialect& d = engine.dialect();
  std::vector<std::string> via_orm, via_sql;
  {
    auto session = Session();
    for (auto& obj : session.scalars(orm::select<M>())) {
      std::string row;
      boost::mp11::mp_for_each<Columns>([&](auto D) {
        using T = orm::detail::member_value_t<M, decltype(D)>;
        row += render(d, orm::column_traits<T>::to_value((*obj).*D.pointer)) + "|";
      });
      via_orm.push_back(std::move(row));
    }
  }
  {
    std::string sql = "SELECT ";
    boost::mp11::mp_for_each<Columns>([&](auto D) {
      if (sql.size() > 7) sql += ", ";
      d.quote(sql, D.name);
    });
    sql += " FROM ";
    d.quote(sql, table.name());
    auto conn = engine.connect();
    for (auto& r : conn.exec_driver_sql(sql)) {
      std::string row;
      std::size_t i = 0;
      boost::mp11::mp_for_each<Columns>([&](auto D) {
        using T = orm::detail::member_value_t<M, decltype(D)>;
        row += render(d, orm::column_traits<T>::to_value(orm::column_traits<T>::from_value(r[i++]))) + "|";
      });
      via_sql.push_back(std::move(row));
    }
  }
  std::sort(via_orm.begin(), via_orm.end());
  std::sort(via_sql.begin(), via_sql.end());
  std::uint64_t h_orm = 1469598103934665603ull, h_sql = h_orm;  // FNV-1a over the sorted rows
  for (auto& r : via_orm) for (unsigned char c : r) h_orm = (h_orm ^ c) * 1099511628211ull;
  for (auto& r : via_sql) for (unsigned char c : r) h_sql = (h_sql ^ c) * 1099511628211ull;
  INFO("table " << table.name());
  CHECK(via_orm.size() == via_sql.size());
  CHECK(h_orm == h_sql);
  CHECK(!via_orm.empty());  // every Chinook table has rows
  ++tables_checked;
}

std::int64_t count(Engine& engine, const std::string& sql) {
  auto conn = engine.connect();
  for (auto& r : conn.exec_driver_sql(sql)) return detail::from_value<std::int64_t>(r[0]);
  return -1;
}

std::string q(const Engine& e, std::string_view ident) {
  std::string s;
  e.dialect().quote(s, ident);
  return s;
}

}  // namespace

TEST_CASE("codegen from the SQLite script's schema: the checked-in header is what codegen writes") {
  auto raw = chinook::raw_engine();
  std::string fresh = mg::codegen(raw, {.namespace_ = "chinook_gen", .command = "athanor codegen sqlite:///Chinook_Sqlite.sqlite"});
  check_generated(fresh, "chinook_models.hpp");
  // By default the comment names the URL, never a password.
  auto with_url = mg::codegen(raw);
  CHECK(with_url.starts_with("// Generated by `athanor codegen sqlite://"));
}

TEST_CASE("codegen on every backend writes the same header; its models read every row of Chinook") {
  auto raw = chinook::raw_engine();
  auto engine = test::engine();
  load_chinook(raw, engine);
  std::string got = mg::codegen(engine, {.namespace_ = "chinook_gen", .command = "athanor codegen sqlite:///Chinook_Sqlite.sqlite"});
  check_generated(got, "chinook_models.hpp");

  orm::Registry registry;
  chinook_gen::map_all(registry);
  orm::sessionmaker Session{engine};
  std::size_t checked = 0;
  std::apply([&](auto... m) { (compare_rows<decltype(m)>(engine, Session, checked), ...); }, chinook_gen::all_models{});
  CHECK(checked == 11);

  using namespace chinook_gen;
  using orm::c;
  auto session = Session();
  // many-to-one and one-to-many: Album 1 is AC/DC's, who made two albums.
  auto album = session.get<Album>(1);
  REQUIRE(album);
  CHECK(*album->artist->Name == "AC/DC");
  CHECK(album->artist->albums.size() ==
        static_cast<std::size_t>(count(engine, "SELECT count(*) FROM " + q(engine, "Album") + " WHERE " + q(engine, "ArtistId") + " = 1")));
  // many-to-many through PlaylistTrack, both ways.
  auto playlist = session.get<Playlist>(1);
  REQUIRE(playlist);
  CHECK(playlist->tracks.size() == static_cast<std::size_t>(count(engine, "SELECT count(*) FROM " + q(engine, "PlaylistTrack") +
                                                                             " WHERE " + q(engine, "PlaylistId") + " = 1")));
  auto track = session.get<Track>(1);
  REQUIRE(track);
  CHECK(track->playlists.size() == static_cast<std::size_t>(count(engine, "SELECT count(*) FROM " + q(engine, "PlaylistTrack") +
                                                                             " WHERE " + q(engine, "TrackId") + " = 1")));
  CHECK(track->album->Title.get() == "For Those About To Rock We Salute You");
  CHECK(track->genre->Name.get() == std::optional<std::string>("Rock"));
  // self-referential: Andrew Adams (1) manages Nancy Edwards (2) and Jane Peacock's manager (2).
  auto nancy = session.get<Employee>(2);
  REQUIRE(nancy);
  CHECK(nancy->parent_employee->LastName.get() == "Adams");
  CHECK(session.get<Employee>(1)->parent_employee_reverse.size() ==
        static_cast<std::size_t>(count(engine, "SELECT count(*) FROM " + q(engine, "Employee") + " WHERE " + q(engine, "ReportsTo") + " = 1")));
  // a one-to-many whose key has another name: Customer.SupportRepId → Employee.
  CHECK(nancy->customers.size() == 0);
  CHECK(session.get<Employee>(3)->customers.size() ==
        static_cast<std::size_t>(count(engine, "SELECT count(*) FROM " + q(engine, "Customer") + " WHERE " + q(engine, "SupportRepId") + " = 3")));
  session.close();
  test::empty_database(engine);
}

namespace {
/// The naming schema: keywords, a leading digit, a relationship meeting a column's name, two
/// keys to one table, a one-to-one (a UNIQUE foreign key), ON DELETE actions, a composite UNIQUE,
/// a column named as a type another member uses.
MetaData naming_schema() {
  MetaData md;
  Table person{"cg_person", md, Column{"id", Integer{}, primary_key}, Column{"name", String{40}, nullable(false)},
               Column{"class", String{10}}, Column{"Name2", Text{}}};
  Table passport{"cg_passport", md, Column{"id", Integer{}, primary_key},
                 Column{"person_id", Integer{}, nullable(false), unique, ForeignKey{"cg_person.id", {.on_delete = Action::cascade}}},
                 Column{"number", String{20}, nullable(false), server_default("none")}};
  Table codes{"2fa_codes", md, Column{"id", Integer{}, primary_key}, Column{"person_id", Integer{}, ForeignKey{"cg_person.id"}},
              Column{"person", String{20}}, Column{"digits", Integer{}, nullable(false), server_default(0)}};
  Table edges{"cg_edge", md, Column{"id", Integer{}, primary_key},
              Column{"from_id", Integer{}, nullable(false), ForeignKey{"cg_person.id", {.on_delete = Action::cascade}}},
              Column{"to_id", Integer{}, nullable(false), ForeignKey{"cg_person.id", {.on_delete = Action::cascade}}},
              Column{"weight", Numeric{8, 3}}, Column{"Decimal", Integer{}},
              UniqueConstraint{{"from_id", "to_id"}, "uq_cg_edge_pair"}};
  return md;
}
}  // namespace

TEST_CASE("codegen names: keywords, digits, clashes, one-to-one; the generated models re-create the schema codegen read") {
  {
    auto memory = create_engine("sqlite://");
    auto md = naming_schema();
    md.create_all(memory);
    check_generated(mg::codegen(memory, {.namespace_ = "naming_gen", .command = "athanor codegen sqlite://"}), "codegen_names.hpp");
  }
  auto engine = test::engine();
  test::empty_database(engine);
  auto md = naming_schema();
  md.create_all(engine);
  std::string from_core = mg::codegen(engine, {.namespace_ = "naming_gen", .command = "athanor codegen sqlite://"});
  CHECK_MESSAGE(first_difference(read_file(source_root() + "/test/migrate/generated/codegen_names.hpp"), from_core).empty(),
                first_difference(read_file(source_root() + "/test/migrate/generated/codegen_names.hpp"), from_core));
  auto text = mg::codegen(engine, {.namespace_ = "x", .exclude_tables = {"2fa_codes"}, .relationships = false});
  CHECK(text.find("2fa") == std::string::npos);
  CHECK(text.find("orm::One") == std::string::npos);
  CHECK(mg::codegen(engine, {.tables = {"cg_person"}}).find("struct CgPassport") == std::string::npos);
  test::empty_database(engine);

  // The generated models create the schema again: codegen of that gives the same header.
  orm::Registry registry;
  naming_gen::map_all(registry);
  registry.metadata().create_all(engine);
  // (less the column it could not map)
  auto line = from_core.find("  // column class left out");
  from_core.erase(line, from_core.find('\n', line) + 1 - line);
  auto again = mg::codegen(engine, {.namespace_ = "naming_gen", .command = "athanor codegen sqlite://"});
  CHECK_MESSAGE(first_difference(from_core, again).empty(), first_difference(from_core, again));

  using namespace naming_gen;
  orm::sessionmaker Session{engine};
  {
    auto session = Session();
    auto ann = session.add(CgPerson{.id = 1, .name = "ann"});
    auto bob = session.add(CgPerson{.id = 2, .name = "bob"});
    auto p = session.add(CgPassport{.id = 1, .number = "X1"});
    p->person = ann;  // one-to-one, set from the side with the key
    auto code = session.add(T2faCodes{.id = 1, .person = std::string("a column")});
    code->person_ = bob;
    auto e = session.add(CgEdge{.id = 1});
    e->from = ann, e->to = bob;
    session.commit();
  }
  auto session = Session();
  auto ann = session.get<CgPerson>(1);
  REQUIRE(ann);
  REQUIRE(ann->cg_passport);
  CHECK(ann->cg_passport->number.get() == "X1");
  CHECK(ann->cg_passport->person->name.get() == "ann");
  auto bob = session.get<CgPerson>(2);
  CHECK(bob->r2fa_codes.size() == 1);
  CHECK(bob->r2fa_codes[0]->person.get() == std::optional<std::string>("a column"));
  CHECK(ann->from_cg_edges.size() == 1);
  CHECK(ann->to_cg_edges.size() == 0);
  CHECK(bob->to_cg_edges.size() == 1);
  session.close();
  test::empty_database(engine);
}

TEST_CASE("codegen of the backend's own published Chinook script: the checked-in header, names folded") {
  auto engine = test::engine();
  test::empty_database(engine);
  std::string script = engine.dialect().name() == "postgresql" ? "Chinook_PostgreSql.sql"
                       : engine.dialect().name() == "mysql"    ? "Chinook_MySql.sql"
                                                               : "Chinook_Sqlite.sql";
  {
    auto conn = engine.connect();
    for (auto& stmt : chinook::ddl(script)) conn.exec_driver_sql(stmt);
  }
  auto got = folded(mg::codegen(engine, {.namespace_ = "chinook_gen"}));
  auto want = folded(read_file(source_root() + "/test/migrate/generated/chinook_models.hpp"));
  CHECK_MESSAGE(first_difference(want, got).empty(), script << ": " << first_difference(want, got));
  test::empty_database(engine);
}
