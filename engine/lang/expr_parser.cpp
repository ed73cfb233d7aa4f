// Hand-written recursive-descent parser for the expression language: one
// pass over the characters, no token list, no regex. Locations are computed
// from the scalar's start plus the byte offset (multi-line aware). The first
// error wins; nesting is capped so hostile input cannot blow the stack.
#include <fmt/format.h>

#include <charconv>

#include "engine/lang/expr.h"

namespace infra::engine {

namespace {

// Bounds the AST height (nesting plus operators chained in a row), so the
// recursive evaluator and destructors stay far from the stack limit.
constexpr int kMaxDepth = 500;
constexpr const char* kTooDeep = "expression is nested too deeply or chains too many operators (limit 500)";

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

class Parser {
 public:
  Parser(std::string_view text, const SourceLoc& start)
      : text_(text), start_(start), cache_line_(start.line), cache_col_(start.column) {}

  Result<ExprPtr> Template() {
    ExprPtr e = ParseTemplateBody(/*quoted=*/false, 0);
    return Finish(e);
  }

  Result<ExprPtr> Expression() {
    ExprPtr e = ParseExpr();
    if (e) {
      SkipSpace();
      if (pos_ < text_.size()) Fail(pos_, fmt::format("unexpected {} after the expression", Describe(pos_)));
    }
    return Finish(e);
  }

 private:
  using Node = std::shared_ptr<Expr>;

  Result<ExprPtr> Finish(const ExprPtr& e) {
    if (failed_) return error_;
    return e;
  }

  // ---- locations and errors ----
  SourceLoc LocAt(size_t offset) {
    if (offset < cache_off_) {
      cache_off_ = 0;
      cache_line_ = start_.line;
      cache_col_ = start_.column;
    }
    for (; cache_off_ < offset && cache_off_ < text_.size(); ++cache_off_) {
      unsigned char c = static_cast<unsigned char>(text_[cache_off_]);
      if (c == '\n') {
        ++cache_line_;
        cache_col_ = 1;
      } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
        ++cache_col_;
      }
    }
    return SourceLoc{start_.file, cache_line_, cache_col_};
  }

  std::nullptr_t Fail(size_t offset, const std::string& message) {
    if (!failed_) {
      failed_ = true;
      error_ = MakeError(Error::Kind::kInvalid, "ExprSyntax", LocAt(offset).ToString() + ": " + message);
    }
    return nullptr;
  }

  std::string Describe(size_t offset) const {
    if (offset >= text_.size()) return "end of input";
    char c = text_[offset];
    if (c == '\n') return "newline";
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return fmt::format("character 0x{:02x}", static_cast<unsigned char>(c));
    return fmt::format("'{}'", c);
  }

  Node NewNode(ExprKind kind, size_t offset) {
    auto n = std::make_shared<Expr>();
    n->kind = kind;
    n->loc = LocAt(offset);
    return n;
  }

