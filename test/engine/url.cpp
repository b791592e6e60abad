// test/engine/url.cpp — URL parsing and rendering, without a database: every accepted form,
// every malformed form with its full message, and the password kept out of text forms.
#include <doctest/doctest.h>

#include <athanor/engine/create_engine.hpp>
#include <athanor/engine/url.hpp>

using athanor::ArgumentError;
using athanor::URL;

TEST_CASE("sqlite URLs: memory, relative and absolute paths") {
  auto mem = URL::parse("sqlite://");
  CHECK(mem.backend == "sqlite");
  CHECK(mem.database.empty());
  CHECK(mem.is_memory());

  auto memory = URL::parse("sqlite:///:memory:");
  CHECK(memory.database == ":memory:");
  CHECK(memory.is_memory());

  auto rel = URL::parse("sqlite:///rel.db");
  CHECK(rel.database == "rel.db");
  CHECK_FALSE(rel.is_memory());
  CHECK(rel.host.empty());

  auto abs = URL::parse("sqlite:////abs/path.db");
  CHECK(abs.database == "/abs/path.db");
  CHECK(abs.render() == "sqlite:////abs/path.db");

  auto opts = URL::parse("sqlite:///data/app.db?journal_mode=WAL&timeout=2.5");
  CHECK(opts.database == "data/app.db");
  CHECK(opts.option("journal_mode") == "WAL");
  CHECK(opts.option("timeout") == "2.5");
  CHECK(opts.option("missing", "fallback") == "fallback");
}

TEST_CASE("postgresql URL with every part") {
  auto u = URL::parse("postgresql://user:pw@host:5432/db?sslmode=disable");
  CHECK(u.backend == "postgresql");
  CHECK(u.driver.empty());
  CHECK(u.username == "user");
  CHECK(u.password == "pw");
  CHECK(u.host == "host");
  CHECK(u.port == 5432);
  CHECK(u.database == "db");
  CHECK(u.option("sslmode") == "disable");
  CHECK_FALSE(u.is_memory());
}

TEST_CASE("scheme aliases and the +driver suffix") {
  CHECK(URL::parse("postgres://h/db").backend == "postgresql");
  CHECK(URL::parse("mysql://h/db").backend == "mysql");
  CHECK(URL::parse("mariadb://h/db").backend == "mysql");
  CHECK(URL::parse("PostgreSQL://h/db").backend == "postgresql");
  auto d = URL::parse("postgresql+pqxx://u@h/db");
  CHECK(d.backend == "postgresql");
  CHECK(d.driver == "pqxx");
  CHECK(d.username == "u");
  CHECK(d.password.empty());
  CHECK(d.render() == "postgresql+pqxx://u@h/db");
  auto m = URL::parse("mysql+mariadbconnector://root@localhost:3306/app");
  CHECK(m.driver == "mariadbconnector");
  CHECK(m.port == 3306);
}

TEST_CASE("an IPv6 host, with and without a port") {
  auto u = URL::parse("postgresql://u:p@[::1]:6543/db");
  CHECK(u.host == "::1");
  CHECK(u.port == 6543);
  CHECK(u.render() == "postgresql://u:***@[::1]:6543/db");
  auto v = URL::parse("mysql://[2001:db8::7]/db");
  CHECK(v.host == "2001:db8::7");
  CHECK_FALSE(v.port.has_value());
  CHECK(v.render() == "mysql://[2001:db8::7]/db");
}

TEST_CASE("percent-encoded user, password and database") {
  auto u = URL::parse("postgresql://us%40er:p%40ss%3Aw%2Fo%25rd@host/my%20db");
  CHECK(u.username == "us@er");
  CHECK(u.password == "p@ss:w/o%rd");
  CHECK(u.database == "my db");
  // and encoded again when rendered, so that the text parses back to the same parts
  auto again = URL::parse(u.render(false));
  CHECK(again.username == "us@er");
  CHECK(again.password == "p@ss:w/o%rd");
  CHECK(again.database == "my db");
  CHECK(u.render() == "postgresql://us%40er:***@host/my%20db");
}

TEST_CASE("render(false) parses back to the same URL, whatever the parts hold (fuzz/url.cpp)") {
  for (const char* text : {"postgresql://h%25st/db", "postgresql://a%3Fb/db", "postgresql://x%3A%5D/db",
                           "postgresql://[::1]/db", "sqlite:///a%25b%3Fc.db", "sqlite:////tmp/my%20db.sqlite",
                           "sqlite:///:memory:"}) {
    auto u = URL::parse(text);
    auto back = URL::parse(u.render(false));
    CHECK(back.host == u.host);
    CHECK(back.database == u.database);
    CHECK(back.query == u.query);
  }
  CHECK(URL::parse("postgresql://h%25st/db").render() == "postgresql://h%25st/db");
  CHECK(URL::parse("sqlite:///a%25b%3Fc.db").render() == "sqlite:///a%25b%3Fc.db");
  CHECK(URL::parse("sqlite:///:memory:").render() == "sqlite:///:memory:");
}

