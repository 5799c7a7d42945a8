#include "probes/isolation.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "core/bounded_json.h"
#include "core/snapshot_json.h"
#include "probes/registry.h"

namespace devpick {
namespace {

void SetEntry(ProbeObservations* probes, std::string_view name, ProbeStatus status,
              std::string detail) {
  if (ProbeHeader* header = EmplaceProbeEntry(probes, name)) {
    header->status = status;
    header->detail = std::move(detail);
  }
}

std::string TimeoutDetail(int timeout_ms, const char* what) {
  return "no answer within " + std::to_string(timeout_ms) + " ms; " + what;
}

std::string SignalDetail(const ProcessOutcome& outcome) {
  return "the probe process died from signal " + std::to_string(outcome.signal) +
         (outcome.signal_description.empty() ? std::string()
                                             : " (" + outcome.signal_description + ")");
}

// The last line the child wrote to its standard error, for diagnostics; "" when none.
std::string LastLine(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  std::size_t start = trimmed.rfind('\n');
  std::string line = start == std::string::npos ? trimmed : trimmed.substr(start + 1);
  if (line.size() > 200) line = line.substr(0, 200) + "...";
  return line;
}

// A child's standard output beyond this is not a probe entry.
constexpr std::size_t kMaxReply = 16 << 20;
// What is kept of its standard error, for the diagnostic of a failed child.
constexpr std::size_t kMaxErrorText = 64 << 10;

ProcessRequest HelperRequest(const std::string& helper, std::vector<std::string> args,
                             int timeout_ms) {
  return ProcessRequest{.executable = helper,
                        .arguments = std::move(args),
                        .timeout_ms = timeout_ms,
                        .max_output_bytes = kMaxReply,
                        .max_error_bytes = kMaxErrorText};
}

// Env::RunProcesses, with an outcome for every request even from an Env that returns too few.
std::vector<ProcessOutcome> RunAll(const Env& env, std::span<const ProcessRequest> requests) {
  std::vector<ProcessOutcome> outcomes = env.RunProcesses(requests);
  for (std::size_t i = outcomes.size(); i < requests.size(); ++i) {
    ProcessOutcome missing;  // kNotStarted
    missing.start_error =
        "cannot start " + requests[i].executable + ": the Env ran no process for it";
    outcomes.push_back(std::move(missing));
  }
  return outcomes;
}

// ": <last line of stderr>", or "" when it wrote none.
std::string StderrSuffix(const ProcessOutcome& outcome) {
  std::string line = LastLine(outcome.error_output);
  return line.empty() ? "" : ": " + line;
}

void Report(const ProcessOutcome& outcome, std::string_view name, int timeout_ms,
            ProbeObservations* probes) {
  switch (outcome.end) {
    case ProcessEnd::kNotStarted:
      SetEntry(probes, name, ProbeStatus::kError, outcome.start_error);
      return;
    case ProcessEnd::kTimedOut:
      SetEntry(probes, name, ProbeStatus::kTimeout,
               TimeoutDetail(timeout_ms, "the process was killed"));
      return;
    case ProcessEnd::kOutputTooLarge:
      SetEntry(probes, name, ProbeStatus::kError,
               "the probe process wrote more than " + std::to_string(kMaxReply >> 20) +
                   " MiB and was killed");
      return;
    case ProcessEnd::kNotReaped:
      SetEntry(probes, name, ProbeStatus::kError, "the probe process could not be reaped");
      return;
    case ProcessEnd::kSignaled:
      SetEntry(probes, name, ProbeStatus::kError, SignalDetail(outcome));
      return;
    case ProcessEnd::kExited:
      if (outcome.exit_code != 0) {
        SetEntry(probes, name, ProbeStatus::kError,
                 "the probe process exited with status " + std::to_string(outcome.exit_code) +
                     StderrSuffix(outcome));
      } else if (Status read = ReadProbeReply(outcome.output, name, probes); !read.ok()) {
        SetEntry(probes, name, ProbeStatus::kError, read.message());
      }
      return;
  }
}

}  // namespace

ProbeHeader* EmplaceProbeEntry(ProbeObservations* probes, std::string_view name) {
  const ProbeDescriptor* probe = FindProbeDescriptor(name);
  return probe == nullptr ? nullptr : probe->entry.emplace(probes);
}

void MoveProbeEntry(ProbeObservations* from, ProbeObservations* to, std::string_view name) {
  if (const ProbeDescriptor* probe = FindProbeDescriptor(name)) probe->entry.move(from, to);
}

Result<std::string> LocateProbeHelper(const Env& env, const DiscoverOptions& options) {
  auto explicit_path = [&](const std::string& path, const char* origin) -> Result<std::string> {
    FileType type = env.TypeOf(path);
    if (type == FileType::kRegular) return path;
    return Status::NotFound("probe helper " + path + " (from " + origin + ") " +
                            (type == FileType::kMissing     ? "does not exist"
                             : type == FileType::kDirectory ? "is a directory"
                                                            : "is not a file") +
                            "; point it at the devpick-probe executable");
  };
  if (!options.probe_helper.empty()) {
    return explicit_path(options.probe_helper, "DiscoverOptions.probe_helper");
  }
  if (auto variable = env.GetEnv("DEVPICK_PROBE_HELPER"); variable && !variable->empty()) {
    return explicit_path(*variable, "DEVPICK_PROBE_HELPER");
  }
  std::vector<std::string> looked;
  if (Result<std::string> self = env.ReadLink("/proc/self/exe"); self.ok()) {
    looked.push_back(DirName(*self));
  }
#ifdef DEVPICK_LIBEXECDIR
  looked.push_back(DEVPICK_LIBEXECDIR);
#endif
  std::string places;
  for (const std::string& directory : looked) {
    std::string candidate = directory + "/" + std::string(kProbeHelperName);
    if (env.TypeOf(candidate) == FileType::kRegular) return candidate;
    places += (places.empty() ? "" : ", ") + directory;
  }
  return Status::NotFound(
      "the probe helper devpick-probe was not found (looked in " +
      (places.empty() ? std::string("no directory") : places) +
      "); set DEVPICK_PROBE_HELPER to its path, or run the probes in this process with "
      "--in-process");
}

Status ReadProbeReply(std::string_view reply, std::string_view name, ProbeObservations* probes) {
  std::string source = "the devpick-probe process for " + std::string(name);
  ParsedJson document = ParseBoundedJson(reply);
  const nlohmann::json& entry = document.value;
  if (document.error) {
    std::string shown(reply.substr(0, 80));
    for (char& c : shown) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();
    return Status::InvalidArgument(
        source + " answered with something that is not JSON" +
        (reply.empty() ? std::string(": no output") : ": \"" + shown + "\""));
  }
  ProbeObservations parsed;
  if (Status status = ProbeEntryFromJson(entry, name, source, &parsed); !status.ok()) return status;
  MoveProbeEntry(&parsed, probes, name);
  return Status::Ok();
}

void RunIsolated(const Env& env, const std::string& helper, std::span<const ProbeSpec* const> specs,
                 int timeout_ms, ProbeObservations* probes) {
  std::vector<ProcessRequest> requests;
  for (const ProbeSpec* spec : specs) {
    requests.push_back(HelperRequest(helper, {std::string(spec->name)}, timeout_ms));
  }
  std::vector<ProcessOutcome> outcomes = RunAll(env, requests);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Report(outcomes[i], specs[i]->name, timeout_ms, probes);
  }
}

