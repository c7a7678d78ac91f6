#include "asyncio/coroutines.hpp"

#include <cstdio>

namespace asyncio {

namespace {
void print_warning(const char* category, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", category, message.c_str());
}
WarningSink g_warning_sink = print_warning;
}  // namespace

void set_warning_sink(WarningSink sink) noexcept { g_warning_sink = sink ? sink : print_warning; }
void warn(const char* category, const std::string& message) { g_warning_sink(category, message); }

}  // namespace asyncio
