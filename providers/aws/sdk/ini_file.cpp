// AWS config-file INI dialect, following the SDKs' shared-config rules:
// full-line comments start with '#' or ';'; after a section header anything
// past ']' is ignored; in a value, '#'/';' start a comment only after
// whitespace (secrets may contain neither, but URLs may contain '#').
#include "providers/aws/sdk/ini_file.h"

#include <cctype>

#include <fmt/format.h>

namespace infra::aws {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Drops an inline comment: '#' or ';' preceded by whitespace.
std::string_view StripInlineComment(std::string_view v) {
  for (size_t i = 1; i < v.size(); ++i) {
    if ((v[i] == '#' || v[i] == ';') && IsBlank(v[i - 1])) return Trim(v.substr(0, i));
  }
  return v;
}

class Parser {
 public:
  Parser(std::string_view file_name, IniFile* out) : file_(file_name), out_(out) {}

  void Line(std::string_view raw, size_t line_no) {
    line_no_ = line_no;
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') return;
    if (line[0] == '[') return Header(line);
    if (section_ == nullptr) return Problem("a setting outside any [section]");
    bool indented = !raw.empty() && IsBlank(raw[0]);
    if (indented && !key_.empty()) return Continuation(line);
    Property(line);
  }

 private:
  void Header(std::string_view line) {
    size_t close = line.find(']');
    std::string_view name = close == std::string_view::npos ? std::string_view{} : Trim(line.substr(1, close - 1));
    key_.clear();
    if (name.empty()) {
      section_ = nullptr;
      return Problem("a malformed [section] header");
    }
    // "[profile   x]" -> "profile x": one space, as the SDKs normalise.
    std::string n(name);
    if (size_t sp = n.find_first_of(" \t"); sp != std::string::npos) {
      n = n.substr(0, sp) + " " + std::string(Trim(std::string_view(n).substr(sp)));
    }
    section_ = &out_->sections[n];
  }

  void Property(std::string_view line) {
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      key_.clear();
      return Problem("a line with no '='");
    }
    std::string key = Lower(Trim(line.substr(0, eq)));
    if (key.empty()) {
      key_.clear();
      return Problem("a setting with an empty name");
    }
    key_ = key;
    (*section_)[key_] = std::string(StripInlineComment(Trim(line.substr(eq + 1))));
  }

  // An indented line after "key =": a sub-property "key.child"; after a
  // non-empty value: a continuation of that value (joined with '\n').
  void Continuation(std::string_view line) {
    std::string& parent = (*section_)[key_];
    size_t eq = line.find('=');
    if (parent.empty() && eq != std::string_view::npos) {
      std::string child = Lower(Trim(line.substr(0, eq)));
      if (child.empty()) return Problem("a sub-setting with an empty name");
      (*section_)[key_ + "." + child] = std::string(StripInlineComment(Trim(line.substr(eq + 1))));
      return;
    }
    if (key_.find('.') == std::string::npos && !parent.empty()) {
      parent += "\n" + std::string(StripInlineComment(line));
      return;
    }
    Problem("an indented line that continues nothing");
  }

  void Problem(std::string_view what) {
    out_->problems.push_back(fmt::format("{}:{}: skipped {}", file_, line_no_, what));
  }

  std::string_view file_;
  IniFile* out_;
  IniFile::Section* section_ = nullptr;
  std::string key_;
  size_t line_no_ = 0;
};

}  // namespace

const IniFile::Section* IniFile::Find(const std::string& section) const {
  auto it = sections.find(section);
  return it == sections.end() ? nullptr : &it->second;
}

IniFile ParseIni(std::string_view text, std::string_view file_name) {
  IniFile out;
  Parser parser(file_name, &out);
  size_t line_no = 1;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    parser.Line(line, line_no++);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace infra::aws
