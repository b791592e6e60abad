// test/orm/state_machine.cpp — the Session against a model, on every backend: random sequences
// of add (new objects, and objects again: transient, detached, deleted), delete_, changes,
// flush, commit, rollback, expunge, close, merge, get and queries across TWO Sessions, objects
// carried between them. After every step each object's state and values must be the model's;
// after every commit, rollback or close the table, read through a fresh connection, must hold
// exactly the model's committed rows: no change lost, duplicated or dropped without an error.
// Every refused operation must raise a typed athanor error with the model's id (after which a
// failed transaction is rolled back, and the model records that nothing happened).
//
// Only one Session holds a transaction at a time (the other one commits or rolls back first, a
// step of its own): two transactions of one thread writing the same rows would wait on each
// other's locks, and an in-memory SQLite database has one connection.
//
// Normal run: fixed seeds, bounded steps. ATHANOR_STATE_MACHINE_SECONDS=600 runs random seeds
// that long (./dev fuzz), ATHANOR_STATE_MACHINE_STEPS sets the steps per sequence, and
// ATHANOR_STATE_MACHINE_SEED=n replays one seed. A failure prints the seed and the sequence
// shrunk (greedily) to the steps that still fail.
#include "support/backend.hpp"

#include <cctype>
#include <chrono>
#include <map>
#include <random>
#include <set>
#include <sstream>

namespace sm {
namespace orm = athanor::orm;
using orm::Mapped;

struct Item {
  Mapped<int> id;
  Mapped<std::string> name;                 // unique: duplicates raise IntegrityError
  Mapped<std::optional<std::string>> note;  // nullable
  static void configure(orm::Mapper<Item>& m) {
    m.column<&Item::id>().primary_key();
    m.column<&Item::name>().length(20).unique();
    m.column<&Item::note>().length(20);
  }
};
ATHANOR_MODEL(Item, "sm_items", id, name, note)

const char* const names[] = {"a", "b", "c", "d", "e", "f"};
const std::optional<std::string> notes[] = {std::nullopt, "x", "y"};

struct Row {
  std::string name;
  std::optional<std::string> note;
  bool operator==(const Row&) const = default;
};
std::string show(const Row& r) { return "{" + r.name + ", " + (r.note ? *r.note : "NULL") + "}"; }

enum class Op { add_new, add, delete_, modify, flush, commit, rollback, close, expunge, merge, get, query, count };
const char* const op_names[] = {"add(new)", "add", "delete_", "modify", "flush", "commit", "rollback",
                                "close",    "expunge", "merge", "get", "query"};
struct Step {
  Op op;
  int s;        // the Session (0 or 1)
  int h;        // the object (modulo the objects known)
  int col;      // modify: 0 name, 1 note
  int val;      // a name, a note or an id (modulo their lists)
  bool commit;  // the other Session ends its transaction by commit (else rollback)
};

/// The model's states; deleted_marked is not yet flushed, deleted_flushed is.
enum class St { transient, pending, persistent, deleted_marked, deleted_flushed, detached };
const char* const st_names[] = {"transient", "pending", "persistent", "deleted (marked)", "deleted (flushed)", "detached"};

struct Obj {
  orm::Ptr<Item> p;
  int session = -1;
  St st = St::transient;
  std::optional<int> id;  ///< identity
  Row vals;
  bool expired = false;
  bool dirty[2] = {false, false};
  bool was_deleted = false;
};
struct Ses {
  std::optional<orm::Session> s;
  bool expire_on_commit = true;
  std::vector<int> pending, deleted_marked, deleted_in_tx, inserted_in_tx;
  std::map<int, int> identity;  ///< id → object
};

struct Mismatch {
  std::string what;
};

/// Counts of operations that ran and that were refused with the expected error.
struct Coverage {
  long ok[static_cast<int>(Op::count)] = {};
  long refused[static_cast<int>(Op::count)] = {};
  long steps = 0, checks = 0;
};

class Run {
 public:
  Run(athanor::Engine e, Coverage* cov) : engine_(std::move(e)), cov_(cov) {}

