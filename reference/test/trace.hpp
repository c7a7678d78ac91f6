#pragma once
// A trace recorder for ordering tests: events are appended as strings and compared as a whole.
#include <string>
#include <vector>

#include <asyncio/asyncio.hpp>

namespace asyncio::test {

struct Trace {
  std::vector<std::string> events;
  void operator()(std::string e) { events.push_back(std::move(e)); }
};

using Events = std::vector<std::string>;

}  // namespace asyncio::test
