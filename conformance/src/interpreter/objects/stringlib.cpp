// Splitting, stripping, replacing and counting for str, bytes and bytearray.
#include "stringlib.hpp"

#include <algorithm>

namespace aiospec::interp::stringlib {

std::vector<std::string> split_ws(std::string_view s, std::int64_t maxsplit, bool from_right) {
  std::vector<std::string> out;
  if (from_right) {
    std::size_t e = s.size();
    while (e > 0) {
      while (e > 0 && ascii_space(s[e - 1])) --e;
      if (e == 0) break;
      if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) {
        out.emplace_back(s.substr(0, e));  // the rest keeps its leading whitespace
        break;
      }
      std::size_t b = e;
      while (b > 0 && !ascii_space(s[b - 1])) --b;
      out.emplace_back(s.substr(b, e - b));
      e = b;
    }
    std::reverse(out.begin(), out.end());
    return out;
  }
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && ascii_space(s[i])) ++i;
    if (i >= s.size()) break;
    if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) {
      out.emplace_back(s.substr(i));  // the rest keeps its trailing whitespace
      break;
    }
    std::size_t j = i;
    while (j < s.size() && !ascii_space(s[j])) ++j;
    out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string> split_sep(std::string_view s, std::string_view sep, std::int64_t maxsplit, bool from_right) {
  std::vector<std::string> out;
  auto full = [&] { return maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit; };
  if (from_right) {
    std::size_t e = s.size();
    while (true) {
      std::size_t j = e >= sep.size() ? s.rfind(sep, e - sep.size()) : std::string_view::npos;
      if (j == std::string_view::npos || full()) {
        out.emplace_back(s.substr(0, e));
        break;
      }
      out.emplace_back(s.substr(j + sep.size(), e - j - sep.size()));
      e = j;
    }
    std::reverse(out.begin(), out.end());
    return out;
  }
  std::size_t i = 0;
  while (true) {
    std::size_t j = s.find(sep, i);
    if (j == std::string_view::npos || full()) {
      out.emplace_back(s.substr(i));
      break;
    }
    out.emplace_back(s.substr(i, j - i));
    i = j + sep.size();
  }
  return out;
}

std::string strip(std::string_view s, std::string_view chars, bool left, bool right) {
  std::size_t b = 0, e = s.size();
  if (left)
    while (b < e && chars.find(s[b]) != std::string_view::npos) ++b;
  if (right)
    while (e > b && chars.find(s[e - 1]) != std::string_view::npos) --e;
  return std::string(s.substr(b, e - b));
}

std::string replace(std::string_view s, std::string_view from, std::string_view to, std::int64_t count, bool utf8) {
  std::string out;
  if (from.empty()) {
    for (std::size_t k = 0; k < s.size(); ++k) {
      bool boundary = !utf8 || (static_cast<unsigned char>(s[k]) & 0xC0) != 0x80;
      if (boundary && count != 0) {
        out += to;
        if (count > 0) --count;
      }
      out += s[k];
    }
    if (count != 0) out += to;
    return out;
  }
  std::size_t i = 0;
  while (count != 0) {
    std::size_t j = s.find(from, i);
    if (j == std::string_view::npos) break;
    out += s.substr(i, j - i);
    out += to;
    i = j + from.size();
    if (count > 0) --count;
  }
  out += s.substr(i);
  return out;
}

std::int64_t count(std::string_view s, std::string_view sub) {
  std::int64_t c = 0;
  for (std::size_t i = s.find(sub); i != std::string_view::npos; i = s.find(sub, i + sub.size())) ++c;
  return c;
}

}  // namespace aiospec::interp::stringlib
