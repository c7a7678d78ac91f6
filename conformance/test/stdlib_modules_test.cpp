// The modules enum, dataclasses and json: their uncaught exceptions as CPython prints them, and
// what they leave out refused where the program uses it (conformance/test/programs/enum_states.py,
// dataclass_jobs.py and json_stream.py compare the rest with CPython).
#include <gtest/gtest.h>

#include <string>

#include "aiospec/interpreter.hpp"

namespace {

// Expected output: CPython 3.11.7 through the capture harness.
TEST(StdlibModules, UncaughtErrorsNameTheirModule) {
  auto r = aiospec::run_program("import json\njson.loads('[1,\\n')\n", "decode.py");
  EXPECT_EQ(r.normalized(), "[uncaught] json.decoder.JSONDecodeError: Expecting value: line 2 column 1 (char 4)\n");
  EXPECT_EQ(r.exit_status, 1);
  r = aiospec::run_program("from dataclasses import dataclass\n@dataclass(frozen=True)\nclass P:\n    x: int\nP(1).x = 2\n", "frozen.py");
  EXPECT_EQ(r.normalized(), "[uncaught] dataclasses.FrozenInstanceError: cannot assign to field 'x'\n");
  r = aiospec::run_program("from enum import Enum\nclass C(Enum):\n    A = 1\nC(2)\n", "value.py");
  EXPECT_EQ(r.normalized(), "[uncaught] ValueError: 2 is not a valid C\n");
}

// aiospec's own behaviour: what the modules do not provide stops the program, naming it.
TEST(StdlibModules, WhatIsLeftOutIsRefused) {
  struct Case {
    const char* src;
    const char* what;
  };
  for (const Case& c : {Case{"from enum import Enum\nColor = Enum('Color', 'RED GREEN')\n", "prog.py:2:1: enum's functional API"},
                        Case{"from dataclasses import dataclass\n@dataclass(slots=True)\nclass P:\n    x: int\n", "prog.py:3:1: dataclass(slots=True)"},
                        Case{"import json\njson.dumps(1, cls=json)\n", "prog.py:2:1: json's cls="},
                        Case{"import json\njson.loads('1', cls=json)\n", "prog.py:2:1: json's cls="}}) {
    auto r = aiospec::run_program(c.src, "prog.py");
    EXPECT_EQ(r.exit_status, 3) << c.src;
    EXPECT_NE(r.error.find(c.what), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("is outside the scenario language"), std::string::npos) << r.error;
  }
}

}  // namespace
