// How aws_lambda_function is read beyond its field table: the reserved
// concurrency (GetFunctionConcurrency where GetFunction leaves it out), and
// the listing for many functions of a region: ListFunctions 50 a page for
// the configurations, then each function's tags (ListTags) and reserved
// concurrency, which ListFunctions does not report, fanned out.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "providers/aws/kit/grouped_read_type.h"

namespace infra::aws::lambda {

/// Sets reserved_concurrent_executions of each of `found` that has none
/// yet: GetFunctionConcurrency's value, or null when none is reserved.
/// GetFunction leaves Concurrency out when none is reserved (moto also when
/// 0 is). A function gone meanwhile is null; other errors are returned.
Status ReadConcurrency(const kit::JsonCall& call, const std::string& region, const std::string& id,
                       provider::Attributes& found);

/// The read of many functions of a region (see the file comment); objects
/// gone are absent, as in any Read.
class FunctionListing : public kit::GroupedReadType {
 public:
  explicit FunctionListing(std::shared_ptr<AwsClient> client);
  Result<std::map<std::string, provider::Attributes>> Read(const std::string& region,
                                                           const std::vector<std::string>& ids) override;

 private:
  /// Tags and reserved concurrency of one listed function.
  Status Complete(const std::string& region, const std::string& id, provider::Attributes& a);
};

}  // namespace infra::aws::lambda
