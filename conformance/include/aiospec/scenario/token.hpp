// Tokens of the scenario language (Python's token set minus what the subset never needs).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aiospec::scenario {

enum class Tok : std::uint8_t {
  End, Newline, Indent, Dedent,
  Name, Int, Float, String, FString, Bytes,
  // keywords
  KwFalse, KwNone, KwTrue, KwAnd, KwAs, KwAssert, KwAsync, KwAwait, KwBreak, KwClass, KwContinue,
  KwDef, KwDel, KwElif, KwElse, KwExcept, KwFinally, KwFor, KwFrom, KwGlobal, KwIf, KwImport, KwIn,
  KwIs, KwLambda, KwNonlocal, KwNot, KwOr, KwPass, KwRaise, KwReturn, KwTry, KwWhile, KwWith,
  KwYield,
  // brackets and punctuation
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Colon, Semi, Dot, Ellipsis, Arrow,
  Assign, Walrus,
  // augmented assignment, in the order of BinOpKind (see ast.hpp)
  PlusEq, MinusEq, StarEq, SlashEq, DSlashEq, PercentEq, DStarEq, LShiftEq, RShiftEq, PipeEq,
  CaretEq, AmpEq, AtEq,
  // operators
  EqEq, NotEq, Less, Greater, LessEq, GreaterEq, Plus, Minus, Star, Slash, DSlash, Percent, DStar,
  LShift, RShift, Pipe, Caret, Amp, Tilde, At,
};

// One piece of an f-string: literal text, or a replacement field {expr!c:spec}.
struct FStringPart {
  bool is_field = false;
  std::string literal;           // decoded text (literal parts)
  std::uint32_t expr_begin = 0;  // field: the expression's byte range in the source
  std::uint32_t expr_end = 0;
  std::uint32_t line = 0, col = 0;  // field: position of the expression's first byte
  char conversion = 0;              // 0, 'r', 's' or 'a'
  bool debug = false;               // {expr=}
  std::string debug_text;           // "expr=" with its surrounding whitespace
  bool has_spec = false;
  std::vector<FStringPart> spec;  // the format spec after ':', itself literal text and fields
};

struct Token {
  Tok kind = Tok::End;
  std::uint32_t line = 0, col = 0;  // 1-based; col counts characters
  std::uint32_t offset = 0, length = 0;  // the token's bytes in the source
  std::uint32_t payload = 0;  // String, Bytes: index into TokenStream::strings; FString: into fstrings
};

// Human-readable token name for messages: "'('", "'else'", "newline", "indent", "end of file".
std::string token_name(Tok kind);

}  // namespace aiospec::scenario