Result<std::string> RunHelper(const Env& env, const std::string& helper,
                              std::vector<std::string> args, int timeout_ms) {
  std::string what = std::string(kProbeHelperName);
  for (const std::string& arg : args) what += " " + arg;
  const ProcessRequest request = HelperRequest(helper, std::move(args), timeout_ms);
  std::vector<ProcessOutcome> outcomes = RunAll(env, {&request, 1});
  ProcessOutcome& outcome = outcomes.front();
  switch (outcome.end) {
    case ProcessEnd::kNotStarted:
      return Status::Unavailable(outcome.start_error);
    case ProcessEnd::kTimedOut:
      return Status::Timeout(what + ": " + TimeoutDetail(timeout_ms, "the process was killed"));
    case ProcessEnd::kOutputTooLarge:
      return Status::Unavailable(what + ": wrote more than " + std::to_string(kMaxReply >> 20) +
                                 " MiB and was killed");
    case ProcessEnd::kNotReaped:
      return Status::Unavailable(what + ": the process could not be reaped");
    case ProcessEnd::kSignaled:
      return Status::Unavailable(what + ": " + SignalDetail(outcome));
    case ProcessEnd::kExited:
      if (outcome.exit_code != 0) {
        return Status::Unavailable(what + ": exited with status " +
                                   std::to_string(outcome.exit_code) + StderrSuffix(outcome));
      }
      break;
  }
  return std::move(outcome.output);
}

void RunInProcess(const Env& env, std::span<const ProbeSpec* const> specs, int timeout_ms,
                  ProbeObservations* probes) {
  // Shared with the threads, which may outlive this call when a probe hangs.
  struct State {
    std::mutex mutex;
    std::condition_variable done;
    std::vector<Observations> results;
    std::vector<bool> finished;
  };
  auto state = std::make_shared<State>();
  state->results.resize(specs.size());
  state->finished.assign(specs.size(), false);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    std::thread([state, i, &env, run = specs[i]->run] {
      Observations result;
      run(env, &result);
      std::lock_guard<std::mutex> lock(state->mutex);
      state->results[i] = std::move(result);
      state->finished[i] = true;
      state->done.notify_all();
    }).detach();
  }
  std::unique_lock<std::mutex> lock(state->mutex);
  state->done.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return std::all_of(state->finished.begin(), state->finished.end(), [](bool f) { return f; });
  });
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (state->finished[i]) {
      MoveProbeEntry(&state->results[i].probes, probes, specs[i]->name);
    } else {
      SetEntry(probes, specs[i]->name, ProbeStatus::kTimeout,
               TimeoutDetail(timeout_ms,
                             "the probe thread was abandoned, still running (in-process probes "
                             "cannot be stopped; isolated probes are killed)"));
    }
  }
}

void RunRuntimeProbes(const Env& env, const DiscoverOptions& options,
                      std::span<const ProbeSpec* const> specs, ProbeObservations* probes) {
  if (specs.empty()) return;
  if (!env.IsThisMachine()) {
    for (const ProbeSpec* spec : specs) {
      SetEntry(probes, spec->name, ProbeStatus::kSkipped,
               "describes a captured tree; runtime probes would describe this machine");
    }
    return;
  }
  if (!options.isolate) {
    RunInProcess(env, specs, options.timeout_ms, probes);
    return;
  }
  Result<std::string> helper = LocateProbeHelper(env, options);
  if (!helper.ok()) {
    for (const ProbeSpec* spec : specs) {
      SetEntry(probes, spec->name, ProbeStatus::kError, helper.status().message());
    }
    return;
  }
  RunIsolated(env, *helper, specs, options.timeout_ms, probes);
}

}  // namespace devpick
