// The expression language of stack files: the AST parsed from `${...}` and
// from whole YAML strings with interpolation, reference collection (graph
// edges), and evaluation against a caller-provided scope.
// Parser: engine/expr_parser.cpp; evaluator: engine/expr_eval.cpp;
// functions: engine/expr_functions.cpp.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/lang/source_loc.h"
#include "engine/lang/value.h"

namespace infra::engine {

/// One step after the root of a reference: `.name` or `[literal]`.
struct TraversalStep {
  enum class Kind { kAttr, kIndex };
  Kind kind = Kind::kAttr;
  std::string name;  ///< kAttr: the attribute name.
  Value key;         ///< kIndex: the literal key (number or string).
  SourceLoc loc;     ///< Where the step starts (the '.' or '[').
};

/// A static reference: root name plus the attribute/literal-index path that
/// follows it directly, e.g. `module.net.vpc_id` -> root "module", steps
/// [.net, .vpc_id]; `public[0].id` -> root "public", steps [[0], .id].
/// Dynamic indexes (`x[var.i]`) end the traversal; the rest is applied by the
/// evaluator. Roots: `var`, `module`, `each`, `count`, `region`, or a
/// resource's local name.
struct Traversal {
  std::string root;
  SourceLoc loc;  ///< Location of the root name's first character.
  std::vector<TraversalStep> steps;

  /// Source-like rendering: `module.net.vpc_id`, `public[0].id`, `m["k"]`.
  std::string ToString() const;
  /// Name of the first attribute step, or "" if there is none / it is an index.
  std::string FirstAttr() const;
  /// `data.NAME.rest` seen from NAME: root NAME, steps `rest` (the caller
  /// checked that steps[0] is an attribute).
  Traversal DropRoot() const;
};

enum class ExprKind {
  kLiteral,      ///< literal: number, string, bool, null
  kTemplate,     ///< string interpolation: parts are string literals / exprs
  kReference,    ///< traversal
  kIndex,        ///< operands[0][operands[1]]
  kGetAttr,      ///< operands[0].name (after a dynamic index or call)
  kList,         ///< [operands...]
  kMap,          ///< {keys[i] = operands[i]}; keys are exprs (usually literals)
  kUnary,        ///< op operands[0]
  kBinary,       ///< operands[0] op operands[1]
  kConditional,  ///< operands[0] ? operands[1] : operands[2]
  kCall,         ///< name(operands...)
  kFor,          ///< for expression / %{for}: operands = {collection, value}; see the for_* fields
  kSplat,        ///< operands[0][*] followed by splat_steps, applied to every element
};

/// What a kFor node builds.
enum class ForForm {
  kList,      ///< [for k, v in coll : value if cond]
  kMap,       ///< {for k, v in coll : key => value... if cond}
  kTemplate,  ///< %{for v in coll}value%{endfor}: the values' strings concatenated
};

enum class ExprOp {
  kNone,
  kNot, kNeg,                                  // unary
  kMul, kDiv, kMod, kAdd, kSub,                // arithmetic
  kLt, kLe, kGt, kGe, kEq, kNe,                // comparison
  kAnd, kOr,                                   // logic
};

struct Expr;
/// Expressions are immutable once parsed and shared freely.
using ExprPtr = std::shared_ptr<const Expr>;

/// An expression node. Which fields are meaningful depends on `kind`.
struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  SourceLoc loc;                  ///< First character of the node.
  Value literal;                  ///< kLiteral
  Traversal traversal;            ///< kReference
  std::string name;               ///< kGetAttr attribute, kCall function name
  ExprOp op = ExprOp::kNone;      ///< kUnary, kBinary
  std::vector<ExprPtr> operands;  ///< see ExprKind
  std::vector<ExprPtr> keys;      ///< kMap only
  // kFor: `for key_var, value_var in ...`; key_var is "" when one name is given.
  ForForm for_form = ForForm::kList;
  std::string for_key_var, for_value_var;
  ExprPtr for_key;       ///< kMap form: the key expression
  ExprPtr for_cond;      ///< the `if` filter, or null
  bool for_group = false;  ///< kMap form: `value...` groups values with equal keys into lists
  std::vector<TraversalStep> splat_steps;  ///< kSplat: `.attr` / `[literal]` steps after the `[*]`

  /// True if the node is a literal (no references, no calls anywhere), so
  /// its value can be computed without a scope.
  bool IsConstant() const;
  /// Canonical source-like rendering (for tests and messages).
  std::string ToString() const;
};

/// Parses a YAML scalar string. Text without `${` is a string literal; `$${`
/// is a literal `${`. Exactly one `${...}` and nothing else keeps the
/// expression's type; anything else is string interpolation (kTemplate).
/// `start` is the location of the scalar's first character; the text may
/// span lines. Errors: Error::Kind::kInvalid, code "ExprSyntax", message
/// "file:line:col: message" at the offending character.
Result<ExprPtr> ParseTemplate(std::string_view text, const SourceLoc& start);

/// Parses a bare expression (the inside of `${...}`, no delimiters).
/// Same error convention as ParseTemplate.
Result<ExprPtr> ParseExpression(std::string_view text, const SourceLoc& start);

/// Every reference traversal in the expression, in source order (duplicates
/// kept; each carries its own location). Names bound by a `for` are not
/// references inside its body; `x[*].attr` yields `x.attr` (every instance's
/// attribute).
std::vector<Traversal> CollectReferences(const Expr& expr);

/// What a scope resolved: a value and how many of the traversal's steps it
/// consumed (0 = only the root). The evaluator applies the remaining steps.
struct Resolved {
  Value value;
  size_t steps_used = 0;
};

/// The evaluator's view of names. Implemented by the stack expander.
/// Typical resolutions: `var.x` (1 step), `each.key`/`each.value`/
/// `count.index` (1), `region` (0), `module.m.out` (2), `name.attr` (1;
/// not yet known -> Value::Unknown()), `name[0].attr` (2) or `name` (0,
/// the whole object/list).
class EvalScope {
 public:
  virtual ~EvalScope() = default;
  /// Resolves a prefix of `ref`. On failure return an Error whose message has
  /// NO location (e.g. "undefined variable 'x'"); the evaluator prefixes
  /// "file:line:col: " from ref.loc and keeps kind and code.
  virtual Result<Resolved> Lookup(const Traversal& ref) const = 0;
  /// The directory file(), templatefile() and friends may read below, as an
  /// absolute path; "" (the default) means they may not read files at all.
  virtual std::string FileRoot() const { return ""; }
};

/// A scope that knows no names (every reference is an error); for constants.
class EmptyScope : public EvalScope {
 public:
  Result<Resolved> Lookup(const Traversal& ref) const override;
};

/// Evaluates `expr`. Unknown operands give unknown results (Terraform
/// rules); sensitive marks carry to derived values. Errors (kInvalid, code
/// "ExprType", "ExprIndex", "ExprFunction"; scope errors keep their own
/// code, default "ExprReference") read
/// "file:line:col: message", e.g. "stack.yaml:3:12: cannot add string and number".
Result<Value> Evaluate(const Expr& expr, const EvalScope& scope);

}  // namespace infra::engine
