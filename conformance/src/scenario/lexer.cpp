#include "aiospec/scenario/lexer.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "aiospec/scenario/error.hpp"
#include "aiospec/scenario/limits.hpp"

namespace aiospec::scenario {

namespace {

struct Keyword {
  std::string_view text;
  Tok kind;
};
constexpr std::array kKeywords{
    Keyword{"False", Tok::KwFalse},       Keyword{"None", Tok::KwNone},
    Keyword{"True", Tok::KwTrue},         Keyword{"and", Tok::KwAnd},
    Keyword{"as", Tok::KwAs},             Keyword{"assert", Tok::KwAssert},
    Keyword{"async", Tok::KwAsync},       Keyword{"await", Tok::KwAwait},
    Keyword{"break", Tok::KwBreak},       Keyword{"class", Tok::KwClass},
    Keyword{"continue", Tok::KwContinue}, Keyword{"def", Tok::KwDef},
    Keyword{"del", Tok::KwDel},           Keyword{"elif", Tok::KwElif},
    Keyword{"else", Tok::KwElse},         Keyword{"except", Tok::KwExcept},
    Keyword{"finally", Tok::KwFinally},   Keyword{"for", Tok::KwFor},
    Keyword{"from", Tok::KwFrom},         Keyword{"global", Tok::KwGlobal},
    Keyword{"if", Tok::KwIf},             Keyword{"import", Tok::KwImport},
    Keyword{"in", Tok::KwIn},             Keyword{"is", Tok::KwIs},
    Keyword{"lambda", Tok::KwLambda},     Keyword{"nonlocal", Tok::KwNonlocal},
    Keyword{"not", Tok::KwNot},           Keyword{"or", Tok::KwOr},
    Keyword{"pass", Tok::KwPass},         Keyword{"raise", Tok::KwRaise},
    Keyword{"return", Tok::KwReturn},     Keyword{"try", Tok::KwTry},
    Keyword{"while", Tok::KwWhile},       Keyword{"with", Tok::KwWith},
    Keyword{"yield", Tok::KwYield},
};

struct Operator {
  std::string_view text;
  Tok kind;
};
// Spelling of the operator tokens, for messages (the lexer matches them in operator_at()).
constexpr std::array kOperators{
    Operator{"**=", Tok::DStarEq}, Operator{"//=", Tok::DSlashEq}, Operator{">>=", Tok::RShiftEq},
    Operator{"<<=", Tok::LShiftEq}, Operator{"...", Tok::Ellipsis}, Operator{"**", Tok::DStar},
    Operator{"//", Tok::DSlash}, Operator{">>", Tok::RShift}, Operator{"<<", Tok::LShift},
    Operator{"<=", Tok::LessEq}, Operator{">=", Tok::GreaterEq}, Operator{"==", Tok::EqEq},
    Operator{"!=", Tok::NotEq}, Operator{"->", Tok::Arrow}, Operator{"+=", Tok::PlusEq},
    Operator{"-=", Tok::MinusEq}, Operator{"*=", Tok::StarEq}, Operator{"/=", Tok::SlashEq},
    Operator{"%=", Tok::PercentEq}, Operator{"&=", Tok::AmpEq}, Operator{"|=", Tok::PipeEq},
    Operator{"^=", Tok::CaretEq}, Operator{"@=", Tok::AtEq}, Operator{":=", Tok::Walrus},
    Operator{"(", Tok::LParen}, Operator{")", Tok::RParen}, Operator{"[", Tok::LBracket},
    Operator{"]", Tok::RBracket}, Operator{"{", Tok::LBrace}, Operator{"}", Tok::RBrace},
    Operator{",", Tok::Comma}, Operator{":", Tok::Colon}, Operator{";", Tok::Semi},
    Operator{".", Tok::Dot}, Operator{"=", Tok::Assign}, Operator{"<", Tok::Less},
    Operator{">", Tok::Greater}, Operator{"+", Tok::Plus}, Operator{"-", Tok::Minus},
    Operator{"*", Tok::Star}, Operator{"/", Tok::Slash}, Operator{"%", Tok::Percent},
    Operator{"|", Tok::Pipe}, Operator{"^", Tok::Caret}, Operator{"&", Tok::Amp},
    Operator{"~", Tok::Tilde}, Operator{"@", Tok::At},
};

bool is_ascii_id_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
int hex_digit(char h) { return is_digit(h) ? h - '0' : ((h | 0x20) >= 'a' && (h | 0x20) <= 'f') ? (h | 0x20) - 'a' + 10 : -1; }
bool is_hex_digit(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
bool is_oct_digit(char c) { return c >= '0' && c <= '7'; }
bool is_bin_digit(char c) { return c == '0' || c == '1'; }

// Non-ASCII identifier characters. Python uses Unicode XID_Start/XID_Continue; this approximation
// accepts every letter-bearing block (Latin, Greek, Cyrillic, CJK, Hangul, ...) and refuses the
// punctuation, symbol, space and emoji blocks, which covers what programs actually use.
bool is_unicode_id_char(char32_t cp) {
  if (cp < 0xAA) return false;
  if (cp <= 0xBF) return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
  if (cp == 0xD7 || cp == 0xF7) return false;
  if (cp >= 0x2000 && cp <= 0x206F) return false;  // general punctuation, spaces
  if (cp >= 0x20A0 && cp <= 0x20CF) return false;  // currency
  if (cp >= 0x2100 && cp <= 0x2BFF) return false;  // letterlike, arrows, math, boxes, symbols
  if (cp >= 0x2E00 && cp <= 0x2E7F) return false;  // supplemental punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation, ideographic space
  if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;  // private use
  if (cp >= 0xFE10 && cp <= 0xFE6F) return false;  // vertical / small forms
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // fullwidth punctuation
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFEFF && cp <= 0xFEFF) return false;
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return false;  // emoji and pictographs
  return cp <= 0x10FFFF;
}


// The keyword spelled `w`, or Tok::Name. Keywords are 2 to 8 ASCII letters; full comparisons
// happen only for keywords sharing w's first letter.
Tok keyword(std::string_view w) {
  if (w.size() < 2 || w.size() > 8) return Tok::Name;
  char c = w[0];
  if (!((c >= 'a' && c <= 'y') || c == 'F' || c == 'N' || c == 'T')) return Tok::Name;
  for (const Keyword& k : kKeywords)
    if (k.text[0] == c && k.text == w) return k.kind;
  return Tok::Name;
}

bool is_string_prefix(std::string_view p, bool& raw, bool& fmt, bool& bytes) {
  if (p.size() > 2) return false;
  raw = fmt = bytes = false;
  bool unicode = false;
  for (char c : p) {
    switch (c | 0x20) {  // ASCII lower-case
      case 'r': if (raw) return false; raw = true; break;
      case 'f': if (fmt) return false; fmt = true; break;
      case 'b': if (bytes) return false; bytes = true; break;
      case 'u': if (unicode) return false; unicode = true; break;
      default: return false;
    }
  }
  if (unicode && p.size() > 1) return false;  // "u" combines with nothing
  return !(fmt && bytes);
}

class Lexer {
 public:
  Lexer(std::string_view source, std::string_view filename, TokenStream& out)
      : src_(source), file_(filename), out_(out) {
    out_.source = source;
  }

