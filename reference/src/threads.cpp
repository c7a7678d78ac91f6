#include "asyncio/threads.hpp"

namespace asyncio {

namespace {
ContextCopier& context_copier() {
  static ContextCopier copier;
  return copier;
}
}  // namespace

void set_to_thread_context(ContextCopier copier) { context_copier() = std::move(copier); }
const ContextCopier& to_thread_context() { return context_copier(); }

}  // namespace asyncio
