// The plan as Markdown for a pull request comment or a GitHub step summary
// (`infra plan -markdown FILE`, `infra show -markdown PLANFILE`): a table of
// add / change / destroy / replace per region, then each change in a
// collapsible <details> section holding the text renderer's block (so its
// redaction applies: a secret is "(sensitive value)" however deep), cut to
// fit GitHub's comment limit with a note saying where the full plan is.
#pragma once
#include <cstddef>
#include <string>

#include "engine/plan/plan.h"

namespace infra::cli {

/// GitHub's limit on an issue or pull request comment body, in characters.
inline constexpr size_t kGitHubCommentLimit = 65536;

struct MarkdownOptions {
  /// The whole result is at most this many bytes (bytes >= characters, so
  /// a byte limit is also a character limit). The default leaves GitHub's
  /// limit room for the marker and footer the action adds to a comment.
  size_t max_bytes = kGitHubCommentLimit - 1536;
  /// Said after the sections left out when the plan does not fit.
  std::string full_plan_hint =
      "The full plan is in the workflow run's artifacts (`infra show PLANFILE` prints it).";
};

/// The plan as GitHub-flavoured Markdown, at most `options.max_bytes` long.
/// Headline (stack and summary sentence), the per-region table, then one
/// <details> per drift, resource change and the output changes, in plan
/// order; sections that do not fit are left out and counted in a note.
/// Never contains a sensitive value.
std::string RenderPlanMarkdown(const engine::Plan& plan, const MarkdownOptions& options = {});

}  // namespace infra::cli
