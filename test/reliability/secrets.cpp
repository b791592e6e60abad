// test/reliability/secrets.cpp — passwords and secret values never show: not in the text forms
// of a URL or an Engine, not in echo logs (SQL and a parameter count, never values), not in the
// errors of a wrong password, an unreachable server or a malformed URL, not in the integrity and
// data errors about a secret value; and a password set through the ORM is hashed before
// anything is bound. Every secret here contains "Tr0ub4dor", which no text may contain.
#include "support/backend.hpp"
#include "support/requirements.hpp"
#include "support/servers.hpp"

#if ATHANOR_WITH_OPENSSL
#  include <athanor/auth.hpp>
#endif

#include <algorithm>
#include <chrono>
#include <thread>

using namespace athanor;

namespace {

const std::string kMark = "Tr0ub4dor";
const std::string kPassword = "Tr0ub4dor&3 'quoted' p@ss:w/rd%";  // every character a URL must escape
const std::string kToken = "tok-Tr0ub4dor-0123456789abcdef-0123456789";  // longer than a UUID's 36

bool shows_secret(const std::string& text) { return text.find(kMark) != std::string::npos; }

/// The message of the athanor::Error of type E that `f` throws; fails the test on anything else.
template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected another exception type, got: " << e.what());
  }
  FAIL("nothing was thrown");
  return {};
}

/// `password` percent-encoded for the user:password@ part of a URL.
std::string encoded(const std::string& password) {
  URL u;
  u.backend = "postgresql", u.username = "u", u.password = password, u.host = "h";
  auto s = u.render(false);  // postgresql://u:<encoded>@h
  return s.substr(s.find(':', 13) + 1, s.rfind('@') - s.find(':', 13) - 1);
}

/// An engine on the database under test whose echo lines are collected in `lines`.
Engine echoing(std::vector<std::string>& lines) {
  EngineOptions o;
  o.echo = true;
  o.echo_sink = [&lines](std::string_view line) { lines.emplace_back(line); };
  return test::engine(std::move(o));
}

bool any_line_has(const std::vector<std::string>& lines, std::string_view part) {
  auto has = [&](const std::string& line) { return line.find(part) != std::string::npos; };
  return std::any_of(lines.begin(), lines.end(), has);
}

}  // namespace

TEST_CASE("the text forms of a URL and an Engine show *** for the password") {
  REQUIRE(shows_secret(encoded(kPassword)));  // the encoded form still holds the mark
  for (std::string scheme : {"postgresql", "mysql"}) {
    CAPTURE(scheme);
    auto u = URL::parse(scheme + "://ann:" + encoded(kPassword) + "@db.example:5432/blog?sslmode=disable");
    CHECK(u.password == kPassword);
    CHECK(u.to_string() == scheme + "://ann:***@db.example:5432/blog?sslmode=disable");
    CHECK(u.render() == u.to_string());
    CHECK(shows_secret(u.render(false)));  // the one form that has it, when asked for
  }
  // An engine of the backend under test, with a password in its URL (nothing connects yet).
  auto u = URL::parse(test::url());
  u.username = "ann", u.password = kPassword;
  if (!test::has_login()) {
    MESSAGE("an SQLite URL has no user or password");
    return;
  }
  auto engine = create_engine(u.render(false));
  CHECK(engine.url().password == kPassword);
  CHECK_FALSE(shows_secret(engine.to_string()));
  CHECK(engine.to_string() == "Engine(" + u.to_string() + ")");
  CHECK(engine.to_string().find("ann:***@") != std::string::npos);
}

