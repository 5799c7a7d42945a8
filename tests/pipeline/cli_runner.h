// Runs the built devpick binary the way a user does and captures what it printed.
#ifndef DEVPICK_TESTS_PIPELINE_CLI_RUNNER_H_
#define DEVPICK_TESTS_PIPELINE_CLI_RUNNER_H_

#include <map>
#include <string>
#include <vector>

namespace devpick::testing {

struct CliResult {
  int exit_status = -1;
  std::string out;
  std::string err;
};

// `env` entries are added to (or replace) the test's own environment.
CliResult RunDevpick(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});
// Runs `script` with /bin/bash -c, $DEVPICK naming the devpick binary, for what needs a shell:
// pipes, redirections, process substitution.
CliResult RunShell(const std::string& script, const std::map<std::string, std::string>& env = {});
std::string SourcePath(const std::string& relative);
std::string ReadTextFile(const std::string& path);

}  // namespace devpick::testing

#endif  // DEVPICK_TESTS_PIPELINE_CLI_RUNNER_H_
