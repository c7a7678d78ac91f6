// int.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../interp.hpp"

namespace aiospec::interp {

std::string int_to_str(std::int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

}  // namespace aiospec::interp