TEST_CASE("echo logs SQL and a parameter count, never a bound value") {
  std::vector<std::string> lines;
  auto engine = echoing(lines);
  MetaData md;
  Table tokens{"secret_tokens", md, Column{"id", Integer{}, primary_key, autoincrement(false)},
               Column{"token", String{64}}};
  md.drop_all(engine);
  md.create_all(engine);
  {
    auto c = engine.connect();
    c.execute(insert(tokens).values({{"id", 1}, {"token", kToken}}));
    CHECK(c.execute(select(tokens.c("id")).where(tokens.c("token") == kToken)).scalar_one<int>() == 1);
    c.execute(update(tokens).values({{"token", kToken + "-2"}}).where(tokens.c("token") == kToken));
    c.execute(text("SELECT id FROM secret_tokens WHERE token = :t"), {{"t", kToken + "-2"}});
    c.execute(delete_(tokens).where(tokens.c("token") == kToken + "-2"));
  }
  md.drop_all(engine);
  REQUIRE_FALSE(lines.empty());
  CHECK(any_line_has(lines, "INSERT INTO"));
  CHECK(any_line_has(lines, "[2 parameters]"));
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK_FALSE(shows_secret(line));
  }
}

TEST_CASE("a secret value is not repeated in an integrity error or a data error about it") {
  test::Schema s;
  Table t{"secret_values", s.md,
          Column{"id", Integer{}, primary_key, autoincrement(false)},
          Column{"token", String{64}, unique},
          Column{"n", Integer{}},
          Column{"day", DateType{}},
          Column{"amount", Numeric{12, 2}},
          Column{"uid", UuidType{}},
          Column{"doc", JsonType{}}};
  s.create();
  auto c = s.engine.connect();
  c.execute(insert(t).values({{"id", 1}, {"token", kToken}}));
  auto msg = message_of<IntegrityError>([&] { c.execute(insert(t).values({{"id", 2}, {"token", kToken}})); });
  CHECK(msg.rfind("[athanor.integrity.unique] ", 0) == 0);
  CHECK_FALSE(shows_secret(msg));
  if (!test::caps().strict_types) {
    MESSAGE("this backend stores a value of any type in any column: no data error to look at");
    return;
  }
  int id = 10;
  for (std::string column : {"n", "day", "amount", "uid", "doc"}) {
    CAPTURE(column);
    auto data = test::error_message([&] { c.execute(insert(t).values({{"id", ++id}, {column, kToken}})); });
    REQUIRE_FALSE(data.empty());
    CHECK(data.rfind("[athanor.", 0) == 0);
    CHECK_FALSE(shows_secret(data));
  }
  auto wrong_decimal = test::error_message([&] {  // a Decimal whose text is not a number
    c.execute(insert(t).values({{"id", ++id}, {"amount", Decimal{kToken}}}));
  });
  CHECK(wrong_decimal.rfind("[athanor.data", 0) == 0);
  CHECK_FALSE(shows_secret(wrong_decimal));
}

TEST_CASE("a malformed URL holding a password: an ArgumentError that does not repeat it") {
  auto pw = encoded(kPassword);
  for (std::string url : {"postgresql://ann:" + pw + "@db.example:99999/blog",  // port out of range
                          "postgresql://ann:" + pw + "@db.example:port/blog",   // port not a number
                          "mysql://ann:" + pw + "%zz@db.example/blog",          // a bad escape in the password
                          "postgresql://ann:" + pw + "@[::1/blog",              // IPv6 without ']'
                          "oracle://ann:" + pw + "@db.example/blog",            // unknown backend
                          "ann:" + pw + "@db.example/blog",                     // no scheme
                          "sqlite://ann:" + pw + "@host/file.db",               // SQLite has no host
                          "postgresql://ann:" + pw + "@db example/blog",        // a space in the host
                          "mysql://ann:" + pw + "@db.example/blog?&"}) {        // an empty option
    CAPTURE(url.substr(0, url.find(':')));
    auto msg = message_of<ArgumentError>([&] { create_engine(url); });
    CHECK(msg.rfind("[athanor.argument.url] malformed database URL: ", 0) == 0);
    CHECK_FALSE(shows_secret(msg));
  }
  // Options refused when connecting, before any connection is tried.
  std::vector<std::string> refused_on_connect;
#if ATHANOR_WITH_POSTGRESQL
  refused_on_connect.push_back("postgresql://ann:" + pw + "@db.example/blog?password=" + pw);
  refused_on_connect.push_back("postgresql://ann:" + pw + "@db.example/blog?no-such-option=" + pw);
#endif
#if ATHANOR_WITH_MYSQL
  refused_on_connect.push_back("mysql://ann:" + pw + "@db.example/blog?connect_timeout=" + pw);
#endif
  for (const auto& url : refused_on_connect) {
    auto option = url.substr(url.find('?'), url.find('=', url.find('?')) - url.find('?'));
    CAPTURE(option);
    auto engine = create_engine(url);
    auto msg = message_of<ArgumentError>([&] { engine.connect(); });
    CHECK(msg.rfind("[athanor.argument.url] ", 0) == 0);
    CHECK_FALSE(shows_secret(msg));
  }
}