  /// Runs a sequence on an empty table; returns "" or what went wrong (at which step).
  std::string execute(const std::vector<Step>& steps, std::vector<std::string>* trace) {
    trace_ = trace;
    objs_.clear();
    committed_.clear(), working_.clear();
    {
      auto c = engine_.connect();
      c.exec_driver_sql("DELETE FROM sm_items");
    }
    for (int x = 0; x < 2; ++x) {
      ses_[x] = Ses{};
      ses_[x].expire_on_commit = x == 0;
      ses_[x].s.emplace(engine_, orm::SessionOptions{.expire_on_commit = x == 0, .autoflush = true, .raiseload = false});
    }
    std::size_t n = 0;
    try {
      for (; n < steps.size(); ++n) {
        step(steps[n]);
        check_objects();
      }
      for (int x = 0; x < 2; ++x) note("s" + std::to_string(x) + ".close()"), close(x);
    } catch (const Mismatch& m) {
      cleanup();
      return "step " + std::to_string(n + 1) + ": " + m.what;
    }
    cleanup();
    return {};
  }

 private:
  athanor::Engine engine_;
  Coverage* cov_;
  std::vector<std::string>* trace_ = nullptr;
  std::vector<Obj> objs_;
  Ses ses_[2];
  std::map<int, Row> committed_, working_;

  void cleanup() {
    for (auto& s : ses_) s.s.reset();
    objs_.clear();
  }
  void note(const std::string& s) {
    if (trace_) trace_->push_back(s);
  }
  [[noreturn]] void fail(const std::string& what) { throw Mismatch{what}; }
  std::string h_name(int h) { return "h" + std::to_string(h); }

  /// Runs `f`; returns the message of the athanor error it raised, or nullopt.
  template <class F>
  std::optional<std::string> attempt(F&& f) {
    try {
      f();
      return std::nullopt;
    } catch (const athanor::Error& e) {
      return std::string(e.what());
    } catch (const std::exception& e) {
      fail(std::string("an error that is not an athanor::Error: ") + e.what());
    }
  }
  /// The outcome of an operation the model expects to succeed (errs empty) or to fail with
  /// one of `errs`; `either`: both are right (an order the model does not know).
  bool outcome(Op op, const std::optional<std::string>& err, const std::vector<std::string>& errs, bool either = false) {
    auto i = static_cast<int>(op);
    if (!err) {
      if (!errs.empty() && !either) fail(std::string(op_names[i]) + " succeeded; the model expected an error " + errs[0]);
      ++cov_->ok[i];
      return true;
    }
    for (auto& e : errs) {
      if (err->rfind(e, 0) == 0) {
        ++cov_->refused[i];
        return false;
      }
    }
    fail(std::string(op_names[i]) + " raised \"" + *err + "\"; the model expected " +
         (errs.empty() ? std::string("success") : errs[0]));
  }

