// TextWrapper's algorithm (Lib/textwrap.py), shared by the `textwrap` module and argparse's
// HelpFormatter, on code points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aiospec::interp {

class Interp;

namespace textwrap {

std::u32string utf32(std::string_view s);
std::string utf8(std::u32string_view s);

// TextWrapper's attributes, with its defaults.
struct Options {
  std::int64_t width = 70;
  std::u32string initial_indent, subsequent_indent;
  bool expand_tabs = true, replace_whitespace = true, fix_sentence_endings = false, break_long_words = true,
       drop_whitespace = true, break_on_hyphens = true;
  std::int64_t tabsize = 8;
  std::optional<std::int64_t> max_lines;
  std::u32string placeholder = U" [...]";
};

// TextWrapper.wrap: ValueError for a width or placeholder that cannot fit.
std::vector<std::u32string> wrap(Interp& ip, const Options& o, std::u32string_view text);
std::u32string fill(Interp& ip, const Options& o, std::u32string_view text);

}  // namespace textwrap
}  // namespace aiospec::interp