TEST_CASE("an unreachable server, with a password in the URL: an OperationalError that does not repeat it") {
  if (!test::has_login()) {
    MESSAGE("no server behind " << test::backend());
    return;
  }
  auto tcp = URL::parse(test::url());
  tcp.host = "127.0.0.1", tcp.port = 1, tcp.password = kPassword;  // nothing listens on port 1
  tcp.query = {{"connect_timeout", "3"}};
  auto socket = URL::parse(test::url());
  socket.password = kPassword;
  socket.query = {{test::socket_option(), "/nonexistent-athanor-dir"}};
  for (const auto& u : {tcp, socket}) {
    auto engine = create_engine(u.render(false));
    auto msg = message_of<OperationalError>([&] { engine.connect(); });
    INFO("message: " << msg);
    CHECK(msg.rfind("[athanor.operational.connect] cannot connect to ", 0) == 0);
    CHECK(msg.find(kPassword) == std::string::npos);
    CHECK(msg.find(encoded(kPassword)) == std::string::npos);
    CHECK_FALSE(shows_secret(engine.to_string()));
  }
}

namespace {

const char* const kUser = "athanor_secrets_user";
const std::string kRight = "R1ght-Tr0ub4dor 'pw'";
const std::string kWrong = "Wr0ng-Tr0ub4dor 'pw'";


}  // namespace

TEST_CASE("a wrong password: an OperationalError that shows neither password; the right one logs nothing of it") {
  if (!test::has_login()) {
    MESSAGE("no server behind " << test::backend());
    return;
  }
  test::PasswordLogin login{kUser, kRight};
  REQUIRE_MESSAGE(login.ready, "cannot make the server check passwords (pg_hba.conf not writable)");
  // The server reloads its configuration asynchronously: wait until the wrong password fails.
  std::string msg;
  for (int i = 0; i < 50 && msg.empty(); ++i) {
    try {
      create_engine(login.url(kWrong)).connect().exec_driver_sql("SELECT 1");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (const OperationalError& e) {
      msg = e.what();
    }
  }
  INFO("message: " << msg);
  CHECK(msg.rfind("[athanor.operational.connect] cannot connect to ", 0) == 0);
  CHECK_FALSE(shows_secret(msg));
  CHECK(msg.find(encoded(kWrong)) == std::string::npos);

  std::vector<std::string> lines;
  EngineOptions o;
  o.echo = true;
  o.echo_parameters = true;  // values are logged; the URL's password is not a value
  o.echo_sink = [&lines](std::string_view line) { lines.emplace_back(line); };
  auto engine = create_engine(login.url(kRight), std::move(o));
  {
    auto c = engine.begin();
    CHECK(c.exec_driver_sql("SELECT 1").scalar_one<int>() == 1);
    CHECK(c.execute(text("SELECT 1 AS one WHERE 1 = :v"), {{"v", 1}}).size() == 1);
    c.commit();
  }
  CHECK_FALSE(shows_secret(engine.to_string()));
  REQUIRE_FALSE(lines.empty());
  CHECK(any_line_has(lines, "  parameters: [1] 1"));
  for (const auto& line : lines) {
    CHECK_FALSE(shows_secret(line));
    CHECK(line.find(encoded(kRight)) == std::string::npos);
  }
}

#if ATHANOR_WITH_OPENSSL

namespace accounts {
namespace orm = athanor::orm;
using orm::Mapped;

struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::id>().primary_key();
    m.column<&User::name>().length(50).unique();
  }
};

