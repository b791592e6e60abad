// athanor/engine/stream.hpp — `Stream<R>`: the rows of a typed statement read one at a time
// from the open driver statement, without a std::vector of all of them. The ORM's
// `Session::stream`/`for_each` and `Connection::stream` return one.
#pragma once

#include <iterator>  // std::default_sentinel_t, std::input_iterator_tag
#include <memory>    // std::shared_ptr
#include <optional>  // std::optional

#include <athanor/engine/connection.hpp>

namespace athanor {

/// A single-pass input range over the rows of a running typed statement. While it is open
/// its connection runs nothing else ([athanor.argument.stream_open]); it closes when its last
/// row is read, when it is destroyed (a `break` or an exception leaving the loop), or when
/// its transaction is rolled back or closed (reading on is then [athanor.argument.stream_closed]).
///
/// Memory: SQLite steps the statement, one row at a time. PostgreSQL (libpq) and MariaDB
/// (mysql_stmt_store_result) hold the statement's whole result in the client library, as
/// execute() does; what a stream saves there is the vector of converted rows.
/// **Example**: `for (auto&& [name, n] : session.stream(stmt)) print(name, n);`
template <class R, class Reader>
class Stream {
 public:
  /// A stream over the open statement `open`, each row read by `reader` (stream() makes it).
  Stream(std::shared_ptr<detail::OpenStream> open, Reader reader) : open_(std::move(open)), reader_(std::move(reader)) {}
  /// Movable (to return it), not copyable: one open statement.
  Stream(Stream&&) noexcept = default;
  Stream& operator=(Stream&&) = delete;
  Stream(const Stream&) = delete;
  ~Stream() {
    if (open_ && open_->conn) open_->conn->end_stream();
  }

  /// The input iterator of begin(): `*it` is the current row, `++it` reads the next one.
  class iterator {
   public:
    using value_type = R;  ///< a row
    using difference_type = std::ptrdiff_t;  ///< as input iterators have
    using iterator_concept = std::input_iterator_tag;  ///< single pass
    /// An iterator past the end.
    iterator() = default;
    /// An iterator over `s` (begin() makes it).
    explicit iterator(Stream* s) : s_(s) {}
    R& operator*() const { return *s_->row_; }  ///< The current row.
    R* operator->() const { return &*s_->row_; }  ///< The current row.
    /// Reads the next row.
    iterator& operator++() {
      s_->advance();
      return *this;
    }
    void operator++(int) { s_->advance(); }  ///< Reads the next row (no copy of the old position: single pass).
    friend bool operator==(const iterator& i, std::default_sentinel_t) { return i.at_end(); }  ///< Whether the rows are all read (end()).

   private:
    bool at_end() const { return !s_ || !s_->row_; }
    Stream* s_ = nullptr;
  };
  /// The first row not yet read (single pass: a second begin() goes on where the first stopped).
  iterator begin() {
    if (!started_) started_ = true, advance();
    return iterator(this);
  }
  std::default_sentinel_t end() const { return {}; }  ///< The end: compares equal to an iterator once the rows are all read.

 private:
  void advance() {
    row_.reset();
    if (!open_->next()) return;
    try {
      row_.emplace(open_->conn->guard([&] { return reader_.read(*open_->st); }));
    } catch (...) {  // a value the row type cannot hold: the stream ends with the error
      if (open_->conn) open_->conn->end_stream();
      throw;
    }
  }

  std::shared_ptr<detail::OpenStream> open_;
  Reader reader_;
  std::optional<R> row_;
  bool started_ = false;
};

}  // namespace athanor
