#include "aiospec/runner.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace aiospec {

namespace {
int level_rank(Level l) { return l == Level::must ? 0 : l == Level::cpython ? 1 : 2; }
}  // namespace

const char* to_string(Status s) noexcept {
  switch (s) {
    case Status::PASS: return "PASS";
    case Status::FAIL: return "FAIL";
    case Status::XFAIL: return "XFAIL";
    case Status::XPASS: return "XPASS";
    case Status::SKIP: return "SKIP";
    case Status::TIMEOUT: return "TIMEOUT";
    case Status::CRASH: return "CRASH";
    case Status::ERROR: return "ERROR";
  }
  return "?";
}

std::optional<Status> parse_status(std::string_view s) noexcept {
  for (auto st : {Status::PASS, Status::FAIL, Status::XFAIL, Status::XPASS, Status::SKIP, Status::TIMEOUT,
                  Status::CRASH, Status::ERROR})
    if (s == to_string(st)) return st;
  return std::nullopt;
}

AdapterImplementation::AdapterImplementation(std::vector<std::string> argv, bool prefer_virtual)
    : proc_(std::move(argv)) {
  const auto& modes = proc_.hello().time_modes;
  const bool can_virtual = std::find(modes.begin(), modes.end(), "virtual") != modes.end();
  time_mode_ = prefer_virtual && can_virtual ? "virtual" : "real";
}

ImplementationFactory implementation_factory(const std::string& impl, const std::string& python, bool real_time) {
  if (impl == "reference") return make_reference_implementation;
  const std::string adapter = std::string(AIOSPEC_SOURCE_DIR) + "/conformance/adapters/python/aiospec_adapter.py";
  std::vector<std::string> argv;
  if (impl == "cpython" || impl == "cpython-pytasks") {
    argv = {python.empty() ? "python3" : python, adapter, "--loop", impl};
  } else if (impl == "uvloop") {
    // Debian's python3 carries python3-uvloop; a pyenv interpreter usually does not.
    argv = {python.empty() ? "/usr/bin/python3" : python, adapter, "--loop", "uvloop"};
  } else if (impl.rfind("cmd:", 0) == 0) {
    argv = {"/bin/sh", "-c", "exec " + impl.substr(4)};
  } else {
    throw std::invalid_argument("unknown implementation '" + impl +
                                "' (reference, cpython, cpython-pytasks, uvloop, cmd:PROGRAM)");
  }
  return [argv, real_time]() -> std::unique_ptr<Implementation> {
    return std::make_unique<AdapterImplementation>(argv, !real_time);
  };
}