  // ---- the model's transitions ----
  void expire_all(int x) {
    for (auto& [id, h] : ses_[x].identity) objs_[h].expired = true, objs_[h].dirty[0] = objs_[h].dirty[1] = false;
  }
  /// A flush's outcome: 0 succeeds, 1 fails, 2 either (UPDATEs in an order the model does not know).
  int predict_flush(int x, std::vector<std::string>& errs) {
    auto& S = ses_[x];
    auto sim = working_;
    int temp = -1;
    for (int h : S.pending) {
      for (auto& [id, r] : sim)
        if (r.name == objs_[h].vals.name) return errs = {"[athanor.integrity", "[athanor.orm.stale]"}, 1;
      sim[temp--] = objs_[h].vals;
    }
    auto before = sim;
    bool stale = false, maybe = false;
    for (int h : updates(x)) {
      auto& o = objs_[h];
      auto it = sim.find(*o.id);
      if (it == sim.end()) {
        stale = true;  // its row was deleted meanwhile: the UPDATE matches nothing
        continue;
      }
      if (o.dirty[0]) it->second.name = o.vals.name;
      if (o.dirty[1]) it->second.note = o.vals.note;
      if (o.dirty[0])
        for (auto& [id, r] : before)
          if (id != *o.id && r.name == o.vals.name) maybe = true;
    }
    std::set<std::string> seen;
    bool dup = false;
    for (auto& [id, r] : sim) dup |= !seen.insert(r.name).second;
    // A key the model holds for a deleted row may be given to a new row (SQLite reuses rowids):
    // the stale object then leaves the Session, or its changes fail the flush.
    bool reuse = false;
    for (auto& [id, h] : S.identity) reuse |= !S.pending.empty() && !working_.count(id);
    errs = {"[athanor.integrity", "[athanor.orm.stale]"};
    if (dup) return 1;
    if (stale) return reuse ? 2 : 1;
    if (maybe || reuse) return 2;
    errs.clear();
    return 0;
  }
  std::vector<int> updates(int x) {
    std::vector<int> out;
    for (auto& [id, h] : ses_[x].identity) {
      auto& o = objs_[h];
      if (o.st == St::persistent && !o.expired && (o.dirty[0] || o.dirty[1])) out.push_back(h);
    }
    return out;
  }
  void flushed(int x) {
    auto& S = ses_[x];
    auto ups = updates(x);
    for (int h : S.pending) {
      auto& o = objs_[h];
      int id = o.p.instance()->obj.id.get();
      if (working_.count(id)) fail("the INSERT of " + h_name(h) + " gave id " + std::to_string(id) + ", a row that exists");
      if (auto held = S.identity.find(id); held != S.identity.end()) {  // a deleted row's key, used again
        auto& old = objs_[held->second];
        std::erase(S.deleted_marked, held->second);
        old.st = St::detached, old.was_deleted = true, old.session = -1;
        S.identity.erase(held);
      }
      working_[id] = o.vals;
      o.id = id, o.st = St::persistent, o.dirty[0] = o.dirty[1] = false;
      S.identity[id] = h;
      S.inserted_in_tx.push_back(h);
    }
    for (int h : ups) {
      auto& o = objs_[h];
      auto& r = working_.at(*o.id);
      if (o.dirty[0]) r.name = o.vals.name;
      if (o.dirty[1]) r.note = o.vals.note;
      o.dirty[0] = o.dirty[1] = false;
    }
    for (int h : S.deleted_marked) {
      auto& o = objs_[h];
      working_.erase(*o.id);
      S.identity.erase(*o.id);
      o.st = St::deleted_flushed;
      S.deleted_in_tx.push_back(h);
    }
    S.pending.clear(), S.deleted_marked.clear();
  }
  /// Rollback, or a failed flush: back to the last commit.
  void restore(int x) {
    auto& S = ses_[x];
    working_ = committed_;
    for (int h : S.inserted_in_tx) {
      auto& o = objs_[h];
      // Only its own entry: SQLite may have given its key again to a row another object holds now.
      if (auto it = S.identity.find(*o.id); o.session == x && it != S.identity.end() && it->second == h) S.identity.erase(it);
      if (o.session == x || o.session == -1) o.st = St::transient, o.id.reset(), o.session = -1;
    }
    for (int h : S.pending) objs_[h].st = St::transient, objs_[h].session = -1;
    for (int h : S.deleted_in_tx)
      if (objs_[h].session == x) objs_[h].st = St::persistent, S.identity[*objs_[h].id] = h;
    for (int h : S.deleted_marked)
      if (objs_[h].session == x) objs_[h].st = St::persistent;
    S.inserted_in_tx.clear(), S.pending.clear(), S.deleted_in_tx.clear(), S.deleted_marked.clear();
    expire_all(x);
  }
  /// After an operation whose flush failed: the Session is rolled back, as the user must.
  void failed_flush(int x) {
    restore(x);
    // An INSERT of the failed flush may have taken the key of a row deleted (and committed) by
    // the other Session: that object left the Session as deleted, which stays true after the
    // rollback. The model cannot know the keys the database gave: it accepts exactly that.
    auto& S = ses_[x];
    for (auto it = S.identity.begin(); it != S.identity.end();) {
      auto& o = objs_[it->second];
      auto& i = *o.p.instance();
      if (i.was_deleted && i.state == orm::detail::State::detached && !committed_.count(it->first)) {
        o.st = St::detached, o.was_deleted = true, o.session = -1, o.expired = i.expired;
        o.dirty[0] = i.obj.name.modified(), o.dirty[1] = i.obj.note.modified();
        it = S.identity.erase(it);
      } else {
        ++it;
      }
    }
    if (auto e = attempt([&] { ses_[x].s->rollback(); })) fail("rollback() after a failed flush raised " + *e);
    note("  (flush failed: s" + std::to_string(x) + ".rollback())");
    check_db();
  }
  /// Loads an expired object (Ptr access): from its Session, or DetachedInstanceError.
  std::vector<std::string> load_errors(const Obj& o) {
    if (!o.expired) return {};
    if (o.session < 0) return {"[athanor.orm.detached]"};
    if (!working_.count(*o.id)) return {"[athanor.result.no_row]"};
    return {};
  }
  void load(Obj& o) {
    if (!o.expired) return;
    o.vals = working_.at(*o.id), o.expired = false, o.dirty[0] = o.dirty[1] = false;
  }
  /// The object as an existing row gives it.
  int adopt(orm::Ptr<Item> p, int x, int id) {
    Obj o;
    o.p = std::move(p), o.session = x, o.st = St::persistent, o.id = id, o.vals = working_.at(id);
    objs_.push_back(std::move(o));
    ses_[x].identity[id] = static_cast<int>(objs_.size()) - 1;
    return static_cast<int>(objs_.size()) - 1;
  }

