// Boolean expressions over findings and causes, evaluated with three values.
//
// The knowledge base writes them as TOML: "finding_id", "cause:cause_id", {all = [...]},
// {any = [...]}, {not = ...}. A finding that was not asked, or answered "not sure", is kUnknown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hipcoach {

enum class Tri : std::uint8_t { kFalse, kTrue, kUnknown };

struct Expr {
  enum class Kind : std::uint8_t { kFinding, kCause, kAll, kAny, kNot };
  Kind kind = Kind::kFinding;
  std::string id;  // finding or cause id for the leaf kinds
  int index = -1;  // resolved index into the knowledge base's findings or causes
  int line = 0;    // where a leaf was written, for messages
  int column = 0;
  std::vector<Expr> children;
};

// Collects the finding indices an expression reads (for reachability and relevance checks).
void CollectFindings(const Expr& expr, std::vector<int>& out);

// The cause leaf for expressions that never read causes (red-flag patterns and ask_if; the loader
// refuses cause leaves there).
inline Tri NoCauses(int /*cause*/) { return Tri::kFalse; }

// Evaluates with Kleene logic: all() is false if any child is false, true if all are true, unknown
// otherwise; any() mirrors it; not() swaps true and false.
template <typename FindingFn, typename CauseFn>
Tri Evaluate(const Expr& expr, const FindingFn& finding, const CauseFn& cause) {
  switch (expr.kind) {
    case Expr::Kind::kFinding:
      return finding(expr.index);
    case Expr::Kind::kCause:
      return cause(expr.index);
    case Expr::Kind::kNot: {
      const Tri inner = Evaluate(expr.children.front(), finding, cause);
      if (inner == Tri::kUnknown) return Tri::kUnknown;
      return inner == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
    }
    case Expr::Kind::kAll: {
      Tri result = Tri::kTrue;
      for (const Expr& child : expr.children) {
        const Tri value = Evaluate(child, finding, cause);
        if (value == Tri::kFalse) return Tri::kFalse;
        if (value == Tri::kUnknown) result = Tri::kUnknown;
      }
      return result;
    }
    case Expr::Kind::kAny: {
      Tri result = Tri::kFalse;
      for (const Expr& child : expr.children) {
        const Tri value = Evaluate(child, finding, cause);
        if (value == Tri::kTrue) return Tri::kTrue;
        if (value == Tri::kUnknown) result = Tri::kUnknown;
      }
      return result;
    }
  }
  return Tri::kUnknown;
}

}  // namespace hipcoach
