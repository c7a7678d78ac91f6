// aiospec run: the conformance run of the spec on one implementation.
#include <iostream>
#include <thread>

#include <fmt/format.h>

#include "aiospec/report.hpp"
#include "aiospec/runner.hpp"
#include "aiospec/spec.hpp"
#include "commands.hpp"

namespace aiospec::cli {

namespace {

struct RunArgs {
  std::string impl = "reference";
  std::string python;
  std::string filter = "*";
  std::string level;
  int jobs = 0;
  double timeout = 30;
  std::string expectations;
  bool update_expectations = false;
  bool real_time = false;
  double tolerance_ms = 50;
  std::string junit, json, markdown;
};

int run(const RunArgs& a) {
  SuiteOptions opts;
  opts.filter = a.filter;
  opts.timeout = a.timeout;
  opts.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!a.level.empty()) opts.max_level = parse_level(a.level);
  opts.tolerance = a.tolerance_ms / 1000;
  std::vector<std::string> files = default_expectation_files(a.impl);
  const std::string own_file = a.expectations.empty() ? implementation_expectation_file(a.impl) : a.expectations;
  if (!a.expectations.empty()) {
    if (!files.empty() && files.back() == implementation_expectation_file(a.impl)) files.pop_back();
    files.push_back(a.expectations);
  }
  try {
    opts.expectations = load_expectation_files(files);
  } catch (const std::exception& e) {
    std::cerr << "aiospec: " << e.what() << "\n";
    return usage;
  }

  const Spec spec = read_spec(AIOSPEC_SOURCE_DIR);
  opts.progress = progress_reporter();

  RunSummary s;
  try {
    auto factory = implementation_factory(a.impl, a.python, a.real_time);
    if (opts.tolerance > 0) opts.timing_oracle = implementation_factory("cpython", "", false);
    s = run_cases(spec, factory, opts);
  } catch (const std::invalid_argument& e) {
    std::cerr << "aiospec: " << e.what() << "\n";
    return usage;
  } catch (const ConfigurationError& e) {
    std::cerr << "aiospec: cannot run on " << a.impl << ": " << e.what() << "\n";
    return usage;
  } catch (const std::exception& e) {
    std::cerr << "aiospec: cannot run on " << a.impl << ": " << e.what() << "\n";
    return infrastructure;
  }

  const RunContext ctx = context();
  if (!a.json.empty() && !write_file(a.json, [&](std::ostream& o) { write_jsonl(o, s, ctx); })) return infrastructure;
  if (!a.junit.empty() && !write_file(a.junit, [&](std::ostream& o) { write_junit(o, s); })) return infrastructure;
  if (!a.markdown.empty() && !write_file(a.markdown, [&](std::ostream& o) { write_markdown(o, s, ctx); }))
    return infrastructure;
  if (a.update_expectations) {
    if (!write_file(own_file, [&](std::ostream& o) { write_expectations(o, s, opts.expectations, own_file); }))
      return infrastructure;
    std::cout << "expectations written to " << own_file << "\n";
  }

  for (auto& r : s.results) {
    if (!r.unexpected) continue;
    std::cout << fmt::format("{} {} ({}:{})", to_string(r.status), r.id, r.file, r.line);
    if (!r.reason.empty()) std::cout << ": " << r.reason;
    std::cout << "\n";
    if (!r.diff.empty()) std::cout << r.diff;
  }
  std::cout << fmt::format("{} {} (Python {}, {} time{}): {}\n", s.implementation, s.version, s.python, s.time_mode,
                           s.time_mode == "real" ? fmt::format(", {:.0f} ms tolerance", s.tolerance * 1000) : "",
                           s.levels_line());
  std::string counts;
  for (auto st : {Status::PASS, Status::FAIL, Status::XFAIL, Status::XPASS, Status::SKIP, Status::TIMEOUT,
                  Status::CRASH, Status::ERROR})
    if (auto n = s.count(st)) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, to_string(st));
  std::cout << counts << "; " << s.unexpected() << " unexpected\n";
  return s.unexpected() ? unexpected : ok;
}

}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Run the spec's cases on an implementation and judge them");
  cmd->add_option("--impl", args->impl, "reference | cpython | cpython-pytasks | uvloop | cmd:PROGRAM")
      ->capture_default_str();
  cmd->add_option("--python", args->python, "the Python interpreter for cpython/uvloop adapters");
  cmd->add_option("--filter", args->filter, "only cases whose id matches this glob")->capture_default_str();
  cmd->add_option("--level", args->level, "must: must clauses only; cpython: must and cpython")
      ->check(CLI::IsMember({"must", "cpython"}));
  cmd->add_option("--jobs,-j", args->jobs, "parallel workers (default: CPU count)");
  cmd->add_option("--timeout", args->timeout, "seconds per case")->capture_default_str();
  cmd->add_option("--expectations", args->expectations,
                  "known divergences, instead of conformance/expectations/IMPL.json (python.json still applies)");
  cmd->add_flag("--update-expectations", args->update_expectations, "rewrite the expectations file from this run");
  cmd->add_flag("--real-time", args->real_time, "run in real time even where the adapter can virtualise the clock");
  cmd->add_option("--tolerance", args->tolerance_ms, "real time: milliseconds within which timing may differ (0: exact)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--junit", args->junit, "write JUnit XML here");
  cmd->add_option("--json", args->json, "write the JSON-lines record here");
  cmd->add_option("--markdown", args->markdown, "write a Markdown summary here");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace aiospec::cli