  void end_transaction(int y, bool commit_it) {
    if (!ses_[y].s->in_transaction()) return;
    note(std::string("s") + std::to_string(y) + (commit_it ? ".commit()" : ".rollback()") + "  (the other Session's turn)");
    commit_it ? commit(y) : rollback(y);
  }

  void commit(int x) {
    std::vector<std::string> errs;
    int f = predict_flush(x, errs);
    auto err = attempt([&] { ses_[x].s->commit(); });
    if (!outcome(Op::commit, err, errs, f == 2)) return failed_flush(x);
    if (f == 1) fail("commit() succeeded; the model expected " + errs[0]);
    flushed(x);
    committed_ = working_;
    auto& S = ses_[x];
    for (int h : S.deleted_in_tx) objs_[h].st = St::detached, objs_[h].was_deleted = true, objs_[h].session = -1;
    S.deleted_in_tx.clear(), S.inserted_in_tx.clear();
    if (S.expire_on_commit) expire_all(x);
    check_db();
  }
  void flush(int x) {
    std::vector<std::string> errs;
    int f = predict_flush(x, errs);
    auto err = attempt([&] { ses_[x].s->flush(); });
    if (!outcome(Op::flush, err, errs, f == 2)) return failed_flush(x);
    flushed(x);
  }
  void rollback(int x) {
    if (auto e = attempt([&] { ses_[x].s->rollback(); })) fail("rollback() raised " + *e);
    ++cov_->ok[static_cast<int>(Op::rollback)];
    restore(x);
    check_db();
  }
  void close(int x) {
    if (auto e = attempt([&] { ses_[x].s->close(); })) fail("close() raised " + *e);
    ++cov_->ok[static_cast<int>(Op::close)];
    auto& S = ses_[x];
    working_ = committed_;
    for (int h : S.pending) objs_[h].st = St::transient, objs_[h].session = -1;
    for (int h : S.inserted_in_tx) {
      auto& o = objs_[h];
      if (o.session == x || o.session == -1) o.st = St::transient, o.id.reset(), o.session = -1;
    }
    for (int h : S.deleted_in_tx)
      if (objs_[h].session == x) objs_[h].st = St::detached, objs_[h].session = -1;
    for (auto& [id, h] : S.identity)
      if (objs_[h].session == x) objs_[h].st = St::detached, objs_[h].session = -1;
    S = Ses{std::move(S.s), S.expire_on_commit, {}, {}, {}, {}, {}};
    check_db();
  }

  /// add() of an existing object, as Session::add (and delete_() of a detached one) decide.
  std::vector<std::string> add_errors(int x, const Obj& o) {
    if (o.session == x) return o.st == St::deleted_flushed ? std::vector<std::string>{"[athanor.orm.deleted]"} : std::vector<std::string>{};
    if (o.session >= 0) return {"[athanor.orm.other_session]"};
    if (o.was_deleted) return {"[athanor.orm.deleted]"};
    if (o.st == St::transient) return {};
    if (auto it = ses_[x].identity.find(*o.id); it != ses_[x].identity.end() && &objs_[it->second] != &o) {
      return {"[athanor.orm.identity_conflict]"};
    }
    for (int d : ses_[x].deleted_in_tx)  // deleted in the transaction: a rollback brings it back
      if (&objs_[d] != &o && objs_[d].id == o.id) return {"[athanor.orm.identity_conflict]"};
    return {};
  }
  void added(int x, int h) {
    auto& o = objs_[h];
    auto& S = ses_[x];
    if (o.session == x) {
      if (o.st == St::deleted_marked) std::erase(S.deleted_marked, h), o.st = St::persistent;
      return;
    }
    o.session = x;
    if (o.st == St::transient) {
      o.st = St::pending, S.pending.push_back(h);
    } else {
      o.st = St::persistent, S.identity[*o.id] = h;
    }
  }

