#include "asyncio/sleep.hpp"

namespace asyncio::detail {

void set_result_unless_cancelled(HandleState& h) {
  auto& fut = static_cast<FutureState<void>&>(*h.a);
  if (!fut.cancelled()) fut.set_result();
}

}  // namespace asyncio::detail
