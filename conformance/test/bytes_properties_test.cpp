// Properties of the interpreter's bytes and codecs: what holds in CPython for every input.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "aiospec/interpreter.hpp"
#include "aiospec/scenario/ast.hpp"
#include "aiospec/scenario/parser.hpp"

namespace {

namespace sc = aiospec::scenario;

std::string run(const std::string& src) {
  auto r = aiospec::run_program(src, "prop.py");
  RC_ASSERT(r.exit_status == 0);
  return r.stdout_text;
}

std::string list_of(const std::vector<unsigned char>& bytes) {
  std::string out = "[";
  for (unsigned char c : bytes) out += fmt::format("{}, ", c);
  return out + "]";
}

// Any text (code points other than surrogates, written as \U escapes) survives UTF-8: decode(encode(s))
// is s, and the encoding has as many bytes as UTF-8 gives those code points.
RC_GTEST_PROP(BytesProperties, Utf8RoundTrip, ()) {
  auto cps = *rc::gen::container<std::vector<std::uint32_t>>(rc::gen::oneOf(
      rc::gen::inRange<std::uint32_t>(0, 0x80), rc::gen::inRange<std::uint32_t>(0x80, 0xD800),
      rc::gen::inRange<std::uint32_t>(0xE000, 0x110000)));
  std::string lit;
  std::size_t utf8_len = 0;
  for (auto cp : cps) {
    lit += fmt::format("\\U{:08x}", cp);
    utf8_len += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  std::string out = run(fmt::format("s = \"{}\"\nb = s.encode('utf-8')\nprint(b.decode('UTF8') == s, len(b), len(s))\n", lit));
  RC_ASSERT(out == fmt::format("True {} {}\n", utf8_len, cps.size()));
}

// Any bytes survive surrogateescape, and latin-1 both ways.
RC_GTEST_PROP(BytesProperties, SurrogateEscapeAndLatin1RoundTrip, (std::vector<unsigned char> bytes)) {
  std::string out = run(fmt::format(
      "b = bytes({})\nprint(b.decode('utf-8', 'surrogateescape').encode('utf-8', 'surrogateescape') == b, "
      "b.decode('latin-1').encode('iso-8859-1') == b)\n", list_of(bytes)));
  RC_ASSERT(out == "True True\n");
}

// repr() of any bytes is a bytes literal that the lexer reads back as the same bytes.
RC_GTEST_PROP(BytesProperties, ReprParsesBack, (std::vector<unsigned char> bytes)) {
  std::string printed = run(fmt::format("print(repr(bytes({})))\n", list_of(bytes)));
  RC_ASSERT(!printed.empty() && printed.back() == '\n');
  printed.pop_back();
  sc::Module m = sc::parse(printed);
  const auto& s = m.body[0]->as<sc::ExprStmt>().value->as<sc::Str>();
  RC_ASSERT(s.bytes);
  RC_ASSERT(std::string(s.value) == std::string(bytes.begin(), bytes.end()));
}

}  // namespace
