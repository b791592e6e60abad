// athanor/migrate/revision.hpp — `migrate::Revision` (an id, its parents, a message, `up` and
// `down` as calls on migrate::Ops) and `migrate::Revisions`, the registry an application fills
// with its revisions: the revision graph (heads, merge points, history, the path to a target)
// and each revision's SQL per dialect with its checksum. Alembic's script/revision.py, with the
// revisions compiled into the program instead of imported from files. Running them: upgrade.hpp.
#pragma once

#include <algorithm>  // std::find
#include <cstdint>    // std::uint64_t
#include <functional> // std::function
#include <map>        // std::map
#include <string>     // std::string
#include <vector>     // std::vector

#include <athanor/migrate/ops.hpp>

namespace athanor::migrate {

/// A revision: `up` brings the schema from its parents' to its own, `down` back. Several
/// parents make a merge point; none, a first revision (after "base").
/// **Example**:
/// ```
/// revisions.add({.id = "b2c3", .parents = {"a1b2"}, .message = "users.email",
///                .up = [](migrate::Ops& op) { op.add_column("users", Column{"email", String{80}}); },
///                .down = [](migrate::Ops& op) { op.drop_column("users", "email"); }});
/// ```
struct Revision {
  std::string id;
  std::vector<std::string> parents{};
  std::string message{};
  std::function<void(Ops&)> up{};
  std::function<void(Ops&)> down{};
};

/// A revision graph error: unknown or duplicate ids, several heads where one is needed, an
/// applied revision edited since (checksum), a revision left half applied.
class RevisionError : public ArgumentError {
 public:
  using ArgumentError::ArgumentError;
  std::vector<std::string> revisions;  ///< the revisions it is about (the heads, the edited one…)
};

/// The SQL of one direction of one revision for one dialect.
struct RevisionPlan {
  std::vector<Step> steps;
  std::string text;      ///< the steps as text (data steps by label), what the checksum covers
};

/// The revisions of an application, in the order added.
class Revisions {
 public:
  /// Adds `r` (RevisionError when its id is taken; parents are checked when the graph is used).
  Revisions& add(Revision r) {
    if (r.id.empty() || find(r.id))
      throw RevisionError("[athanor.revision.duplicate] revision id '" + r.id + "' is " + (r.id.empty() ? "empty" : "taken"));
    list_.push_back(std::move(r));
    return *this;
  }
  const Revision* find(const std::string& id) const {
    for (auto& r : list_)
      if (r.id == id) return &r;
    return nullptr;
  }
  const Revision& at(const std::string& id) const {
    if (auto* r = find(id)) return *r;
    throw RevisionError("[athanor.revision.unknown] no revision '" + id + "' is registered");
  }
  const std::vector<Revision>& all() const { return list_; }

  /// Every revision after its parents (the order added among the rest); RevisionError on a
  /// parent not registered or a cycle.
  std::vector<const Revision*> ordered() const {
    std::vector<const Revision*> out;
    std::map<std::string, int> state;  // 1 visiting, 2 done
    std::function<void(const Revision&)> visit = [&](const Revision& r) {
      if (state[r.id] == 2) return;
      if (state[r.id] == 1) throw RevisionError("[athanor.revision.cycle] revision " + r.id + " is its own ancestor");
      state[r.id] = 1;
      for (auto& p : r.parents) {
        if (!find(p)) throw RevisionError("[athanor.revision.unknown] revision " + r.id + " names parent '" + p + "', which is not registered");
        visit(*find(p));
      }
      state[r.id] = 2;
      out.push_back(&r);
    };
    for (auto& r : list_) visit(r);
    return out;
  }
  /// `id` and all its ancestors, parents first.
  std::vector<const Revision*> lineage(const std::string& id) const {
    std::vector<std::string> want{id};
    for (std::size_t i = 0; i < want.size(); ++i)
      for (auto& p : at(want[i]).parents)
        if (std::find(want.begin(), want.end(), p) == want.end()) want.push_back(p);
    std::vector<const Revision*> out;
    for (auto* r : ordered())
      if (std::find(want.begin(), want.end(), r->id) != want.end()) out.push_back(r);
    return out;
  }
  /// The revisions no other one names as parent.
  std::vector<std::string> heads() const {
    std::vector<std::string> out;
    for (auto* r : ordered()) {
      bool parent = false;
      for (auto& o : list_) parent |= std::find(o.parents.begin(), o.parents.end(), r->id) != o.parents.end();
      if (!parent) out.push_back(r->id);
    }
    return out;
  }
  /// The one head; RevisionError `[athanor.revision.multiple_heads]` naming them when there
  /// are several (two branches from one parent): write a merge revision.
  std::string head() const {
    auto h = heads();
    if (h.size() == 1) return h[0];
    if (h.empty()) throw RevisionError("[athanor.revision.no_head] no revision is registered");
    std::string names;
    for (auto& x : h) names += (names.empty() ? "" : ", ") + x;
    RevisionError e("[athanor.revision.multiple_heads] the revisions have " + std::to_string(h.size()) + " heads (" + names +
                    "): merge them with a revision whose parents are all of them, e.g. .parents = {\"" + h[0] + "\", \"" + h[1] + "\"}");
    e.revisions = h;
    throw e;
  }
  /// One line per revision, newest first: `b2c3 -> d4e5 (head), add users.email`.
  std::vector<std::string> history() const {
    auto order = ordered();
    auto h = heads();
    std::vector<std::string> out;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const Revision& r = **it;
      std::string from;
      for (auto& p : r.parents) from += (from.empty() ? "" : ", ") + p;
      std::string s = (from.empty() ? "<base>" : from) + " -> " + r.id;
      if (std::find(h.begin(), h.end(), r.id) != h.end()) s += " (head)";
      if (r.parents.size() > 1) s += " (merge point)";
      out.push_back(s + ", " + r.message);
    }
    return out;
  }

  /// The schema after `id` (the ups of its lineage replayed on an empty schema).
  SchemaState state_after(const std::string& id, const Dialect& d) const {
    SchemaState s;
    for (auto* r : lineage(id)) build(*r, true, s, d);
    return s;
  }
  /// The SQL of revision `id` in one direction for dialect `d`.
  RevisionPlan plan(const std::string& id, bool up, const Dialect& d) const {
    const Revision& r = at(id);
    SchemaState s;
    for (auto* a : lineage(id))
      if (a->id != id || !up) build(*a, true, s, d);
    return build(r, up, s, d);
  }
  /// 16 hex digits (FNV-1a 64) of both directions' SQL text for `d`: an applied revision
  /// whose text changed since was edited.
  std::string checksum(const std::string& id, const Dialect& d) const {
    std::string text = plan(id, true, d).text + "\n-- down\n" + plan(id, false, d).text;
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[i] = hex[h & 15];
    return out;
  }

 private:
  static RevisionPlan build(const Revision& r, bool up, SchemaState& s, const Dialect& d) {
    RevisionPlan p;
    Ops op(s, d, p.steps);
    if (auto& f = up ? r.up : r.down) f(op);
    for (auto& st : p.steps) {
      if (st.data) p.text += "-- data step: " + st.label + "\n";
      for (auto& x : st.before) p.text += x + ";\n";
      for (auto& x : st.body) p.text += x + ";\n";
      for (auto& x : st.after) p.text += x + ";\n";
    }
    return p;
  }
  std::vector<Revision> list_;
};

}  // namespace athanor::migrate
