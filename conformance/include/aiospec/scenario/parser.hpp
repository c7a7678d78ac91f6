// Parser: scenario-language source to a resolved syntax tree.
#pragma once

#include <string>
#include <string_view>

#include "aiospec/scenario/ast.hpp"

namespace aiospec::scenario {

// Parses a module, checks it is inside the scenario language, resolves every name's scope and
// marks await containment. The module does not refer to `source` afterwards.
// Throws SyntaxError (see error.hpp) for invalid Python and for constructs outside the language.
Module parse(std::string_view source, std::string filename = "<string>");

}  // namespace aiospec::scenario
