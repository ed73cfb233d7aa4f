// SourceLoc: a position in a stack file (1-based line and column), carried by
// expressions, references and errors so every message can say file:line:col.
#pragma once
#include <string>

namespace infra::engine {

/// A 1-based position in a source file. line/column 0 means "unknown".
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;

  /// "file:line:col" (just "file" when line is 0).
  std::string ToString() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  bool operator==(const SourceLoc& o) const {
    return line == o.line && column == o.column && file == o.file;
  }
};

}  // namespace infra::engine
