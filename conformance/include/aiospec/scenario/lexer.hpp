// Tokeniser: Python's tokenisation rules for the scenario language.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aiospec/scenario/token.hpp"

namespace aiospec::scenario {

struct TokenStream {
  std::string_view source;  // not owned
  std::vector<Token> tokens;  // ends with Tok::End
  std::vector<std::string> strings;  // decoded values of String and Bytes tokens
  // (token index, message): a bytes literal's bad escape, which CPython reports at the token after
  // the literals the parser concatenates.
  std::vector<std::pair<std::uint32_t, std::string>> literal_errors;
  std::vector<std::vector<FStringPart>> fstrings;  // parts of FString tokens

  std::string_view text(const Token& t) const { return source.substr(t.offset, t.length); }
};

// Appends code point `cp` as UTF-8; a lone surrogate (a \ud800 escape, surrogateescape) as its 3-byte form.
void append_utf8(std::string& out, char32_t cp);

// Tokenises a whole module: NEWLINE/INDENT/DEDENT, implicit and explicit line joining, strings with
// their escapes decoded, f-strings split into parts. Throws SyntaxError.
TokenStream tokenize(std::string_view source, std::string_view filename);

// Tokenises the expression of an f-string replacement field: bytes [begin, end) of `source`, which
// start on `line`. Newlines are whitespace; no NEWLINE/INDENT tokens; ends with Tok::End.
TokenStream tokenize_expression(std::string_view source, std::string_view filename,
                                std::uint32_t begin, std::uint32_t end, std::uint32_t line);

}  // namespace aiospec::scenario