TEST_CASE("a unix socket given as ?host= and no host part") {
  auto u = URL::parse("postgresql://ann@/blog?host=/var/run/postgresql&port=5433");
  CHECK(u.host.empty());
  CHECK(u.username == "ann");
  CHECK(u.database == "blog");
  CHECK(u.option("host") == "/var/run/postgresql");
  CHECK(u.option("port") == "5433");
  auto m = URL::parse("mysql://root@localhost/app?unix_socket=/tmp/my.sock");
  CHECK(m.option("unix_socket") == "/tmp/my.sock");
  auto encoded = URL::parse("postgresql:///db?host=%2Ftmp%2Fpg");
  CHECK(encoded.option("host") == "/tmp/pg");
}

TEST_CASE("a query option without a value") {
  auto u = URL::parse("postgresql://h/db?flag&x=1");
  CHECK(u.query.count("flag") == 1);
  CHECK(u.option("flag").empty());
  CHECK(u.option("x") == "1");
}

TEST_CASE("malformed URLs are ArgumentErrors with the full message") {
  CHECK_THROWS_WITH_AS(URL::parse("localhost/db"), "[athanor.argument.url] malformed database URL: expected 'backend://…'",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("://h/db"), "[athanor.argument.url] malformed database URL: expected 'backend://…'",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("oracle://u:pw@h/db"),
                       "[athanor.argument.url] malformed database URL: unknown backend 'oracle' (use sqlite, postgresql or mysql)",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h:54x2/db"),
                       "[athanor.argument.url] malformed database URL: the port is not a number from 1 to 65535", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h:0/db"),
                       "[athanor.argument.url] malformed database URL: the port is not a number from 1 to 65535", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h:70000/db"),
                       "[athanor.argument.url] malformed database URL: the port is not a number from 1 to 65535", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h:/db"),
                       "[athanor.argument.url] malformed database URL: the port is not a number from 1 to 65535", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h:99999999999999999999/db"),
                       "[athanor.argument.url] malformed database URL: the port is not a number from 1 to 65535", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://u:p%zzw@h/db"),
                       "[athanor.argument.url] malformed database URL: a '%' is not followed by two hex digits", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h/db%2"),
                       "[athanor.argument.url] malformed database URL: a '%' is not followed by two hex digits", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("sqlite://host/file.db"),
                       "[athanor.argument.url] malformed database URL: a SQLite URL has no host: use sqlite:///relative.db or "
                       "sqlite:////absolute.db",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://[::1/db"),
                       "[athanor.argument.url] malformed database URL: an IPv6 host lacks its closing ']'", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://[::1]x/db"),
                       "[athanor.argument.url] malformed database URL: unexpected text after the IPv6 host", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h/db?=x"), "[athanor.argument.url] malformed database URL: an empty query option",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h/db?a=1&&b=2"),
                       "[athanor.argument.url] malformed database URL: an empty query option", ArgumentError);
  CHECK_THROWS_WITH_AS(URL::parse("postgresql://h%20x/db"),
                       "[athanor.argument.url] malformed database URL: the host name contains an invalid character", ArgumentError);
}

TEST_CASE("the message of a malformed URL never repeats the URL (it may hold a password)") {
  try {
    URL::parse("oracle://ann:hunter2@h/db");
    FAIL("no exception");
  } catch (const ArgumentError& e) {
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
  try {
    URL::parse("postgresql://ann:hunter2@h:bad/db");
    FAIL("no exception");
  } catch (const ArgumentError& e) {
    CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
  }
}

TEST_CASE("render() and to_string() hide the password; render(false) shows it") {
  auto u = URL::parse("mysql://ann:s3cr%3At@db.example:3306/shop?charset=utf8mb4");
  CHECK(u.to_string() == "mysql://ann:***@db.example:3306/shop?charset=utf8mb4");
  CHECK(u.render() == u.to_string());
  CHECK(u.to_string().find("s3cr") == std::string::npos);
  CHECK(u.render(false) == "mysql://ann:s3cr%3At@db.example:3306/shop?charset=utf8mb4");
  CHECK(URL::parse("postgresql://:only-password@h/db").to_string() == "postgresql://:***@h/db");
  CHECK(URL::parse("sqlite://").to_string() == "sqlite://");
  CHECK(URL::parse("postgresql://h").to_string() == "postgresql://h");
}

TEST_CASE("a malformed SQLite timeout option is an ArgumentError, not a raw std:: exception") {
  for (const char* u : {"sqlite://?timeout=abc", "sqlite://?timeout=1x", "sqlite://?timeout=-1"}) {
    CAPTURE(u);
    CHECK_THROWS_AS(athanor::create_engine(u).connect(), athanor::ArgumentError);
  }
  CHECK_NOTHROW(athanor::create_engine("sqlite://?timeout=0.5").connect());
}
