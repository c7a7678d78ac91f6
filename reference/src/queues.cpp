#include "asyncio/queues.hpp"

namespace asyncio::detail {

void wakeup_next(Waiters& waiters) {
  while (!waiters.empty()) {
    auto waiter = std::move(waiters.front());
    waiters.pop_front();
    if (!waiter->done()) {
      waiter->set_result();
      break;
    }
  }
}

}  // namespace asyncio::detail
