// NearestName: "did you mean ...?" suggestions by edit distance, shared by
// the expression functions, the stack parser and schema validation.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace infra::engine {

/// Levenshtein distance (insert/delete/substitute, each cost 1) between a and b.
size_t EditDistance(std::string_view a, std::string_view b);

/// The candidate closest to `name`, or "" when none is close enough to be a
/// plausible typo: distance at most max(2, name.size() / 3) and smaller than
/// name.size(). A case-only difference always qualifies. Ties go to the
/// candidate that comes first in `candidates`.
std::string NearestName(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace infra::engine
