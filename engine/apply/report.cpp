// Folding operation results into outcomes, counting, and the summary text.
#include "engine/apply/report.h"

#include <fmt/format.h>

#include <map>

namespace infra::engine {

std::string_view OutcomeName(OutcomeStatus s) {
  switch (s) {
    case OutcomeStatus::kSucceeded: return "succeeded";
    case OutcomeStatus::kFailed: return "failed";
    case OutcomeStatus::kSkipped: return "skipped";
    case OutcomeStatus::kNotStarted: return "not started";
    case OutcomeStatus::kAbandoned: return "abandoned";
  }
  return "?";
}

std::string OutcomeLabel(const ResourceChange& c) {
  return c.deposed.empty() ? c.address : fmt::format("{} (deposed object {})", c.address, c.deposed);
}

namespace {

void Count(const ResourceOutcome& o, ApplyReport& rep) {
  switch (o.status) {
    case OutcomeStatus::kSucceeded:
      if (IsDataAddress(o.address)) break;  // a data source read or forgotten: no infrastructure changed
      if (ActionCreates(o.action)) ++rep.added;
      if (ActionDeletes(o.action)) ++rep.destroyed;
      if (o.action == Action::kUpdate || o.action == Action::kRead) ++rep.changed;
      break;
    case OutcomeStatus::kFailed: ++rep.failed; break;
    case OutcomeStatus::kSkipped: ++rep.skipped; break;
    case OutcomeStatus::kAbandoned:
    case OutcomeStatus::kNotStarted: ++rep.not_started; break;
  }
}

}  // namespace

ApplyReport MakeReport(const Plan& plan, const std::vector<OperationResult>& operations, bool interrupted,
                       int max_in_flight, KnownValues values) {
  ApplyReport rep;
  rep.interrupted = interrupted;
  rep.max_in_flight = max_in_flight;
  std::map<size_t, std::vector<const OperationResult*>> by_change;
  for (const auto& op : operations) by_change[op.change].push_back(&op);
  for (const auto& [ci, ops] : by_change) {
    const ResourceChange& c = plan.changes[ci];
    ResourceOutcome o;
    o.address = OutcomeLabel(c);
    o.action = c.action;
    o.status = OutcomeStatus::kSucceeded;
    for (const OperationResult* op : ops) {
      if (op->status != OutcomeStatus::kSucceeded && o.status == OutcomeStatus::kSucceeded) {
        o.status = op->status;
        o.message = op->message;
      }
      o.elapsed += op->elapsed;
    }
    if (c.reason == ActionReason::kForgetBecauseRemoved && o.status == OutcomeStatus::kSucceeded)
      ++rep.forgotten;  // left in AWS: not "destroyed"
    else
      Count(o, rep);
    rep.outcomes.push_back(std::move(o));
  }
  rep.values = std::move(values);
  return rep;
}

std::string ApplyReport::Summary(bool destroy) const {
  std::string out;
  if (ok()) {
    if (destroy) return fmt::format("Destroy complete! Resources: {} destroyed.\n", destroyed);
    return fmt::format("Apply complete! Resources: {} added, {} changed, {} destroyed{}.\n", added, changed, destroyed,
                       forgotten > 0 ? fmt::format(", {} forgotten", forgotten) : "");
  }
  out += fmt::format("{} {}: {} succeeded, {} failed, {} skipped, {} not started.\n",
                     destroy ? "Destroy" : "Apply", interrupted ? "interrupted" : "failed",
                     added + changed + destroyed, failed, skipped, not_started);
  for (const auto& o : outcomes)
    if (o.status != OutcomeStatus::kSucceeded)
      out += fmt::format("  {} {}: {}\n", OutcomeName(o.status), o.address, o.message);
  return out;
}

}  // namespace infra::engine
