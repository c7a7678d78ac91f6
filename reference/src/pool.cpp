#include "asyncio/pool.hpp"

#include <new>
#include <utility>

namespace asyncio::detail::pool {

namespace {
// Frees the thread's cached blocks when it exits; registered on the thread's first allocation.
struct Reaper {
  ~Reaper() {
    t_lists.closed = true;
    for (auto*& h : t_lists.head) {
      while (h) ::operator delete(std::exchange(h, h->next));
    }
  }
};
thread_local Reaper* t_reaper = nullptr;
}  // namespace

void* allocate_slow(std::size_t size) {
  const std::size_t c = class_of(size);
  if (c >= kClasses) return ::operator new(size);
  if (kEnabled && !t_reaper && !t_lists.closed) {
    static thread_local Reaper reaper;
    t_reaper = &reaper;
  }
  return ::operator new((c + 1) * kGranule);
}

void deallocate_slow(void* p, std::size_t) noexcept { ::operator delete(p); }

}  // namespace asyncio::detail::pool
