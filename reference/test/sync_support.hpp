#pragma once
// Helpers shared by the tests of locks, queues, as_completed, taskgroups and timeouts. Each test keeps
// the CPython 3.11 program its expected trace was taken from in a comment above it.
#include <regex>
#include <string>

#include "trace.hpp"

namespace asyncio::test {

/// Object addresses differ from run to run: `0x7f3a...` becomes `0x...`, as the Python programs print.
inline std::string norm(const std::string& s) {
  static const std::regex addr("0x[0-9a-f]+");
  return std::regex_replace(s, addr, "0x...");
}

inline std::string py_bool(bool b) { return b ? "True" : "False"; }

}  // namespace asyncio::test
