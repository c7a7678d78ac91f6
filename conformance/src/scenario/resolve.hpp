// Scope resolution and semantic checks run after parsing (internal to the scenario library).
#pragma once

#include "aiospec/scenario/ast.hpp"

namespace aiospec::scenario {

// Resolves every Name (NameScope, index), builds each scope's slots and closure, sets has_await /
// body_awaits / uses_super, and rejects what Python's compiler rejects after parsing: await outside
// async functions, return/break/continue out of place, bad global/nonlocal declarations.
void resolve(Module& module);

}  // namespace aiospec::scenario
