#pragma once
// Runs the spec's cases on one implementation and judges them (DESIGN.md: "The flow of one case").
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aiospec/adapter_client.hpp"
#include "aiospec/judge.hpp"
#include "aiospec/spec.hpp"

namespace aiospec {

enum class Status { PASS, FAIL, XFAIL, XPASS, SKIP, TIMEOUT, CRASH, ERROR };
const char* to_string(Status s) noexcept;
std::optional<Status> parse_status(std::string_view s) noexcept;

/// An asyncio implementation the cases run on. One instance serves one worker thread.
class Implementation {
 public:
  virtual ~Implementation() = default;
  virtual std::string name() const = 0;
  virtual std::string version() const = 0;
  /// The Python version its programs run under ("3.11.7"); decides which cases apply.
  virtual std::string python() const = 0;
  /// "virtual" or "real".
  virtual std::string time_mode() const = 0;
  virtual Observation run(const Case& c, double timeout) = 0;
  /// Runs in the runner's own process, on its main thread: one worker only.
  virtual bool in_process() const { return false; }
};

/// An implementation behind an adapter process (conformance/PROTOCOL.md).
class AdapterImplementation final : public Implementation {
 public:
  AdapterImplementation(std::vector<std::string> argv, bool prefer_virtual);
  std::string name() const override { return proc_.hello().name; }
  std::string version() const override { return proc_.hello().version; }
  std::string python() const override { return proc_.hello().python; }
  std::string time_mode() const override { return time_mode_; }
  Observation run(const Case& c, double timeout) override { return proc_.run(c.id, c.program, time_mode_, timeout); }

 private:
  AdapterProcess proc_;
  std::string time_mode_;
};

/// Makes one instance of the implementation named on the command line: reference, cpython,
/// cpython-pytasks, uvloop, or cmd:PROGRAM. Throws std::runtime_error when it cannot start.
using ImplementationFactory = std::function<std::unique_ptr<Implementation>()>;
ImplementationFactory implementation_factory(const std::string& impl, const std::string& python, bool real_time);
/// The reference loop's implementation: the scenario interpreter, in process, in virtual time.
std::unique_ptr<Implementation> make_reference_implementation();

/// A known divergence of one case (conformance/README.md, "Expectations").
struct Expectation {
  /// What the case may end as. PASS together with a failing status marks an intermittent divergence
  /// (one that shows only when, say, a millisecond boundary falls in between two clock reads).
  std::vector<Status> statuses;
  std::string reason, link;
  std::string python;  // the Python versions it holds on ("<3.11.3"); empty: every version
  std::string source;  // the file it was read from
  bool allows(Status s) const noexcept;
  bool applies_to(std::string_view python_version) const;
};
/// A comma-separated list of terms such as `<3.11.3` or `==3.11`, compared on as many components as
/// each term gives (so `==3.11` holds for 3.11.2). Throws std::invalid_argument when malformed.
bool python_version_matches(std::string_view condition, std::string_view version);

/// conformance/expectations/<impl>.json: {"implementation": ..., "cases": {"id": {"status", "reason",
/// "link", "python"}}}; "status" is a status or a list of them. Errors are thrown as std::runtime_error
/// naming the file.
std::map<std::string, Expectation> load_expectations(const std::string& path);
/// The files an implementation's run uses by default, those that exist, in order (a later file's entry
/// replaces an earlier one's): conformance/expectations/python.json (how CPython releases differ from
/// the recorded outputs, for every implementation) and conformance/expectations/<impl>.json.
std::vector<std::string> default_expectation_files(const std::string& impl);
/// Loads `files` in order; a later file's entry for a case replaces an earlier one's.
std::map<std::string, Expectation> load_expectation_files(const std::vector<std::string>& files);
/// The file `--update-expectations` writes for `impl`.
std::string implementation_expectation_file(const std::string& impl);

struct CaseResult {
  const Case* c = nullptr;  // null for a malformed part of the spec (see id/file/line)
  std::string id;
  std::string file;
  int line = 0;
  Status status = Status::ERROR;
  Status outcome = Status::ERROR;  // the status before expectations were applied
  bool unexpected = false;
  std::string reason;    // why SKIP/TIMEOUT/CRASH/ERROR, the expectation's reason for XFAIL, what a
                         // real-time PASS needed the tolerance for
  std::string observed;
  std::string diff;
  double seconds = 0;
};

struct SuiteOptions {
  std::string filter = "*";
  std::optional<Level> max_level;  // must: only must; cpython: must and cpython; unset: all
  int jobs = 1;
  double timeout = 30;
  /// Real-time runs only: see judge(). 0 judges real time exactly.
  double tolerance = 0;
  /// Runs a case in virtual time on CPython to learn when each expected line is printed, for the
  /// tolerance; unset: no line may move.
  ImplementationFactory timing_oracle;
  /// Every loaded expectation; those whose Python condition excludes the run's Python are ignored.
  std::map<std::string, Expectation> expectations;
  std::function<void(const CaseResult&, std::size_t done, std::size_t total)> progress;
};

struct RunSummary {
  std::string implementation, version, python, time_mode;
  double tolerance = 0;
  std::vector<CaseResult> results;  // in spec order
  std::size_t count(Status s) const;
  std::size_t unexpected() const;
  /// "must: 120/120 conformant; cpython: 80/85 compatible; unspecified: 5/5"
  std::string levels_line() const;
};

/// Runs every case of `spec` selected by `opts` on `jobs` instances from `factory`; spec format errors
/// become ERROR results at their file:line. Throws std::runtime_error if no instance can start.
RunSummary run_cases(const Spec& spec, const ImplementationFactory& factory, const SuiteOptions& opts);

}  // namespace aiospec