namespace {

std::vector<int> version_numbers(std::string_view v) {
  std::vector<int> out;
  std::size_t start = 0;
  for (;;) {
    const auto dot = v.find('.', start);
    const auto part = v.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (part.empty() || part.find_first_not_of("0123456789") != std::string_view::npos) break;
    out.push_back(std::stoi(std::string(part)));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string expectations_dir() { return std::string(AIOSPEC_SOURCE_DIR) + "/conformance/expectations/"; }

}  // namespace

bool python_version_matches(std::string_view condition, std::string_view version) {
  const auto have = version_numbers(version);
  std::size_t start = 0;
  for (;;) {
    const auto comma = condition.find(',', start);
    std::string term(condition.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    term.erase(std::remove(term.begin(), term.end(), ' '), term.end());
    const auto digits = term.find_first_of("0123456789");
    const std::string op = term.substr(0, digits == std::string::npos ? term.size() : digits);
    const auto want = digits == std::string::npos ? std::vector<int>{} : version_numbers(term.substr(digits));
    if (want.empty() || !(op == "<" || op == "<=" || op == ">" || op == ">=" || op == "==" || op == "!="))
      throw std::invalid_argument("malformed Python condition '" + std::string(condition) + "'");
    std::vector<int> v(have.begin(), have.begin() + static_cast<long>(std::min(have.size(), want.size())));
    v.resize(want.size(), 0);
    const bool ok = op == "<" ? v < want : op == "<=" ? v <= want : op == ">" ? v > want : op == ">=" ? v >= want
                  : op == "==" ? v == want : v != want;
    if (!ok) return false;
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

bool Expectation::allows(Status s) const noexcept {
  return std::find(statuses.begin(), statuses.end(), s) != statuses.end();
}

bool Expectation::applies_to(std::string_view python_version) const {
  return python.empty() || python_version_matches(python, python_version);
}

std::map<std::string, Expectation> load_expectations(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read the expectations file");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("cases") || !j["cases"].is_object())
    throw std::runtime_error(path + ": not an expectations file (an object with a \"cases\" object)");
  std::map<std::string, Expectation> out;
  for (auto& item : j["cases"].items()) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    const std::string& id = item.key();
    const auto& e = item.value();
    auto fail = [&](const std::string& why) { throw std::runtime_error(path + ": case " + id + ": " + why); };
    if (!e.is_object()) fail("not an object");
    Expectation x;
    const auto st = e.value("status", nlohmann::json("FAIL"));
    for (auto& one : st.is_array() ? st : nlohmann::json::array({st})) {
      const auto parsed = one.is_string() ? parse_status(one.get<std::string>()) : std::nullopt;
      if (!parsed || *parsed == Status::XFAIL || *parsed == Status::XPASS || *parsed == Status::SKIP)
        fail("a status is one of FAIL, TIMEOUT, CRASH, ERROR (and PASS for an intermittent divergence)");
      x.statuses.push_back(*parsed);
    }
    if (x.statuses.empty() || (x.statuses.size() == 1 && x.statuses[0] == Status::PASS))
      fail("a known divergence expects a failing status");
    x.reason = e.value("reason", "");
    x.link = e.value("link", "");
    x.python = e.value("python", "");
    x.source = path;
    if (x.reason.empty()) fail("a known divergence needs a reason");
    try {
      if (!x.python.empty()) python_version_matches(x.python, "3.11");
    } catch (const std::invalid_argument& err) {
      fail(err.what());
    }
    out.emplace(id, std::move(x));
  }
  return out;
}

std::map<std::string, Expectation> load_expectation_files(const std::vector<std::string>& files) {
  std::map<std::string, Expectation> out;
  for (auto& f : files)
    for (auto& [id, e] : load_expectations(f)) out.insert_or_assign(id, e);
  return out;
}

std::string implementation_expectation_file(const std::string& impl) {
  return expectations_dir() + (impl.rfind("cmd:", 0) == 0 ? std::string("cmd") : impl) + ".json";
}

std::vector<std::string> default_expectation_files(const std::string& impl) {
  std::vector<std::string> out;
  for (auto& f : {expectations_dir() + "python.json", implementation_expectation_file(impl)})
    if (std::ifstream(f)) out.push_back(f);
  return out;
}

std::size_t RunSummary::count(Status s) const {
  std::size_t n = 0;
  for (auto& r : results) n += r.status == s;
  return n;
}

std::size_t RunSummary::unexpected() const {
  std::size_t n = 0;
  for (auto& r : results) n += r.unexpected;
  return n;
}

std::string RunSummary::levels_line() const {
  std::string out;
  const char* words[] = {"conformant", "compatible", "as allowed"};
  for (Level l : {Level::must, Level::cpython, Level::unspecified}) {
    std::size_t ok = 0, all = 0;
    for (auto& r : results) {
      if (!r.c || r.c->level != l || r.status == Status::SKIP) continue;
      ++all;
      ok += r.status == Status::PASS;
    }
    if (!out.empty()) out += "; ";
    out += std::string(to_string(l)) + ": " + std::to_string(ok) + "/" + std::to_string(all) + " " + words[level_rank(l)];
  }
  return out;
}

namespace {

void classify(CaseResult& r, const Observation& obs, const Judgement& j,
              const std::map<std::string, Expectation>& expectations) {
  r.seconds = obs.seconds;
  switch (obs.kind) {
    case Observation::Kind::result:
      r.observed = obs.output;
      r.status = j.pass ? Status::PASS : Status::FAIL;
      r.diff = j.diff;
      if (j.pass && !j.tolerated.empty()) r.reason = "passed within the tolerance: " + j.tolerated;
      break;
    case Observation::Kind::timeout: r.status = Status::TIMEOUT; break;
    case Observation::Kind::crash: r.status = Status::CRASH; break;
    case Observation::Kind::error: r.status = Status::ERROR; break;
  }
  r.outcome = r.status;
  if (r.status != Status::PASS && r.reason.empty()) r.reason = obs.message;
  auto e = expectations.find(r.c->id);
  if (e == expectations.end()) {
    r.unexpected = r.status != Status::PASS;
    return;
  }
  const Expectation& x = e->second;
  const std::string known = x.reason + (x.link.empty() ? "" : " (" + x.link + ")");
  if (r.status == Status::PASS && x.allows(Status::PASS)) {
    r.reason = "an intermittent known divergence did not show this time: " + known;
  } else if (r.status == Status::PASS) {
    r.status = Status::XPASS;  // a known divergence that went away: update the expectations
    r.reason = "expected " + std::string(to_string(x.statuses[0])) + ": " + x.reason;
    r.unexpected = true;
  } else if (x.allows(r.status)) {
    r.status = Status::XFAIL;
    r.reason = known;
  } else {
    r.unexpected = true;
    r.reason = "expected " + std::string(to_string(x.statuses[0])) + ", got " + to_string(r.status) + ": " + r.reason;
  }
}

/// Judges an observation; a real-time output that differs is judged again with the tolerance, asking the
/// timing oracle (created on first need, one per worker) when each expected line is printed.
Judgement judge_observation(const Case& c, const Observation& obs, const SuiteOptions& opts, bool real_time,
                            std::unique_ptr<Implementation>& oracle, bool& oracle_failed) {
  if (obs.kind != Observation::Kind::result) return {};
  Judgement j = judge(c, obs.output);
  if (j.pass || !real_time || opts.tolerance <= 0) return j;
  Tolerance tol{opts.tolerance, {}};
  if (opts.timing_oracle && !oracle_failed && !oracle) {
    try {
      oracle = opts.timing_oracle();
    } catch (const std::exception&) {
      oracle_failed = true;  // numbers are still judged with the tolerance; no line may move
    }
  }
  if (oracle) {
    const Observation o = oracle->run(c, opts.timeout);
    if (o.kind == Observation::Kind::result && o.output == c.expected) tol.expected_times = o.line_times;
  }
  return judge(c, obs.output, tol);
}

}  // namespace

RunSummary run_cases(const Spec& spec, const ImplementationFactory& factory, const SuiteOptions& opts) {
  const int jobs = std::max(1, opts.jobs);
  std::vector<std::unique_ptr<Implementation>> impls;
  impls.push_back(factory());  // errors starting the first instance propagate (exit 2/3)
  RunSummary summary;
  summary.implementation = impls[0]->name();
  summary.version = impls[0]->version();
  summary.python = impls[0]->python();
  summary.time_mode = impls[0]->time_mode();
  const bool real_time = summary.time_mode == "real";
  if (real_time) summary.tolerance = opts.tolerance;
  std::map<std::string, Expectation> expectations;
  for (auto& [id, e] : opts.expectations)
    if (e.applies_to(summary.python)) expectations.emplace(id, e);

  std::vector<std::size_t> todo;
  for (auto& c : spec.cases) {
    if (fnmatch(opts.filter.c_str(), c.id.c_str(), 0) != 0) continue;
    if (opts.max_level && level_rank(c.level) > level_rank(*opts.max_level)) continue;
    CaseResult r;
    r.c = &c;
    r.id = c.id;
    r.file = c.file;
    r.line = c.line;
    if (!c.python.contains(summary.python)) {
      r.status = r.outcome = Status::SKIP;
      r.reason = "needs Python " + c.python.str() + "; " + summary.implementation + " runs Python " + summary.python;
    }
    summary.results.push_back(std::move(r));
  }
  for (auto& e : spec.errors) {
    CaseResult r;
    r.id = "spec-error:" + e.file + ":" + std::to_string(e.line);
    r.file = e.file;
    r.line = e.line;
    r.status = r.outcome = Status::ERROR;
    r.unexpected = true;
    r.reason = e.message;
    summary.results.push_back(std::move(r));
  }
  for (std::size_t i = 0; i < summary.results.size(); ++i)
    if (summary.results[i].c && summary.results[i].status != Status::SKIP) todo.push_back(i);

  for (int k = 1; k < jobs && !impls[0]->in_process() && static_cast<std::size_t>(k) < todo.size(); ++k) {
    try {
      impls.push_back(factory());
    } catch (const std::exception&) {
      break;  // fewer workers, same results
    }
  }
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;
  auto worker = [&](Implementation& impl) {
    std::unique_ptr<Implementation> oracle;
    bool oracle_failed = false;
    for (std::size_t k; (k = next++) < todo.size();) {
      CaseResult& r = summary.results[todo[k]];
      const Observation obs = impl.run(*r.c, opts.timeout);
      classify(r, obs, judge_observation(*r.c, obs, opts, real_time, oracle, oracle_failed), expectations);
      if (opts.progress) {
        std::lock_guard lock(progress_mutex);
        opts.progress(r, ++done, todo.size());
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t k = 1; k < impls.size(); ++k) threads.emplace_back(worker, std::ref(*impls[k]));
  worker(*impls[0]);
  for (auto& t : threads) t.join();
  return summary;
}

}  // namespace aiospec
