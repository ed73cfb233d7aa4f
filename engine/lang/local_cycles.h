// Cycles among `locals:` of one stack or module file, found when the file is
// loaded and reported like resource cycles: the whole loop, one edge per
// line with the place that makes it.
#pragma once
#include "engine/lang/stack_defs.h"

namespace infra::engine {

class Diagnostics;

/// Reports the first loop among `file`'s locals (in declaration order of the
/// local it starts from) as one error at the first edge, address
/// "local.<name>", detail "local.a -> local.b  (file:line:col: references
/// local.b)" per edge. Returns false if there was a loop. O(locals + refs).
bool CheckLocalCycles(const ModuleFile& file, Diagnostics& diags);

}  // namespace infra::engine