/// The UserAuth pattern of DESIGN and examples/login.cpp: the setter keeps only the hash.
struct UserAuth {
  Mapped<int> id;
  Mapped<int> user_id;
  Mapped<orm::PasswordHash> password;
  void set_password(std::string_view plain) {
    password = orm::PasswordHash::hash(plain, {.log2_n = 10, .r = 8, .p = 1});  // weak and fast: a test
  }
  static void configure(orm::Mapper<UserAuth>& m) {
    m.column<&UserAuth::id>().primary_key();
    m.column<&UserAuth::user_id>()
        .foreign_key("users.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}})
        .unique();
  }
};

ATHANOR_MODEL(User, "users", id, name)
ATHANOR_MODEL(UserAuth, "user_auth", id, user_id, password)

}  // namespace accounts

TEST_CASE("a password set through the ORM: only its hash is bound, stored and echoed as a parameter count") {
  using namespace accounts;
  std::vector<std::string> lines;
  auto engine = echoing(lines);
  orm::Registry registry;
  registry.map<User, UserAuth>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);
  lines.clear();
  orm::sessionmaker Session{engine};
  std::string phc;
  {
    auto s = Session();
    auto ann = s.add(User{.name = "ann"});
    s.flush();
    UserAuth auth{.user_id = ann->id.get()};
    auth.set_password(kPassword);
    phc = auth.password->phc();
    s.add(std::move(auth));
    s.commit();
  }
  CHECK(phc.rfind("$scrypt$ln=10,r=8,p=1$", 0) == 0);
  CHECK_FALSE(shows_secret(phc));
  // What the database holds: the PHC string, nothing of the plain text in any column.
  {
    auto c = engine.connect();
    auto row = c.execute(select(orm::table_of<UserAuth>())).one();
    for (std::size_t i = 0; i < row.size(); ++i) CHECK_FALSE(shows_secret(detail::value_to_text(row[i])));
    CHECK(row.get<std::string>("password") == phc);
  }
  // A second UserAuth for ann breaks the unique user_id: the error names the column only.
  {
    auto s = Session();
    UserAuth again{.user_id = 1};
    again.set_password(kPassword);
    s.add(std::move(again));
    auto msg = message_of<IntegrityError>([&] { s.commit(); });
    CHECK(msg.rfind("[athanor.integrity.unique] ", 0) == 0);
    CHECK_FALSE(shows_secret(msg));
    CHECK(msg.find("$scrypt$") == std::string::npos);
  }
  registry.metadata().drop_all(engine);
  REQUIRE(any_line_has(lines, "user_auth"));
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK_FALSE(shows_secret(line));
    CHECK(line.find("$scrypt$") == std::string::npos);  // no value at all, not even the hash
  }
}

TEST_CASE("echo_parameters: a PasswordHash value shows as ***, the other values as themselves") {
  using namespace accounts;
  std::vector<std::string> lines;
  EngineOptions o;
  o.echo = true;
  o.echo_parameters = true;
  o.echo_sink = [&lines](std::string_view line) { lines.emplace_back(line); };
  auto engine = test::engine(std::move(o));
  orm::Registry registry;
  registry.map<User, UserAuth>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);
  lines.clear();
  orm::PasswordHash hash;
  {
    orm::Session s(engine);
    auto ann = s.add(User{.name = "ann-echo"});
    s.flush();
    UserAuth auth{.user_id = ann->id.get()};
    auth.set_password(kPassword);
    hash = *auth.password;
    s.add(std::move(auth));
    s.commit();
    // A typed statement binding the hash itself: masked too.
    using orm::c;
    CHECK(s.execute(orm::select(c<&UserAuth::id>).where(c<&UserAuth::password> == hash)).size() == 1);
  }
  registry.metadata().drop_all(engine);
  CHECK(any_line_has(lines, "'ann-echo'"));  // values are shown…
  CHECK(any_line_has(lines, "***"));         // …but not the hash
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK_FALSE(shows_secret(line));
    CHECK(line.find("$scrypt$") == std::string::npos);
    CHECK(line.find(hash.phc().substr(30)) == std::string::npos);
  }
}

#endif  // ATHANOR_WITH_OPENSSL
