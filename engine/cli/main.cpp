// The `infra` executable: argv goes to the CLI, nothing else happens here.
#include "engine/cli/cli.h"

int main(int argc, char** argv) { return infra::cli::Run(argc, argv); }