  // ---- one step ----
  void step(const Step& st) {
    ++cov_->steps;
    int x = st.s, y = 1 - st.s;
    bool needs_object = st.op == Op::add || st.op == Op::delete_ || st.op == Op::modify || st.op == Op::expunge ||
                        st.op == Op::merge;
    if (needs_object && objs_.empty()) return note("(no object yet)");
    int h = needs_object ? st.h % static_cast<int>(objs_.size()) : -1;
    if (st.op == Op::modify) x = objs_[h].session, y = x < 0 ? -1 : 1 - x;
    if (y >= 0) end_transaction(y, st.commit);
    if (y >= 0 && ses_[y].s->in_transaction()) fail("s" + std::to_string(y) + " still holds a transaction");
    std::string sx = "s" + std::to_string(x);
    switch (st.op) {
      case Op::add_new: {
        Row r{names[st.val % 6], notes[st.h % 3]};
        note(sx + ".add(new " + show(r) + ") -> h" + std::to_string(objs_.size()));
        auto p = ses_[x].s->add(Item{.name = r.name, .note = r.note});
        ++cov_->ok[static_cast<int>(Op::add_new)];
        Obj o;
        o.p = p, o.session = x, o.st = St::pending, o.vals = r;
        objs_.push_back(std::move(o));
        ses_[x].pending.push_back(static_cast<int>(objs_.size()) - 1);
        return;
      }
      case Op::add: {
        note(sx + ".add(" + h_name(h) + ")");
        auto errs = add_errors(x, objs_[h]);
        auto err = attempt([&] {
          if (!(ses_[x].s->add(objs_[h].p) == objs_[h].p)) fail("add() returned another object");
        });
        if (outcome(Op::add, err, errs)) added(x, h);
        return;
      }
      case Op::delete_: {
        note(sx + ".delete_(" + h_name(h) + ")");
        auto& o = objs_[h];
        std::vector<std::string> errs;
        if (o.session == y) {
          errs = {"[athanor.orm.other_session]"};
        } else if (o.session < 0) {
          errs = o.st == St::transient && !o.was_deleted ? std::vector<std::string>{"[athanor.orm.not_persistent]"} : add_errors(x, o);
        }
        auto err = attempt([&] { ses_[x].s->delete_(o.p); });
        if (!outcome(Op::delete_, err, errs)) return;
        if (o.session < 0) added(x, h);
        auto& S = ses_[x];
        if (o.st == St::pending) {
          std::erase(S.pending, h), o.st = St::transient, o.session = -1;
        } else if (o.st == St::persistent) {
          o.st = St::deleted_marked, S.deleted_marked.push_back(h);
        }
        return;
      }
      case Op::modify: {
        auto& o = objs_[h];
        std::string col = st.col ? "note" : "name";
        Row r = o.vals;
        if (st.col) {
          r.note = notes[st.val % 3];
        } else {
          r.name = names[st.val % 6];
        }
        note(h_name(h) + "->" + col + " = " + (st.col ? (r.note ? *r.note : "NULL") : r.name));
        auto errs = load_errors(o);
        auto err = attempt([&] {
          if (st.col) {
            o.p->note = r.note;
          } else {
            o.p->name = r.name;
          }
        });
        if (!outcome(Op::modify, err, errs)) return;
        load(o);
        if (st.col && o.vals.note != r.note) o.vals.note = r.note, o.dirty[1] = true;
        if (!st.col && o.vals.name != r.name) o.vals.name = r.name, o.dirty[0] = true;
        return;
      }
      case Op::flush:
        note(sx + ".flush()");
        return flush(x);
      case Op::commit:
        note(sx + ".commit()");
        return commit(x);
      case Op::rollback:
        note(sx + ".rollback()");
        return rollback(x);
      case Op::close:
        note(sx + ".close()");
        return close(x);
      case Op::expunge: {
        note(sx + ".expunge(" + h_name(h) + ")");
        auto& o = objs_[h];
        std::vector<std::string> errs;
        if (o.session != x) errs = {"[athanor.orm.not_in_session]"};
        auto err = attempt([&] { ses_[x].s->expunge(o.p); });
        if (!outcome(Op::expunge, err, errs)) return;
        auto& S = ses_[x];
        if (o.st == St::pending) {
          std::erase(S.pending, h), o.st = St::transient;
        } else {
          if (o.st == St::deleted_flushed) std::erase(S.deleted_in_tx, h), o.was_deleted = true;
          std::erase(S.deleted_marked, h);
          if (auto it = S.identity.find(*o.id); it != S.identity.end() && it->second == h) S.identity.erase(it);
          o.st = St::detached;
        }
        o.session = -1;
        return;
      }
      case Op::get: {
        std::vector<int> ids;
        for (auto& [id, r] : committed_) ids.push_back(id);
        for (auto& o : objs_)
          if (o.id) ids.push_back(*o.id);
        int id = ids.empty() ? 1 : ids[st.val % ids.size()] + (st.h % 7 == 0 ? 1 : 0);
        note(sx + ".get(" + std::to_string(id) + ")");
        std::vector<std::string> errs;
        int f = 0;
        auto it = ses_[x].identity.find(id);
        if (it != ses_[x].identity.end()) {
          errs = load_errors(objs_[it->second]);
        } else {
          f = predict_flush(x, errs);
        }
        orm::Ptr<Item> got;
        auto err = attempt([&] { got = ses_[x].s->get<Item>(id); });
        if (!outcome(Op::get, err, errs, f == 2)) {
          if (it == ses_[x].identity.end()) failed_flush(x);
          return;
        }
        if (f == 1) fail("get() succeeded; the model expected its autoflush to fail");
        if (it != ses_[x].identity.end()) {
          load(objs_[it->second]);
          if (!(got == objs_[it->second].p)) fail("get(" + std::to_string(id) + ") did not return " + h_name(it->second));
          return;
        }
        flushed(x);
        if (auto now = ses_[x].identity.find(id); now != ses_[x].identity.end()) {  // inserted by the autoflush
          if (!(got == objs_[now->second].p)) fail("get(" + std::to_string(id) + ") did not return " + h_name(now->second));
          return;
        }
        if (!working_.count(id)) {
          if (got) fail("get(" + std::to_string(id) + ") found an object; the model has no such row");
          return;
        }
        if (!got) fail("get(" + std::to_string(id) + ") found nothing; the model has " + show(working_[id]));
        for (auto& o : objs_)
          if (o.p == got) fail("get(" + std::to_string(id) + ") returned an object the model has elsewhere");
        note("  -> h" + std::to_string(adopt(got, x, id)));
        return;
      }
      case Op::query: {
        note(sx + ".scalars(select<Item>().order_by(id))");
        std::vector<std::string> errs;
        int f = predict_flush(x, errs);
        std::vector<orm::Ptr<Item>> got;
        auto err = attempt([&] { got = ses_[x].s->scalars(orm::select<Item>().order_by(orm::c<&Item::id>)); });
        if (!outcome(Op::query, err, errs, f == 2)) return failed_flush(x);
        if (f == 1) fail("the query succeeded; the model expected its autoflush to fail");
        flushed(x);
        if (got.size() != working_.size()) {
          fail("the query returned " + std::to_string(got.size()) + " objects; the model has " + std::to_string(working_.size()) + " rows");
        }
        std::size_t k = 0;
        for (auto& [id, r] : working_) {
          auto found = ses_[x].identity.find(id);
          if (found != ses_[x].identity.end()) {
            load(objs_[found->second]);
            if (!(got[k] == objs_[found->second].p)) fail("the query's object " + std::to_string(k) + " is not " + h_name(found->second));
          } else {
            for (auto& o : objs_)
              if (o.p == got[k]) fail("the query returned an object the model has elsewhere");
            adopt(got[k], x, id);
          }
          ++k;
        }
        return;
      }
      case Op::merge: {
        auto& src = objs_[h];
        note(sx + ".merge(*" + h_name(h) + ")");
        if (src.session == y && src.expired) return note("  (skipped: it would load in the other Session)");
        auto errs = load_errors(src);
        std::optional<Item> copy;
        auto err = attempt([&] { copy = *src.p; });
        if (!outcome(Op::merge, err, errs)) return;
        load(src);
        int pk = copy->id.get();
        Row r = src.vals;
        auto it = ses_[x].identity.find(pk);
        int f = 0;
        if (it != ses_[x].identity.end()) {
          errs = load_errors(objs_[it->second]);
        } else {
          f = predict_flush(x, errs);
        }
        orm::Ptr<Item> got;
        err = attempt([&] { got = ses_[x].s->merge(*copy); });
        if (!outcome(Op::merge, err, errs, f == 2)) {
          if (it == ses_[x].identity.end()) failed_flush(x);
          return;
        }
        if (f == 1) fail("merge() succeeded; the model expected its autoflush to fail");
        int target;
        if (it != ses_[x].identity.end()) {
          target = it->second;
          load(objs_[target]);
        } else {
          flushed(x);
          if (auto now = ses_[x].identity.find(pk); now != ses_[x].identity.end()) {
            target = now->second;  // inserted by the autoflush
          } else if (working_.count(pk)) {
            for (auto& o : objs_)
              if (o.p == got) fail("merge() returned an object the model has elsewhere");
            target = adopt(got, x, pk);
          } else {  // no such row: a new object, inserted at the next flush
            Obj o;
            o.p = got, o.session = x, o.st = St::pending, o.vals = r;
            objs_.push_back(std::move(o));
            target = static_cast<int>(objs_.size()) - 1;
            ses_[x].pending.push_back(target);
            note("  -> new h" + std::to_string(target));
            if (!(got.instance()->state == orm::detail::State::pending)) fail("merge() of an object without a row did not add a new one");
            return;
          }
        }
        if (!(got == objs_[target].p)) fail("merge() did not return " + h_name(target));
        auto& t = objs_[target];
        if (t.vals.name != r.name) t.vals.name = r.name, t.dirty[0] = true;
        if (t.vals.note != r.note) t.vals.note = r.note, t.dirty[1] = true;
        note("  -> " + h_name(target));
        return;
      }
      case Op::count:
        return;
    }
  }