  // ---- characters ----
  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') ++pos_;
      else break;
    }
  }
  char Peek(size_t ahead = 0) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  bool AtEnd() const { return pos_ >= text_.size(); }
  bool Consume(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  bool Expect(char c, std::string_view what) {
    SkipSpace();
    if (Peek() == c && !AtEnd()) {
      ++pos_;
      return true;
    }
    Fail(pos_, fmt::format("expected {}, found {}", what, Describe(pos_)));
    return false;
  }

  // ---- templates ----
  // What ended a run of template parts.
  enum class PartsEnd { kEnd, kElse, kEndIf, kEndFor, kError };

  // Parses literal text, ${...} and %{...} directives until end of input
  // (top level), the closing quote (a quoted string inside an expression) or
  // an %{else}/%{endif}/%{endfor}, which is consumed; `*end_at` is its offset.
  PartsEnd ParseParts(bool quoted, size_t open_offset, std::vector<ExprPtr>* parts, size_t* end_at) {
    std::string literal;
    size_t literal_start = pos_;
    auto flush = [&] {
      if (literal.empty()) return;
      Node n = NewNode(ExprKind::kLiteral, literal_start);
      n->literal = Value::String(std::move(literal));
      literal.clear();
      parts->push_back(n);
    };
    auto trim_literal = [&] {
      while (!literal.empty() && std::string_view(" \t\r\n").find(literal.back()) != std::string_view::npos)
        literal.pop_back();
    };
    while (true) {
      if (AtEnd()) {
        if (quoted) {
          Fail(open_offset, "unterminated string: missing closing '\"'");
          return PartsEnd::kError;
        }
        break;
      }
      char c = text_[pos_];
      if (quoted && c == '"') {
        ++pos_;
        break;
      }
      if (quoted && c == '\n') {
        Fail(pos_, "newline in a quoted string; use \\n");
        return PartsEnd::kError;
      }
      if (quoted && c == '\\') {
        if (literal.empty()) literal_start = pos_;
        if (!ParseEscape(&literal)) return PartsEnd::kError;
        continue;
      }
      if ((c == '$' || c == '%') && Peek(1) == c && Peek(2) == '{') {  // $${ and %%{ are literal
        if (literal.empty()) literal_start = pos_;
        literal += c;
        literal += '{';
        pos_ += 3;
        continue;
      }
      if (c == '$' && Peek(1) == '{') {
        size_t open = pos_;
        pos_ += 2;
        if (Peek() == '~') {
          ++pos_;
          trim_literal();
        }
        flush();
        ExprPtr inner = ParseExpr();
        if (!inner) return PartsEnd::kError;
        SkipSpace();
        bool strip_after = Peek() == '~';
        if (strip_after) ++pos_;
        if (Peek() != '}' || AtEnd()) {
          SourceLoc o = LocAt(open);
          Fail(pos_, fmt::format("expected '}}' to close the '${{' at {}:{}, found {}", o.line, o.column, Describe(pos_)));
          return PartsEnd::kError;
        }
        ++pos_;
        if (strip_after) SkipSpace();
        parts->push_back(inner);
        literal_start = pos_;
        continue;
      }
      if (c == '%' && Peek(1) == '{') {
        size_t open = pos_;
        pos_ += 2;
        if (Peek() == '~') {
          ++pos_;
          trim_literal();
        }
        flush();
        SkipSpace();
        PartsEnd end = PartsEnd::kEnd;
        if (AtKeyword("if") || AtKeyword("for")) {
          ExprPtr d = AtKeyword("if") ? ParseIfDirective(quoted, open_offset, open) : ParseForDirective(quoted, open_offset, open);
          if (!d) return PartsEnd::kError;
          parts->push_back(d);
          literal_start = pos_;
          continue;
        }
        if (AtKeyword("else")) end = PartsEnd::kElse, pos_ += 4;
        else if (AtKeyword("endif")) end = PartsEnd::kEndIf, pos_ += 5;
        else if (AtKeyword("endfor")) end = PartsEnd::kEndFor, pos_ += 6;
        if (end == PartsEnd::kEnd) {
          Fail(pos_, fmt::format("unknown template directive at {}; valid: %{{if}}, %{{else}}, %{{endif}}, %{{for}}, "
                                 "%{{endfor}} (write %%{{ for a literal '%{{')", Describe(pos_)));
          return PartsEnd::kError;
        }
        if (!CloseDirective()) return PartsEnd::kError;
        *end_at = open;
        return end;
      }
      if (literal.empty()) literal_start = pos_;
      literal += c;
      ++pos_;
    }
    flush();
    return PartsEnd::kEnd;
  }

  // The `~}` or `}` that ends a directive; `~` strips the whitespace after it.
  bool CloseDirective() {
    SkipSpace();
    bool strip = Peek() == '~';
    if (strip) ++pos_;
    if (Peek() != '}' || AtEnd()) {
      Fail(pos_, fmt::format("expected '}}' to close the template directive, found {}", Describe(pos_)));
      return false;
    }
    ++pos_;
    if (strip) SkipSpace();
    return true;
  }

  // A directive's body: always a string (a template node, even for one part).
  ExprPtr TemplateOf(std::vector<ExprPtr> parts, size_t offset) {
    Node n = NewNode(ExprKind::kTemplate, offset);
    n->operands = std::move(parts);
    return n;
  }

  std::string DirectiveName(PartsEnd e) const {
    switch (e) {
      case PartsEnd::kElse: return "%{else}";
      case PartsEnd::kEndIf: return "%{endif}";
      case PartsEnd::kEndFor: return "%{endfor}";
      default: return "the end of the text";
    }
  }

  ExprPtr UnmatchedDirective(PartsEnd got, size_t at, const char* opener, size_t open) {
    SourceLoc o = LocAt(open);
    if (got == PartsEnd::kEnd)
      return Fail(open, fmt::format("{} has no matching {}", opener, std::string(opener) == "%{if}" ? "%{endif}" : "%{endfor}"));
    return Fail(at, fmt::format("unexpected {} inside the {} at {}:{}", DirectiveName(got), opener, o.line, o.column));
  }

  // %{if cond}...[%{else}...]%{endif}: a conditional over two string templates.
  ExprPtr ParseIfDirective(bool quoted, size_t open_offset, size_t open) {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
    pos_ += 2;
    ExprPtr cond = ParseExpr();
    if (!cond || !CloseDirective()) return nullptr;
    std::vector<ExprPtr> yes, no;
    size_t at = 0;
    PartsEnd end = ParseParts(quoted, open_offset, &yes, &at);
    if (end == PartsEnd::kError) return nullptr;
    if (end == PartsEnd::kElse) {
      end = ParseParts(quoted, open_offset, &no, &at);
      if (end == PartsEnd::kError) return nullptr;
    }
    if (end != PartsEnd::kEndIf) return UnmatchedDirective(end, at, "%{if}", open);
    Node n = NewNode(ExprKind::kConditional, open);
    n->operands = {cond, TemplateOf(std::move(yes), open), TemplateOf(std::move(no), open)};
    return n;
  }

  // %{for v in coll}...%{endfor}: the body once per element, concatenated.
  ExprPtr ParseForDirective(bool quoted, size_t open_offset, size_t open) {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
    Node n = NewNode(ExprKind::kFor, open);
    n->for_form = ForForm::kTemplate;
    if (!ParseForHead(n) || !CloseDirective()) return nullptr;
    std::vector<ExprPtr> body;
    size_t at = 0;
    PartsEnd end = ParseParts(quoted, open_offset, &body, &at);
    if (end == PartsEnd::kError) return nullptr;
    if (end != PartsEnd::kEndFor) return UnmatchedDirective(end, at, "%{for}", open);
    n->operands.push_back(TemplateOf(std::move(body), open));
    return n;
  }

  ExprPtr ParseTemplateBody(bool quoted, size_t open_offset) {
    size_t start = pos_;
    std::vector<ExprPtr> parts;
    size_t at = 0;
    PartsEnd end = ParseParts(quoted, open_offset, &parts, &at);
    if (end == PartsEnd::kError) return nullptr;
    if (end != PartsEnd::kEnd) return Fail(at, fmt::format("{} without a matching %{{{}}}", DirectiveName(end),
                                                            end == PartsEnd::kEndFor ? "for" : "if"));
    if (parts.empty()) {
      Node n = NewNode(ExprKind::kLiteral, start);
      n->literal = Value::String("");
      return n;
    }
    // One part alone keeps its value (a literal string, or `${x}` unwrapped).
    if (parts.size() == 1) return parts[0];
    Node n = NewNode(ExprKind::kTemplate, quoted ? open_offset : start);
    n->operands = std::move(parts);
    return n;
  }

  bool ParseEscape(std::string* out) {
    size_t at = pos_;
    ++pos_;  // backslash
    if (AtEnd()) {
      Fail(at, "unterminated escape sequence");
      return false;
    }
    char e = text_[pos_++];
    switch (e) {
      case 'n': *out += '\n'; return true;
      case 't': *out += '\t'; return true;
      case 'r': *out += '\r'; return true;
      case '"': *out += '"'; return true;
      case '\\': *out += '\\'; return true;
      case 'u':
      case 'U': return ParseUnicodeEscape(at, e == 'u' ? 4 : 8, out);
      default:
        Fail(at, fmt::format("invalid escape sequence '\\{}'; valid: \\n \\t \\r \\\" \\\\ \\uNNNN \\UNNNNNNNN", e));
        return false;
    }
  }

  bool ParseUnicodeEscape(size_t at, int digits, std::string* out) {
    uint32_t cp = 0;
    for (int i = 0; i < digits; ++i) {
      char h = Peek();
      int v = IsDigit(h) ? h - '0' : (h >= 'a' && h <= 'f') ? h - 'a' + 10 : (h >= 'A' && h <= 'F') ? h - 'A' + 10 : -1;
      if (v < 0 || AtEnd()) {
        Fail(at, fmt::format("invalid unicode escape: expected {} hex digits", digits));
        return false;
      }
      cp = cp * 16 + static_cast<uint32_t>(v);
      ++pos_;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      Fail(at, "invalid unicode escape: not a valid code point");
      return false;
    }
    AppendUtf8(cp, out);
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // ---- expressions, lowest precedence first ----
  struct DepthGuard {
    explicit DepthGuard(int* d) : d_(d) { ++*d_; }
    ~DepthGuard() { *d_ -= n_; }
    void Add() {  // one more level of left-deep nesting
      ++*d_;
      ++n_;
    }
    int* d_;
    int n_ = 1;
  };

  ExprPtr ParseExpr() {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
    SkipSpace();
    size_t start = pos_;
    ExprPtr cond = ParseBinary(0);
    if (!cond) return nullptr;
    SkipSpace();
    if (Peek() != '?') return cond;
    ++pos_;
    ExprPtr yes = ParseExpr();
    if (!yes) return nullptr;
    if (!Expect(':', "':' of the conditional 'cond ? a : b'")) return nullptr;
    ExprPtr no = ParseExpr();
    if (!no) return nullptr;
    Node n = NewNode(ExprKind::kConditional, start);
    n->operands = {cond, yes, no};
    return n;
  }

  // Binary operator at the current position for precedence `level`
  // (0 = ||, 1 = &&, 2 = equality, 3 = comparison, 4 = additive, 5 = multiplicative).
  ExprOp PeekBinaryOp(int level, size_t* len) {
    char c = Peek(), d = Peek(1);
    *len = 1;
    switch (level) {
      case 0: *len = 2; return c == '|' && d == '|' ? ExprOp::kOr : ExprOp::kNone;
      case 1: *len = 2; return c == '&' && d == '&' ? ExprOp::kAnd : ExprOp::kNone;
      case 2:
        *len = 2;
        if (c == '=' && d == '=') return ExprOp::kEq;
        if (c == '!' && d == '=') return ExprOp::kNe;
        return ExprOp::kNone;
      case 3:
        if (c == '<' || c == '>') {
          *len = d == '=' ? 2 : 1;
          if (c == '<') return d == '=' ? ExprOp::kLe : ExprOp::kLt;
          return d == '=' ? ExprOp::kGe : ExprOp::kGt;
        }
        return ExprOp::kNone;
      case 4: return c == '+' ? ExprOp::kAdd : c == '-' ? ExprOp::kSub : ExprOp::kNone;
      case 5: return c == '*' ? ExprOp::kMul : c == '/' ? ExprOp::kDiv : c == '%' ? ExprOp::kMod : ExprOp::kNone;
    }
    return ExprOp::kNone;
  }

  ExprPtr ParseBinary(int level) {
    if (level > 5) return ParseUnary();
    SkipSpace();
    size_t start = pos_;
    DepthGuard guard(&depth_);
    ExprPtr left = ParseBinary(level + 1);
    while (left) {
      SkipSpace();
      size_t len = 0;
      ExprOp op = PeekBinaryOp(level, &len);
      if (op == ExprOp::kNone || AtEnd()) break;
      guard.Add();
      if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
      pos_ += len;
      ExprPtr right = ParseBinary(level + 1);
      if (!right) return nullptr;
      Node n = NewNode(ExprKind::kBinary, start);
      n->op = op;
      n->operands = {left, right};
      left = n;
    }
    return left;
  }

  ExprPtr ParseUnary() {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
    SkipSpace();
    size_t start = pos_;
    char c = Peek();
    if (!AtEnd() && (c == '!' || c == '-')) {
      ++pos_;
      ExprPtr operand = ParseUnary();
      if (!operand) return nullptr;
      if (c == '-' && operand->kind == ExprKind::kLiteral && operand->literal.kind() == ValueKind::kNumber) {
        Node n = NewNode(ExprKind::kLiteral, start);  // fold -<number> into a literal
        n->literal = Value::Number(-operand->literal.AsNumber());
        return n;
      }
      Node n = NewNode(ExprKind::kUnary, start);
      n->op = c == '!' ? ExprOp::kNot : ExprOp::kNeg;
      n->operands = {operand};
      return n;
    }
    return ParsePostfix();
  }

  ExprPtr ParsePostfix() {
    DepthGuard guard(&depth_);
    ExprPtr base = ParsePrimary();
    while (base) {
      SkipSpace();
      size_t at = pos_;
      guard.Add();
      if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
      if (Peek() == '.' && Peek(1) != '.' && !AtEnd()) {  // `...` is a for's grouping, not a step
        ++pos_;
        base = ParseAttrStep(base, at);
      } else if (Peek() == '[' && !AtEnd()) {
        ++pos_;
        base = ParseIndexStep(base, at);
      } else {
        break;
      }
    }
    return base;
  }

  ExprPtr ParseAttrStep(const ExprPtr& base, size_t at) {
    SkipSpace();
    if (Peek() == '*') {
      ++pos_;
      return ParseSplat(base, at);
    }
    if (IsDigit(Peek())) {  // legacy `list.0` index form
      size_t s = pos_;
      while (IsDigit(Peek())) ++pos_;
      double n = 0;
      std::from_chars(text_.data() + s, text_.data() + pos_, n);
      return AddIndex(base, at, Value::Number(n), nullptr);
    }
    if (!IsIdentStart(Peek())) return Fail(pos_, fmt::format("expected an attribute name after '.', found {}", Describe(pos_)));
    std::string name = ReadIdent();
    if (base->kind == ExprKind::kReference) {
      Node n = Extend(base);
      n->traversal.steps.push_back({TraversalStep::Kind::kAttr, std::move(name), Value(), LocAt(at)});
      return n;
    }
    Node n = NewNode(ExprKind::kGetAttr, at);
    n->loc = base->loc;
    n->name = std::move(name);
    n->operands = {base};
    return n;
  }

  ExprPtr ParseIndexStep(const ExprPtr& base, size_t at) {
    SkipSpace();
    if (Peek() == '*') {
      ++pos_;
      if (!Expect(']', "']' after '[*'")) return nullptr;
      return ParseSplat(base, at);
    }
    ExprPtr key = ParseExpr();
    if (!key) return nullptr;
    if (!Expect(']', "']'")) return nullptr;
    if (key->kind == ExprKind::kLiteral &&
        (key->literal.kind() == ValueKind::kNumber || key->literal.kind() == ValueKind::kString))
      return AddIndex(base, at, key->literal, key);
    return AddIndex(base, at, Value(), key);
  }

  // `base[*]` (or `base.*`) then the `.attr` / `[literal]` steps that apply
  // to every element; a dynamic index or another splat ends it.
  ExprPtr ParseSplat(const ExprPtr& base, size_t at) {
    Node n = NewNode(ExprKind::kSplat, at);
    n->loc = base->loc;
    n->operands = {base};
    while (true) {
      size_t save = pos_;
      SkipSpace();
      size_t step_at = pos_;
      if (Peek() == '.' && IsIdentStart(Peek(1))) {
        ++pos_;
        n->splat_steps.push_back({TraversalStep::Kind::kAttr, ReadIdent(), Value(), LocAt(step_at)});
        continue;
      }
      if (Peek() == '[' && Peek(1) != '*') {
        ++pos_;
        ExprPtr key = ParseExpr();
        if (!key) return nullptr;
        SkipSpace();
        if (Peek() == ']' && key->kind == ExprKind::kLiteral &&
            (key->literal.kind() == ValueKind::kNumber || key->literal.kind() == ValueKind::kString)) {
          ++pos_;
          n->splat_steps.push_back({TraversalStep::Kind::kIndex, "", key->literal, LocAt(step_at)});
          continue;
        }
      }
      pos_ = save;
      return n;
    }
  }

  // Literal keys on a reference extend its traversal; anything else is an
  // index node evaluated at run time.
  ExprPtr AddIndex(const ExprPtr& base, size_t at, const Value& literal_key, ExprPtr key) {
    if (base->kind == ExprKind::kReference && !literal_key.is_null()) {
      Node n = Extend(base);
      n->traversal.steps.push_back({TraversalStep::Kind::kIndex, "", literal_key, LocAt(at)});
      return n;
    }
    if (!key) {
      Node k = NewNode(ExprKind::kLiteral, at);
      k->literal = literal_key;
      key = k;
    }
    Node n = NewNode(ExprKind::kIndex, at);
    n->loc = base->loc;
    n->operands = {base, key};
    return n;
  }

  // A reference node to append a step to. The parser is the only owner of a
  // node it is still building, so it extends it in place instead of copying.
  static Node Extend(const ExprPtr& base) {
    if (base.use_count() == 1) return std::const_pointer_cast<Expr>(base);
    return std::make_shared<Expr>(*base);
  }

  std::string ReadIdent() {
    size_t s = pos_;
    // HCL allows '-' inside names; we only take it when a letter or '_'
    // follows, so `count.index-1` stays a subtraction.
    while (!AtEnd() && (IsIdentChar(Peek()) || (Peek() == '-' && IsIdentStart(Peek(1))))) ++pos_;
    return std::string(text_.substr(s, pos_ - s));
  }

  ExprPtr ParsePrimary() {
    SkipSpace();
    size_t start = pos_;
    if (AtEnd()) return Fail(pos_, "expected an expression, found end of input");
    char c = Peek();
    if (IsDigit(c)) return ParseNumber();
    if (c == '"') {
      ++pos_;
      return ParseTemplateBody(/*quoted=*/true, start);
    }
    if (c == '(') {
      ++pos_;
      ExprPtr inner = ParseExpr();
      if (!inner || !Expect(')', "')'")) return nullptr;
      return inner;
    }
    if (c == '[') return ParseList();
    if (c == '{') return ParseMap();
    if (IsIdentStart(c)) return ParseName();
    if (c == '}') return Fail(pos_, "expected an expression, found '}'");
    return Fail(pos_, fmt::format("expected an expression, found {}", Describe(pos_)));
  }

  ExprPtr ParseNumber() {
    size_t s = pos_;
    while (IsDigit(Peek())) ++pos_;
    if (Peek() == '.' && IsDigit(Peek(1))) {
      ++pos_;
      while (IsDigit(Peek())) ++pos_;
    }
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      pos_ += 2;
      while (IsDigit(Peek())) ++pos_;
    }
    double n = 0;
    auto [ptr, ec] = std::from_chars(text_.data() + s, text_.data() + pos_, n);
    if (ec != std::errc() || ptr != text_.data() + pos_) return Fail(s, "invalid number");
    if (IsIdentStart(Peek())) return Fail(pos_, fmt::format("unexpected {} after a number", Describe(pos_)));
    Node lit = NewNode(ExprKind::kLiteral, s);
    lit->literal = Value::Number(n);
    return lit;
  }

  ExprPtr ParseName() {
    size_t start = pos_;
    std::string name = ReadIdent();
    if (name == "true" || name == "false" || name == "null") {
      Node lit = NewNode(ExprKind::kLiteral, start);
      lit->literal = name == "null" ? Value::Null() : Value::Bool(name == "true");
      return lit;
    }
    size_t after = pos_;
    SkipSpace();
    if (Peek() == '(' && !AtEnd()) {
      ++pos_;
      return ParseCall(std::move(name), start);
    }
    pos_ = after;
    Node ref = NewNode(ExprKind::kReference, start);
    ref->traversal.root = std::move(name);
    ref->traversal.loc = ref->loc;
    return ref;
  }

  ExprPtr ParseCall(std::string name, size_t start) {
    Node call = NewNode(ExprKind::kCall, start);
    call->name = std::move(name);
    if (!ParseItems(')', "')' or ','", &call->operands)) return nullptr;
    return call;
  }

  // Comma-separated expressions up to `close` (trailing comma allowed).
  bool ParseItems(char close, std::string_view what, std::vector<ExprPtr>* out) {
    SkipSpace();
    if (Peek() == close && !AtEnd()) {
      ++pos_;
      return true;
    }
    while (true) {
      ExprPtr item = ParseExpr();
      if (!item) return false;
      out->push_back(item);
      SkipSpace();
      if (Peek() == ',' && !AtEnd()) {
        ++pos_;
        SkipSpace();
        if (Peek() == close && !AtEnd()) {
          ++pos_;
          return true;
        }
        continue;
      }
      if (Peek() == close && !AtEnd()) {
        ++pos_;
        return true;
      }
      Fail(pos_, fmt::format("expected {}, found {}", what, Describe(pos_)));
      return false;
    }
  }

  ExprPtr ParseList() {
    size_t start = pos_++;
    SkipSpace();
    if (AtKeyword("for")) return ParseFor(start, ForForm::kList);
    Node list = NewNode(ExprKind::kList, start);
    if (!ParseItems(']', "']' or ','", &list->operands)) return nullptr;
    return list;
  }

  // { key = value, "key": value, (expr) = value }; separators ',' or newline.
  ExprPtr ParseMap() {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
    size_t start = pos_++;
    SkipSpace();
    if (AtKeyword("for")) return ParseFor(start, ForForm::kMap);
    Node map = NewNode(ExprKind::kMap, start);
    while (true) {
      SkipSpace();
      if (AtEnd()) return Fail(start, "unterminated map: missing '}'");
      if (Peek() == '}') {
        ++pos_;
        return map;
      }
      ExprPtr key = ParseMapKey();
      if (!key) return nullptr;
      SkipSpace();
      if ((Peek() == '=' && Peek(1) != '=') || Peek() == ':') {
        ++pos_;
      } else {
        return Fail(pos_, fmt::format("expected '=' or ':' after a map key, found {}", Describe(pos_)));
      }
      ExprPtr value = ParseExpr();
      if (!value) return nullptr;
      map->keys.push_back(key);
      map->operands.push_back(value);
      SkipSpace();
      if (Peek() == ',' && !AtEnd()) ++pos_;
    }
  }

  // True if the keyword `word` starts here (followed by a non-name character).
  bool AtKeyword(std::string_view word) const {
    if (text_.substr(pos_, word.size()) != word) return false;
    size_t e = pos_ + word.size();
    return e >= text_.size() || !(IsIdentChar(text_[e]) || text_[e] == '-');
  }

  // `for k, v in coll` up to (not including) the ':' (or '}' of %{for}).
  bool ParseForHead(Node n) {
    pos_ += 3;
    SkipSpace();
    if (!IsIdentStart(Peek())) {
      Fail(pos_, fmt::format("expected a name after 'for', found {}", Describe(pos_)));
      return false;
    }
    std::string first = ReadIdent();
    SkipSpace();
    if (Peek() == ',') {
      ++pos_;
      SkipSpace();
      if (!IsIdentStart(Peek())) {
        Fail(pos_, fmt::format("expected a second name after ',' in 'for', found {}", Describe(pos_)));
        return false;
      }
      n->for_key_var = first;
      n->for_value_var = ReadIdent();
      SkipSpace();
    } else {
      n->for_value_var = first;
    }
    if (!AtKeyword("in")) {
      Fail(pos_, fmt::format("expected 'in' after the names of a 'for', found {}", Describe(pos_)));
      return false;
    }
    pos_ += 2;
    ExprPtr coll = ParseExpr();
    if (!coll) return false;
    n->operands.push_back(coll);
    return true;
  }

  // [for v in coll : value if cond] / {for k, v in coll : key => value... if cond}
  ExprPtr ParseFor(size_t start, ForForm form) {
    DepthGuard guard(&depth_);
    if (depth_ > kMaxDepth) return Fail(pos_, kTooDeep);
    Node n = NewNode(ExprKind::kFor, start);
    n->for_form = form;
    if (!ParseForHead(n)) return nullptr;
    if (!Expect(':', "':' after 'for ... in <collection>'")) return nullptr;
    if (form == ForForm::kMap) {
      n->for_key = ParseExpr();
      if (!n->for_key) return nullptr;
      SkipSpace();
      if (!Consume("=>")) return Fail(pos_, fmt::format("expected '=>' between the key and the value of a map 'for', found {}", Describe(pos_)));
    }
    ExprPtr value = ParseExpr();
    if (!value) return nullptr;
    n->operands.push_back(value);
    SkipSpace();
    if (Consume("...")) {
      if (form != ForForm::kMap) return Fail(pos_ - 3, "'...' (grouping) is only allowed in a map 'for' expression");
      n->for_group = true;
      SkipSpace();
    }
    if (AtKeyword("if")) {
      pos_ += 2;
      n->for_cond = ParseExpr();
      if (!n->for_cond) return nullptr;
    }
    char close = form == ForForm::kList ? ']' : '}';
    if (!Expect(close, form == ForForm::kList ? "']' to close the 'for' expression" : "'}' to close the 'for' expression"))
      return nullptr;
    return n;
  }

  ExprPtr ParseMapKey() {
    size_t start = pos_;
    if (IsIdentStart(Peek())) {  // a bare name is a literal key, as in HCL
      std::string name = ReadIdent();
      size_t after = pos_;
      SkipSpace();
      if (Peek() == '=' || Peek() == ':') {
        pos_ = after;
        Node lit = NewNode(ExprKind::kLiteral, start);
        lit->literal = Value::String(std::move(name));
        return lit;
      }
      pos_ = start;
    }
    return ParseBinary(0);
  }

  std::string_view text_;
  const SourceLoc& start_;
  size_t pos_ = 0;
  int depth_ = 0;
  bool failed_ = false;
  Error error_;
  size_t cache_off_ = 0;
  int cache_line_;
  int cache_col_;
};

}  // namespace

Result<ExprPtr> ParseTemplate(std::string_view text, const SourceLoc& start) {
  return Parser(text, start).Template();
}

Result<ExprPtr> ParseExpression(std::string_view text, const SourceLoc& start) {
  return Parser(text, start).Expression();
}

}  // namespace infra::engine
