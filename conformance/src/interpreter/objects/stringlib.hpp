// The algorithms str, bytes and bytearray share (CPython's Objects/stringlib): they work on the bytes
// of a std::string, which for a str are its UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aiospec::interp::stringlib {

inline bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// split()/rsplit() without a separator: runs of whitespace separate, at most `maxsplit` times (-1: no limit).
std::vector<std::string> split_ws(std::string_view s, std::int64_t maxsplit, bool from_right);
// split()/rsplit() on a non-empty separator.
std::vector<std::string> split_sep(std::string_view s, std::string_view sep, std::int64_t maxsplit, bool from_right);
// strip(): `chars` removed from either end.
std::string strip(std::string_view s, std::string_view chars, bool left, bool right);
// replace(); an empty `from` inserts `to` before every byte (`utf8`: every code point) and at the end.
std::string replace(std::string_view s, std::string_view from, std::string_view to, std::int64_t count, bool utf8);
// count() of non-overlapping occurrences of a non-empty `sub`.
std::int64_t count(std::string_view s, std::string_view sub);
// center(): how much of the padding goes left (CPython's pad() in Objects/stringlib/transmogrify.h).
inline std::int64_t center_left(std::int64_t len, std::int64_t width) {
  std::int64_t marg = width - len;
  return marg / 2 + (marg & width & 1);
}

}  // namespace aiospec::interp::stringlib