  // ---- checks ----
  void check_objects() {
    ++cov_->checks;
    for (std::size_t h = 0; h < objs_.size(); ++h) {
      auto& o = objs_[h];
      auto& i = *o.p.instance();
      using S = orm::detail::State;
      static const S expected[] = {S::transient, S::pending, S::persistent, S::deleted, S::deleted, S::detached};
      std::string who = h_name(static_cast<int>(h)) + ": ";
      if (i.state != expected[static_cast<int>(o.st)]) fail(who + "the model has it " + st_names[static_cast<int>(o.st)] + ", the Session does not");
      for (int x = 0; x < 2; ++x) {
        if (ses_[x].s->contains(o.p) != (o.session == x)) fail(who + "in s" + std::to_string(x) + " or not: the model disagrees");
      }
      if (i.was_deleted != o.was_deleted) fail(who + "was_deleted differs from the model");
      bool keyed = o.st != St::transient && o.st != St::pending;
      if (keyed && i.expired != o.expired) fail(who + (o.expired ? "the model has it expired" : "expired, the model has it loaded"));
      if (keyed && i.obj.id.get() != *o.id) fail(who + "its id differs from the model's");
      if (!i.expired) {
        Row r{i.obj.name.get(), i.obj.note.get()};
        if (!(r == o.vals)) fail(who + "holds " + show(r) + ", the model " + show(o.vals));
        if ((o.st == St::persistent || o.st == St::detached) &&
            (i.obj.name.modified() != o.dirty[0] || i.obj.note.modified() != o.dirty[1])) {
          fail(who + "its changed columns (name, note) are " + std::to_string(i.obj.name.modified()) +
               std::to_string(i.obj.note.modified()) + ", the model's " + std::to_string(o.dirty[0]) + std::to_string(o.dirty[1]));
        }
      }
    }
  }
  void check_db() {
    for (auto& s : ses_)
      if (s.s->in_transaction()) return;  // a fresh connection sees only what is committed: compared later
    std::map<int, Row> rows;
    auto c = engine_.connect();
    const auto& t = orm::table_of<Item>();
    auto result = c.execute(athanor::select(t).order_by(t.c("id")));
    for (auto& row : result.all()) {
      rows[row.get<int>(0)] = Row{row.get<std::string>(1), row.get<std::optional<std::string>>(2)};
    }
    if (rows != committed_) {
      std::string got, want;
      for (auto& [id, r] : rows) got += " " + std::to_string(id) + show(r);
      for (auto& [id, r] : committed_) want += " " + std::to_string(id) + show(r);
      fail("the table holds" + got + "; the model committed" + want);
    }
  }
};

std::vector<Step> generate(std::uint64_t seed, int steps) {
  std::mt19937_64 rng(seed);
  // Weights: changes and adds most, then commits, flushes, the rest.
  const int weights[] = {12, 8, 7, 16, 5, 8, 4, 3, 5, 5, 6, 3};
  std::discrete_distribution<int> pick(std::begin(weights), std::end(weights));
  std::vector<Step> out;
  for (int n = 0; n < steps; ++n) {
    out.push_back(Step{static_cast<Op>(pick(rng)), static_cast<int>(rng() % 2), static_cast<int>(rng() % 1000),
                       static_cast<int>(rng() % 2), static_cast<int>(rng() % 1000), rng() % 3 != 0});
  }
  return out;
}

/// Drops steps (halves, then quarters… then single steps) while the sequence still fails.
/// What a failure says, without step numbers, object names and ids: the shrinker keeps this.
std::string kind(const std::string& what) {
  std::string out;
  for (std::size_t i = what.find(": ") + 2; i < what.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(what[i]))) continue;
    out += what[i];
  }
  return out;
}

