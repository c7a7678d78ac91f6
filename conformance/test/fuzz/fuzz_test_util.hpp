#pragma once
#include <cstdlib>
#include <string>
#include <vector>

#include "aiospec/adapter_client.hpp"
#include "aiospec/fuzz/model.hpp"

namespace fz_test {

inline std::string adapter_path() { return std::string(AIOSPEC_SOURCE_DIR) + "/conformance/adapters/python/aiospec_adapter.py"; }

inline int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// An adapter observation as timed lines.
inline std::vector<aiospec::fuzz::TimedLine> timed_lines(const aiospec::Observation& obs) {
  std::vector<aiospec::fuzz::TimedLine> out;
  std::size_t start = 0, i = 0;
  while (start < obs.output.size()) {
    auto nl = obs.output.find('\n', start);
    if (nl == std::string::npos) nl = obs.output.size();
    out.push_back({obs.output.substr(start, nl - start), i < obs.line_times.size() ? obs.line_times[i] : std::nullopt});
    start = nl + 1;
    ++i;
  }
  return out;
}

}  // namespace fz_test