  // Python decodes the whole file first: any invalid UTF-8 (including encoded surrogates) is an
  // error even inside strings and comments.
  void check_utf8() {
    for (std::uint32_t i = 0; i < end_;) {
      auto b = static_cast<unsigned char>(src_[i]);
      if (b == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
      if (b < 0x80) {
        ++i;
        continue;
      }
      std::uint32_t len;
      char32_t cp = decode(i, len);
      bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
      if (cp == ~0u || overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        fail(line_, col_at(i), fmt::format("invalid UTF-8 in source (byte 0x{:02x})", b));
      i += len;
    }
    line_ = 1;
    line_start_ = col_pos_ = 0;
    col_ = 1;
  }

  void run_module() {
    end_ = static_cast<std::uint32_t>(src_.size());
    check_utf8();
    // A UTF-8 byte order mark is allowed at the very start, as in Python.
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = col_pos_ = 3;
    indents_.push_back({0, 0});
    bool line_start = true;
    for (;;) {
      if (line_start && brackets_.empty()) {
        if (!indentation()) break;  // end of input
        line_start = false;
      }
      skip_blanks();
      if (pos_ >= end_) break;
      char c = src_[pos_];
      if (c == '#') {
        while (pos_ < end_ && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
        continue;
      }
      if (c == '\n' || c == '\r') {
        line_start = brackets_.empty();  // inside brackets lines join implicitly
        if (line_start) emit(Tok::Newline, pos_, 1);
        newline();
        continue;
      }
      if (c == '\\') {
        continuation();
        continue;
      }
      token();
    }
    if (!brackets_.empty()) {
      const Open& o = brackets_.back();
      fail(o.line, o.col, fmt::format("'{}' was never closed", o.c));
    }
    if (!out_.tokens.empty() && out_.tokens.back().kind != Tok::Newline)
      emit(Tok::Newline, pos_, 0);
    for (std::size_t i = 1; i < indents_.size(); ++i) emit(Tok::Dedent, pos_, 0);
    emit(Tok::End, pos_, 0);
  }

  void run_expression(std::uint32_t begin, std::uint32_t end, std::uint32_t line) {
    pos_ = begin;
    end_ = end;
    line_ = line;
    line_start_ = begin;
    while (line_start_ > 0 && src_[line_start_ - 1] != '\n' && src_[line_start_ - 1] != '\r')
      --line_start_;
    col_pos_ = line_start_;
    for (;;) {
      skip_blanks();
      if (pos_ >= end_) break;
      char c = src_[pos_];
      if (c == '\n' || c == '\r') {
        newline();
      } else if (c == '#') {
        fail_here("f-string expression part cannot include '#'");
      } else if (c == '\\') {
        continuation();
      } else {
        token();
      }
    }
    if (!brackets_.empty()) {
      const Open& o = brackets_.back();
      fail(o.line, o.col, fmt::format("'{}' was never closed", o.c));
    }
    emit(Tok::End, pos_, 0);
  }

 private:
  struct Open {
    char c;
    std::uint32_t line, col;
  };
  struct Indent {
    std::uint32_t col;  // tabs to multiples of 8
    std::uint32_t alt;  // tabs count 1: disagreement between the two means ambiguous tabs
  };

  [[noreturn]] void fail(std::uint32_t line, std::uint32_t col, std::string message,
                         ErrorKind kind = ErrorKind::Syntax) const {
    throw SyntaxError(kind, std::string(file_), line, col, std::move(message));
  }
  [[noreturn]] void fail_here(std::string message, ErrorKind kind = ErrorKind::Syntax) {
    fail(line_, col_at(pos_), std::move(message), kind);
  }

  // Column (1-based, in characters) of byte `pos` on the current line. Tokens arrive in order, so
  // counting forward from the previous answer keeps this linear overall.
  std::uint32_t col_at(std::uint32_t pos) {
    if (pos < col_pos_ || col_pos_ < line_start_) {
      col_pos_ = line_start_;
      col_ = 1;
    }
    for (; col_pos_ < pos; ++col_pos_)
      if ((static_cast<unsigned char>(src_[col_pos_]) & 0xC0) != 0x80) ++col_;
    return col_;
  }

  void emit(Tok kind, std::uint32_t offset, std::uint32_t length, std::uint32_t payload = 0) {
    Token t;
    t.kind = kind;
    t.line = line_;
    t.col = col_at(offset);
    t.offset = offset;
    t.length = length;
    t.payload = payload;
    out_.tokens.push_back(t);
  }

  void newline() {
    if (src_[pos_] == '\r' && pos_ + 1 < end_ && src_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }

  void skip_blanks() {
    while (pos_ < end_ && (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\f')) ++pos_;
  }

  void continuation() {
    if (pos_ + 1 >= end_) fail_here("unexpected EOF while parsing");
    char n = src_[pos_ + 1];
    if (n != '\n' && n != '\r')
      fail_here("unexpected character after line continuation character");
    ++pos_;
    newline();
  }

  // Measures the indentation of a new logical line and emits INDENT/DEDENT. Blank and comment-only
  // lines are skipped. Returns false at end of input.
  bool indentation() {
    for (;;) {
      std::uint32_t col = 0, alt = 0;
      while (pos_ < end_) {
        char c = src_[pos_];
        if (c == ' ') {
          ++col, ++alt;
        } else if (c == '\t') {
          col = (col / 8 + 1) * 8;
          ++alt;
        } else if (c == '\f') {
          col = alt = 0;
        } else {
          break;
        }
        ++pos_;
      }
      if (pos_ >= end_) return false;
      char c = src_[pos_];
      if (c == '#') {
        while (pos_ < end_ && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
        if (pos_ >= end_) return false;
        c = src_[pos_];
      }
      if (c == '\n' || c == '\r') {
        newline();
        continue;
      }
      const Indent& top = indents_.back();
      if (col == top.col) {
        if (alt != top.alt) fail_tab();
      } else if (col > top.col) {
        if (alt <= top.alt) fail_tab();
        // tokenizer.c: MAXINDENT levels (the first is column 0), reported at column 1.
        if (indents_.size() >= kMaxIndentLevel) fail(line_, 1, "too many levels of indentation", ErrorKind::Indentation);
        indents_.push_back({col, alt});
        emit(Tok::Indent, pos_, 0);
      } else {
        while (indents_.size() > 1 && col < indents_.back().col) {
          indents_.pop_back();
          emit(Tok::Dedent, pos_, 0);
        }
        if (col != indents_.back().col)
          fail_here("unindent does not match any outer indentation level", ErrorKind::Indentation);
        if (alt != indents_.back().alt) fail_tab();
      }
      return true;
    }
  }

  [[noreturn]] void fail_tab() {
    fail_here("inconsistent use of tabs and spaces in indentation", ErrorKind::Tab);
  }

  char32_t decode(std::uint32_t at, std::uint32_t& len) const {
    auto b = static_cast<unsigned char>(src_[at]);
    auto cont = [&](std::uint32_t i) -> char32_t {
      if (at + i >= end_ || (static_cast<unsigned char>(src_[at + i]) & 0xC0) != 0x80) return ~0u;
      return static_cast<unsigned char>(src_[at + i]) & 0x3F;
    };
    char32_t cp;
    if (b < 0x80) {
      len = 1;
      return b;
    } else if ((b & 0xE0) == 0xC0) {
      len = 2;
      cp = (b & 0x1Fu) << 6 | cont(1);
    } else if ((b & 0xF0) == 0xE0) {
      len = 3;
      cp = (b & 0x0Fu) << 12 | cont(1) << 6 | cont(2);
    } else if ((b & 0xF8) == 0xF0) {
      len = 4;
      cp = (b & 0x07u) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3);
    } else {
      len = 1;
      return ~0u;
    }
    for (std::uint32_t i = 1; i < len; ++i)
      if (cont(i) == ~0u) return ~0u;
    return cp;
  }

  bool at_id_char(std::uint32_t at, std::uint32_t& len) const {
    char c = src_[at];
    if (is_ascii_id_start(c) || is_digit(c)) {
      len = 1;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x80) return false;
    return is_unicode_id_char(decode(at, len));
  }

  void token() {
    char c = src_[pos_];
    std::uint32_t start = pos_;
    std::uint32_t len = 0;
    if (static_cast<unsigned char>(c) >= 0x80) {
      char32_t cp = decode(pos_, len);
      if (cp == ~0u) fail_here("invalid UTF-8 in source");
      if (!is_unicode_id_char(cp))
        fail_here(fmt::format("invalid character '{}' (U+{:04X})",
                              src_.substr(pos_, len), static_cast<std::uint32_t>(cp)));
    }
    if (is_ascii_id_start(c) || len > 0) {
      while (pos_ < end_ && at_id_char(pos_, len)) pos_ += len;
      std::string_view word = src_.substr(start, pos_ - start);
      bool raw, fmt, bytes;
      if (pos_ < end_ && (src_[pos_] == '"' || src_[pos_] == '\'') &&
          is_string_prefix(word, raw, fmt, bytes)) {
        string(start, raw, fmt, bytes);
        return;
      }
      emit(keyword(word), start, pos_ - start);
      return;
    }
    if (is_digit(c) || (c == '.' && pos_ + 1 < end_ && is_digit(src_[pos_ + 1]))) {
      number();
      return;
    }
    if (c == '"' || c == '\'') {
      string(start, false, false, false);
      return;
    }
    std::uint32_t op_len;
    Tok op = operator_at(op_len);
    if (op != Tok::End) {
      if (op == Tok::LParen || op == Tok::LBracket || op == Tok::LBrace) {
        // tokenizer.c: a bracket past MAXLEVEL open ones is refused where it stands.
        if (brackets_.size() >= kMaxParenLevel) fail_here("too many nested parentheses");
        brackets_.push_back({c, line_, col_at(pos_)});
      } else if (op == Tok::RParen || op == Tok::RBracket || op == Tok::RBrace) {
        close_bracket(c);
      }
      pos_ += op_len;
      emit(op, start, op_len);
      return;
    }
    if (c == '!') fail_here("invalid syntax");
    if (c < ' ' || c == 0x7F)
      fail_here(fmt::format("invalid non-printable character U+{:04X}", static_cast<unsigned>(c)));
    fail_here(fmt::format("invalid character '{}' (U+{:04X})", c, static_cast<unsigned>(c)));
  }

  // The operator or delimiter at pos_ (longest match), or Tok::End.
  Tok operator_at(std::uint32_t& len) const {
    char c = src_[pos_];
    char n = pos_ + 1 < end_ ? src_[pos_ + 1] : 0;
    char n2 = pos_ + 2 < end_ ? src_[pos_ + 2] : 0;
    len = 1;
    // c, c= ; and for doubled operators: cc, cc=
    auto arith = [&](Tok single, Tok single_eq, Tok twice, Tok twice_eq) {
      if (n == c && twice != Tok::End) {
        len = n2 == '=' && twice_eq != Tok::End ? 3 : 2;
        return len == 3 ? twice_eq : twice;
      }
      if (n == '=') {
        len = 2;
        return single_eq;
      }
      return single;
    };
    switch (c) {
      case '(': return Tok::LParen;
      case ')': return Tok::RParen;
      case '[': return Tok::LBracket;
      case ']': return Tok::RBracket;
      case '{': return Tok::LBrace;
      case '}': return Tok::RBrace;
      case ',': return Tok::Comma;
      case ';': return Tok::Semi;
      case '~': return Tok::Tilde;
      case ':': return arith(Tok::Colon, Tok::Walrus, Tok::End, Tok::End);
      case '.':
        if (n == '.' && n2 == '.') {
          len = 3;
          return Tok::Ellipsis;
        }
        return Tok::Dot;
      case '=': return arith(Tok::Assign, Tok::EqEq, Tok::End, Tok::End);
      case '!':
        if (n != '=') return Tok::End;
        len = 2;
        return Tok::NotEq;
      case '-':
        if (n == '>') {
          len = 2;
          return Tok::Arrow;
        }
        return arith(Tok::Minus, Tok::MinusEq, Tok::End, Tok::End);
      case '+': return arith(Tok::Plus, Tok::PlusEq, Tok::End, Tok::End);
      case '*': return arith(Tok::Star, Tok::StarEq, Tok::DStar, Tok::DStarEq);
      case '/': return arith(Tok::Slash, Tok::SlashEq, Tok::DSlash, Tok::DSlashEq);
      case '%': return arith(Tok::Percent, Tok::PercentEq, Tok::End, Tok::End);
      case '&': return arith(Tok::Amp, Tok::AmpEq, Tok::End, Tok::End);
      case '|': return arith(Tok::Pipe, Tok::PipeEq, Tok::End, Tok::End);
      case '^': return arith(Tok::Caret, Tok::CaretEq, Tok::End, Tok::End);
      case '@': return arith(Tok::At, Tok::AtEq, Tok::End, Tok::End);
      case '<': return arith(Tok::Less, Tok::LessEq, Tok::LShift, Tok::LShiftEq);
      case '>': return arith(Tok::Greater, Tok::GreaterEq, Tok::RShift, Tok::RShiftEq);
      default: return Tok::End;
    }
  }

  void close_bracket(char c) {
    char want = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (brackets_.empty()) fail_here(fmt::format("unmatched '{}'", c));
    const Open& o = brackets_.back();
    if (o.c != want) {
      if (o.line != line_)
        fail_here(fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}' on line {}",
                              c, o.c, o.line));
      fail_here(fmt::format("closing parenthesis '{}' does not match opening parenthesis '{}'", c, o.c));
    }
    brackets_.pop_back();
  }

  // Digits of one base with single underscores between them; returns how many digits were read.
  std::uint32_t digits(bool (*ok)(char), std::string_view kind) {
    std::uint32_t n = 0;
    while (pos_ < end_) {
      if (ok(src_[pos_])) {
        ++pos_, ++n;
      } else if (src_[pos_] == '_' && n > 0) {
        ++pos_;
        if (pos_ >= end_ || !ok(src_[pos_])) fail_here(fmt::format("invalid {} literal", kind));
      } else {
        break;
      }
    }
    return n;
  }

  void number() {
    std::uint32_t start = pos_;
    bool is_float = false;
    std::string_view kind = "decimal";
    char c1 = pos_ + 1 < end_ ? static_cast<char>(src_[pos_ + 1] | 0x20) : 0;
    if (src_[pos_] == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
      pos_ += 2;
      if (pos_ < end_ && src_[pos_] == '_') ++pos_;
      bool (*ok)(char) = c1 == 'x' ? is_hex_digit : c1 == 'o' ? is_oct_digit : is_bin_digit;
      kind = c1 == 'x' ? "hexadecimal" : c1 == 'o' ? "octal" : "binary";
      if (digits(ok, kind) == 0) fail_here(fmt::format("invalid {} literal", kind));
    } else {
      digits(is_digit, kind);
      if (pos_ < end_ && src_[pos_] == '.') {
        ++pos_;
        is_float = true;
        if (pos_ < end_ && is_digit(src_[pos_])) digits(is_digit, kind);
      }
      if (pos_ < end_ && (src_[pos_] | 0x20) == 'e') {
        std::uint32_t e = pos_ + 1;
        if (e < end_ && (src_[e] == '+' || src_[e] == '-')) ++e;
        if (e < end_ && is_digit(src_[e])) {
          pos_ = e;
          digits(is_digit, kind);
          is_float = true;
        }
      }
      if (pos_ < end_ && (src_[pos_] | 0x20) == 'j')
        fail(line_, col_at(start), unsupported_message("complex number literal"), ErrorKind::Unsupported);
      if (!is_float && src_[start] == '0') {
        for (std::uint32_t i = start; i < pos_; ++i)
          if (src_[i] != '0' && src_[i] != '_')
            fail(line_, col_at(start),
                 "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
                 "for octal integers");
      }
    }
    // A letter glued to a number is an error, except the keywords Python still accepts there.
    std::uint32_t len;
    if (pos_ < end_ && at_id_char(pos_, len)) {
      std::uint32_t w = pos_;
      while (w < end_ && at_id_char(w, len)) w += len;
      std::string_view word = src_.substr(pos_, w - pos_);
      if (word != "and" && word != "or" && word != "if" && word != "else" && word != "in" &&
          word != "is" && word != "not" && word != "for")
        fail_here(fmt::format("invalid {} literal", kind));
    }
    emit(is_float ? Tok::Float : Tok::Int, start, pos_ - start);
  }

  // Decodes the escape sequence at pos_ (which is at the backslash) into out.
  // A backslash escape at pos_. In a bytes literal (`body`: where its text starts) \x takes exactly
  // two hex digits, octal escapes keep the low byte, and \u, \U, \N are not escapes.
  void escape(std::string& out, const std::uint32_t* body = nullptr) {
    std::uint32_t at = pos_;
    ++pos_;
    if (pos_ >= end_) return;
    char c = src_[pos_];
    if (body && (c == 'u' || c == 'U' || c == 'N')) c = '?';
    if (body && c == 'x') {
      int v = 0, n = 0;
      for (; n < 2 && pos_ + 1 < end_; ++n) {
        int d = hex_digit(src_[pos_ + 1]);
        if (d < 0) break;
        v = v * 16 + d;
        ++pos_;
      }
      if (n < 2 && pending_error_.empty())
        pending_error_ = fmt::format("(value error) invalid \\x escape at position {}", at - *body);
      out += static_cast<char>(v);
      ++pos_;
      return;
    }
    auto hex = [&](int n) -> char32_t {
      char32_t v = 0;
      for (int i = 0; i < n; ++i) {
        int d = hex_digit(pos_ + 1 < end_ ? src_[pos_ + 1] : 0);
        if (d < 0)
          fail(line_, col_at(at),
               fmt::format("(unicode error) truncated \\{}{} escape", c,
                           std::string(static_cast<std::size_t>(n), 'X')));
        v = v * 16 + static_cast<char32_t>(d);
        ++pos_;
      }
      return v;
    };
    switch (c) {
      case '\n': case '\r': newline(); return;  // backslash-newline: joined, not included
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x': append_utf8(out, hex(2)); break;
      case 'u': append_utf8(out, hex(4)); break;
      case 'U': {
        char32_t v = hex(8);
        if (v > 0x10FFFF) fail(line_, col_at(at), "(unicode error) illegal Unicode character");
        append_utf8(out, v);
        break;
      }
      case 'N':
        fail(line_, col_at(at), unsupported_message("\\N{...} escape (named Unicode character)"),
             ErrorKind::Unsupported);
      default:
        if (c >= '0' && c <= '7') {
          char32_t v = static_cast<char32_t>(c - '0');
          for (int i = 0; i < 2 && pos_ + 1 < end_ && src_[pos_ + 1] >= '0' && src_[pos_ + 1] <= '7'; ++i)
            v = v * 8 + static_cast<char32_t>(src_[++pos_] - '0');
          if (body) out += static_cast<char>(v & 0xFF);
          else append_utf8(out, v);
          break;
        }
        // Unknown escapes keep the backslash; the next character is read normally.
        out += '\\';
        return;
    }
    ++pos_;
  }

  // At pos_: does the string being read end here?
  bool at_close(char quote, bool triple) const {
    if (src_[pos_] != quote) return false;
    return !triple || (pos_ + 2 < end_ && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote);
  }

  [[noreturn]] void fail_unterminated(std::uint32_t line, std::uint32_t col, bool triple) {
    fail(line, col, fmt::format("unterminated {}string literal (detected at line {})",
                                triple ? "triple-quoted " : "", line_));
  }

  void string(std::uint32_t start, bool raw, bool fmt, bool bytes) {
    std::uint32_t start_line = line_, start_col = col_at(start);
    char quote = src_[pos_];
    bool triple = pos_ + 2 < end_ && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote;
    pos_ += triple ? 3 : 1;
    const std::uint32_t body = pos_;
    Quote q{quote, triple, raw, start_line, start_col};
    std::uint32_t payload;
    if (fmt) {
      std::vector<FStringPart> parts;
      fstring_body(q, parts, false);
      payload = static_cast<std::uint32_t>(out_.fstrings.size());
      out_.fstrings.push_back(std::move(parts));
    } else {
      std::string value;
      for (;;) {
        if (pos_ >= end_) fail_unterminated(start_line, start_col, triple);
        if (at_close(quote, triple)) break;
        char c = src_[pos_];
        if (c == '\\') {
          if (raw) {
            value += c;
            if (++pos_ >= end_) continue;
            c = src_[pos_];
            if (c == '\n' || c == '\r') {
              value += '\n';
              newline();
              continue;
            }
            value += c;
            ++pos_;
          } else {
            escape(value, bytes ? &body : nullptr);
          }
        } else if (c == '\n' || c == '\r') {
          if (!triple) fail_unterminated(start_line, start_col, triple);
          value += '\n';
          newline();
        } else {
          value += c;
          ++pos_;
        }
      }
      payload = static_cast<std::uint32_t>(out_.strings.size());
      out_.strings.push_back(std::move(value));
    }
    pos_ += triple ? 3 : 1;
    if (bytes) {
      for (std::uint32_t i = start; i < pos_; ++i)
        if (static_cast<unsigned char>(src_[i]) >= 0x80)
          fail(start_line, start_col, "bytes can only contain ASCII literal characters");
      if (!pending_error_.empty())
        out_.literal_errors.emplace_back(static_cast<std::uint32_t>(out_.tokens.size()), std::move(pending_error_));
      pending_error_.clear();
    }
    // The token's line is where it starts; emit() uses the current line, so restore it.
    Token t;
    t.kind = fmt ? Tok::FString : bytes ? Tok::Bytes : Tok::String;
    t.line = start_line;
    t.col = start_col;
    t.offset = start;
    t.length = pos_ - start;
    t.payload = payload;
    out_.tokens.push_back(t);
  }

  struct Quote {
    char c;
    bool triple, raw;
    std::uint32_t line, col;  // where the string starts, for "unterminated" errors
  };

  // Reads f-string literal text and fields into parts, up to the closing quote (left unread), or,
  // in a format spec, up to the '}' that ends the field (left unread).
  void fstring_body(const Quote& q, std::vector<FStringPart>& parts, bool in_spec) {
    std::string text;
    auto flush = [&] {
      if (text.empty()) return;
      FStringPart p;
      p.literal = std::move(text);
      parts.push_back(std::move(p));
      text.clear();
    };
    for (;;) {
      if (pos_ >= end_) fail_unterminated(q.line, q.col, q.triple);
      if (at_close(q.c, q.triple)) {
        if (in_spec) fail_here("f-string: expecting '}'");
        break;
      }
      char c = src_[pos_];
      if (c == '{') {
        if (!in_spec && pos_ + 1 < end_ && src_[pos_ + 1] == '{') {
          text += '{';
          pos_ += 2;
          continue;
        }
        flush();
        parts.push_back(field(q));
      } else if (c == '}') {
        if (in_spec) break;
        if (pos_ + 1 < end_ && src_[pos_ + 1] == '}') {
          text += '}';
          pos_ += 2;
          continue;
        }
        fail_here("f-string: single '}' is not allowed");
      } else if (c == '\\' && !q.raw) {
        escape(text);
      } else if (c == '\n' || c == '\r') {
        if (!q.triple) fail_unterminated(q.line, q.col, q.triple);
        text += '\n';
        newline();
      } else {
        text += c;
        ++pos_;
      }
    }
    flush();
  }

  // At '{' of a replacement field: reads {expr[=][!c][:spec]}.
  FStringPart field(const Quote& q) {
    std::uint32_t open_line = line_, open_col = col_at(pos_);
    ++pos_;
    FStringPart p;
    p.is_field = true;
    p.expr_begin = pos_;
    p.line = line_;
    p.col = col_at(pos_);
    std::string opened;  // the brackets open in the expression
    for (;;) {
      // fstring_find_expr: an expression cut off by the string's end names its open bracket.
      if (pos_ >= end_ || at_close(q.c, q.triple))
        fail(open_line, open_col, opened.empty() ? std::string("f-string: expecting '}'") : fmt::format("f-string: unmatched '{}'", opened.back()));
      char c = src_[pos_];
      if (c == '\'' || c == '"') {
        skip_nested_string(q);
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (!q.triple) fail_unterminated(q.line, q.col, q.triple);
        newline();
        continue;
      }
      if (c == '#') fail_here("f-string expression part cannot include '#'");
      if (c == '(' || c == '[' || c == '{') {
        opened += c;
      } else if ((c == ')' || c == ']' || c == '}') && !opened.empty()) {
        opened.pop_back();
      } else if (opened.empty()) {
        char n = pos_ + 1 < end_ ? src_[pos_ + 1] : 0;
        if (c == '}' || c == ':' || (c == '!' && n != '=')) break;
        if (c == '=' && n == '=') {
          pos_ += 2;
          continue;
        }
        if (c == '=' && n != '=') {
          char prev = src_[pos_ - 1];
          if (prev != '=' && prev != '!' && prev != '<' && prev != '>') break;
        }
        if (c == '!' && n == '=') {
          pos_ += 2;
          continue;
        }
      }
      ++pos_;
    }
    p.expr_end = pos_;
    bool blank = true;
    for (std::uint32_t i = p.expr_begin; i < p.expr_end; ++i)
      if (src_[i] != ' ' && src_[i] != '\t' && src_[i] != '\n' && src_[i] != '\r') blank = false;
    if (blank) fail(open_line, open_col, "f-string: empty expression not allowed");
    if (src_[pos_] == '=') {
      ++pos_;
      skip_blanks();
      p.debug = true;
      p.debug_text = std::string(src_.substr(p.expr_begin, pos_ - p.expr_begin));
    }
    if (pos_ < end_ && src_[pos_] == '!') {
      char conv = pos_ + 1 < end_ ? src_[pos_ + 1] : 0;
      if (conv != 'r' && conv != 's' && conv != 'a')
        fail_here("f-string: invalid conversion character: expected 's', 'r', or 'a'");
      p.conversion = conv;
      pos_ += 2;
    }
    if (pos_ < end_ && src_[pos_] == ':') {
      ++pos_;
      p.has_spec = true;
      fstring_body(q, p.spec, true);
    }
    if (pos_ >= end_ || src_[pos_] != '}') fail(open_line, open_col, "f-string: expecting '}'");
    ++pos_;
    return p;
  }

  // Skips a string literal nested in an f-string expression. A single-quoted f-string ends at its
  // own quote character even there (the rule before Python 3.12).
  void skip_nested_string(const Quote& outer) {
    char quote = src_[pos_];
    if (quote == outer.c && !outer.triple) return;  // the caller sees the close and reports
    bool triple = pos_ + 2 < end_ && src_[pos_ + 1] == quote && src_[pos_ + 2] == quote;
    std::uint32_t sl = line_, sc = col_at(pos_);
    pos_ += triple ? 3 : 1;
    for (;;) {
      if (pos_ >= end_) fail_unterminated(sl, sc, triple);
      if (at_close(quote, triple)) break;
      if (outer.triple && at_close(outer.c, true)) fail_unterminated(sl, sc, triple);
      char c = src_[pos_];
      if (c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (!triple) fail_unterminated(sl, sc, triple);
        newline();
        continue;
      }
      ++pos_;
    }
    pos_ += triple ? 3 : 1;
  }

  std::string_view src_;
  std::string_view file_;
  TokenStream& out_;
  std::string pending_error_;  // the first bad escape of the bytes literal being read
  std::uint32_t pos_ = 0, end_ = 0;
  std::uint32_t line_ = 1, line_start_ = 0;
  std::uint32_t col_pos_ = 0, col_ = 1;  // col_at() cache
  std::vector<Indent> indents_;
  std::vector<Open> brackets_;
};

}  // namespace

std::string token_name(Tok kind) {
  switch (kind) {
    case Tok::End: return "end of file";
    case Tok::Newline: return "newline";
    case Tok::Indent: return "indent";
    case Tok::Dedent: return "dedent";
    case Tok::Name: return "name";
    case Tok::Int: case Tok::Float: return "number";
    case Tok::String: case Tok::FString: case Tok::Bytes: return "string";
    default: break;
  }
  for (const Keyword& k : kKeywords)
    if (k.kind == kind) return fmt::format("'{}'", k.text);
  for (const Operator& o : kOperators)
    if (o.kind == kind) return fmt::format("'{}'", o.text);
  return "token";
}

TokenStream tokenize(std::string_view source, std::string_view filename) {
  TokenStream out;
  out.tokens.reserve(source.size() / 4 + 8);
  Lexer(source, filename, out).run_module();
  return out;
}

TokenStream tokenize_expression(std::string_view source, std::string_view filename,
                                std::uint32_t begin, std::uint32_t end, std::uint32_t line) {
  TokenStream out;
  Lexer(source, filename, out).run_expression(begin, end, line);
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {  // includes lone surrogates from \uD800-style escapes
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace aiospec::scenario
