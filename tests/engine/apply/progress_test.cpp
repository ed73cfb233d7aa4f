// Progress lines: wording, elapsed formatting, plain text off a terminal.
#include "engine/apply/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace infra::engine {
namespace {
using std::chrono::seconds;

TEST(ProgressTest, FormatsElapsed) {
  EXPECT_EQ(FormatElapsed(seconds(5)), "5s");
  EXPECT_EQ(FormatElapsed(seconds(70)), "1m10s");
  EXPECT_EQ(FormatElapsed(seconds(3723)), "1h2m3s");
}

TEST(ProgressTest, PlainLines) {
  std::ostringstream out;
  Progress p(&out, false);
  p.Started("aws_vpc.main", "create", "");
  p.Still("aws_nat_gateway.a", "create", seconds(70), "state pending");
  p.Finished("aws_vpc.main", "create", seconds(2), "vpc-1");
  p.Started("aws_subnet.a", "delete", "subnet-1");
  p.Failed("aws_subnet.a", "delete", seconds(1), "DependencyViolation: in use");
  EXPECT_EQ(out.str(),
            "aws_vpc.main: Creating...\n"
            "aws_nat_gateway.a: Still creating... [1m10s elapsed] (state pending)\n"
            "aws_vpc.main: Creation complete after 2s [id=vpc-1]\n"
            "aws_subnet.a: Destroying... [id=subnet-1]\n"
            "aws_subnet.a: Destruction failed after 1s: DependencyViolation: in use\n");
}

TEST(ProgressTest, ColourOnlyOnATerminal) {
  std::ostringstream out;
  Progress p(&out, true);
  p.Started("aws_vpc.main", "create", "");
  EXPECT_NE(out.str().find("\x1b[1m"), std::string::npos);
}

}  // namespace
}  // namespace infra::engine