std::vector<Step> shrink(Run& run, std::vector<Step> steps) {
  auto want = kind(run.execute(steps, nullptr));
  for (std::size_t chunk = steps.size() / 2; chunk >= 1; chunk /= 2) {
    bool progress = true;
    while (progress) {
      progress = false;
      for (std::size_t at = 0; at + chunk <= steps.size();) {
        auto fewer = steps;
        fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(at), fewer.begin() + static_cast<std::ptrdiff_t>(at + chunk));
        auto got = run.execute(fewer, nullptr);
        if (!got.empty() && kind(got) == want) {
          steps = std::move(fewer), progress = true;
        } else {
          at += chunk;
        }
      }
    }
  }
  return steps;
}

}  // namespace sm

TEST_CASE("the Session agrees with a model over random sequences of two Sessions' operations") {
  using namespace sm;
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  registry.map<Item>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);

  long seconds = std::stol(test::env("ATHANOR_STATE_MACHINE_SECONDS", "0"));
  int steps = std::stoi(test::env("ATHANOR_STATE_MACHINE_STEPS", "60"));
  std::string fixed = test::env("ATHANOR_STATE_MACHINE_SEED");
  Coverage cov;
  Run run(engine, &cov);
  auto start = std::chrono::steady_clock::now();
  std::random_device rd;
  long sequences = 0;
  int failures = 0;
  for (std::uint64_t n = 1;; ++n) {
    std::uint64_t seed = !fixed.empty() ? std::stoull(fixed) : seconds > 0 ? (std::uint64_t(rd()) << 32 | rd()) : n;
    auto seq = generate(seed, steps);
    auto what = run.execute(seq, nullptr);
    ++sequences;
    if (!what.empty()) {
      ++failures;
      auto small = shrink(run, seq);
      std::vector<std::string> trace;
      auto again = run.execute(small, &trace);
      std::ostringstream out;
      out << "seed " << seed << " (" << steps << " steps; replay: ATHANOR_STATE_MACHINE_SEED=" << seed
          << " ATHANOR_STATE_MACHINE_STEPS=" << steps << ")\n  " << what << "\n  shrunk to " << small.size()
          << " steps: " << again << "\n";
      for (auto& line : trace) out << "    " << line << "\n";
      FAIL_CHECK(out.str());
      if (failures >= 3) break;
    }
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!fixed.empty() || (seconds > 0 ? elapsed >= static_cast<double>(seconds) : n >= 100)) break;
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ostringstream fig;
  fig << test::backend() << ": " << sequences << " sequences, " << cov.steps << " steps in " << elapsed << " s ("
      << static_cast<long>(static_cast<double>(cov.steps) / elapsed) << " steps/s); ran / refused:";
  for (int k = 0; k < static_cast<int>(Op::count); ++k) fig << " " << op_names[k] << " " << cov.ok[k] << "/" << cov.refused[k];
  MESSAGE(fig.str());
}
