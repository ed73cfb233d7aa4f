// Recursive-descent JSON reader into nlohmann::json. Objects are filled
// with emplace_hint at the end: nlohmann dumps keys in sorted order, so
// stored attributes insert in O(1) each.
#include "state/json_reader.h"

#include <cctype>
#include <charconv>
#include <cstring>

namespace infra::state {
namespace {

using Json = nlohmann::json;

class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool Document(Json* out) {
    if (!Value(out, 0)) return false;
    SkipSpace();
    return p_ == end_;
  }

  bool String(std::string* out) {
    if (p_ == end_ || *p_ != '"') return false;
    ++p_;
    const char* start = p_;
    // Fast path: no escapes.
    while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
    out->assign(start, p_);
    while (p_ < end_) {
      char c = *p_++;
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (p_ == end_ || !Escape(out)) return false;
    }
    return false;
  }

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }

 private:
  bool Value(Json* out, int depth) {
    if (depth > 256) return false;
    SkipSpace();
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return Object(out, depth);
      case '[': return Array(out, depth);
      case '"': {
        std::string s;
        if (!String(&s)) return false;
        *out = std::move(s);
        return true;
      }
      case 't': return Literal("true", Json(true), out);
      case 'f': return Literal("false", Json(false), out);
      case 'n': return Literal("null", Json(nullptr), out);
      default: return Number(out);
    }
  }

  bool Object(Json* out, int depth) {
    ++p_;
    *out = Json::object();
    auto& map = out->get_ref<Json::object_t&>();
    if (Eat('}')) return true;
    std::string key;
    do {
      SkipSpace();
      if (!String(&key) || !Eat(':')) return false;
      Json value;
      if (!Value(&value, depth + 1)) return false;
      map.insert_or_assign(map.end(), std::move(key), std::move(value));
      key.clear();
    } while (Eat(','));
    return Eat('}');
  }

  bool Array(Json* out, int depth) {
    ++p_;
    *out = Json::array();
    auto& list = out->get_ref<Json::array_t&>();
    if (Eat(']')) return true;
    do {
      list.emplace_back();
      if (!Value(&list.back(), depth + 1)) return false;
    } while (Eat(','));
    return Eat(']');
  }

  bool Literal(const char* word, Json value, Json* out) {
    size_t n = std::strlen(word);
    if (static_cast<size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    *out = std::move(value);
    return true;
  }

  // Integers become int64 (or uint64 when positive and too large), the rest
  // double, as nlohmann does.
  bool Number(Json* out) {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !std::isdigit(static_cast<unsigned char>(*p_))) return false;
    if (*p_ == '0' && p_ + 1 < end_ && std::isdigit(static_cast<unsigned char>(p_[1]))) return false;
    while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) ++p_;
    bool integer = true;
    if (p_ < end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || !std::isdigit(static_cast<unsigned char>(*p_))) return false;
      while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !std::isdigit(static_cast<unsigned char>(*p_))) return false;
      while (p_ < end_ && std::isdigit(static_cast<unsigned char>(*p_))) ++p_;
    }
    if (integer) {
      int64_t i = 0;
      if (std::from_chars(start, p_, i).ec == std::errc()) {
        *out = i;
        return true;
      }
      uint64_t u = 0;
      if (*start != '-' && std::from_chars(start, p_, u).ec == std::errc()) {
        *out = u;
        return true;
      }
    }
    double d = 0;
    if (std::from_chars(start, p_, d).ec != std::errc()) return false;
    *out = d;
    return true;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool Hex4(unsigned* cp) {
    if (end_ - p_ < 4) return false;
    *cp = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(*p_++);
      if (h < 0) return false;
      *cp = *cp * 16 + static_cast<unsigned>(h);
    }
    return true;
  }

  bool Escape(std::string* out) {
    char c = *p_++;
    switch (c) {
      case '"': out->push_back('"'); return true;
      case '\\': out->push_back('\\'); return true;
      case '/': out->push_back('/'); return true;
      case 'b': out->push_back('\b'); return true;
      case 'f': out->push_back('\f'); return true;
      case 'n': out->push_back('\n'); return true;
      case 'r': out->push_back('\r'); return true;
      case 't': out->push_back('\t'); return true;
      case 'u': break;
      default: return false;
    }
    unsigned cp = 0;
    if (!Hex4(&cp)) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair must follow
      unsigned low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return false;
    }
    AppendUtf8(cp, out);
    return true;
  }

  static void AppendUtf8(unsigned cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  const char* p_;
  const char* end_;
};

}  // namespace

bool ReadJson(std::string_view text, nlohmann::json* out) { return Reader(text).Document(out); }

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json ParseJsonOrDiscard(std::string_view text) {
  nlohmann::json out;
  if (ReadJson(text, &out)) return out;
  return nlohmann::json::parse(text, nullptr, false);
}

std::vector<std::string> ReadStringList(std::string_view text) {
  std::vector<std::string> out;
  Reader r(text);
  if (!r.Eat('[')) return out;
  if (r.Eat(']')) return out;
  std::string item;
  do {
    r.SkipSpace();
    if (!r.String(&item)) {  // not a plain string list: let nlohmann sort it out
      out.clear();
      auto j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_array())
        for (auto& e : j)
          if (e.is_string()) out.push_back(e.get<std::string>());
      return out;
    }
    out.push_back(std::move(item));
    item.clear();
  } while (r.Eat(','));
  return out;
}

}  // namespace infra::state
