#include "asyncio/pool.hpp"

#include <algorithm>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace asyncio::detail::pool {

namespace {
std::size_t block_size(std::size_t c) noexcept { return (c + 1) * kGranule; }

// What exited threads left: free lists per class and unused chunk rests. Only the slow paths touch it.
struct Segment {
  FreeBlock* head;
  std::size_t count;
};
struct Span {
  char* cur;
  char* end;
};
struct Orphans {
  std::mutex mutex;
  std::vector<Segment> lists[kClasses];
  std::vector<Span> spans;
  std::size_t bytes = 0;
};
Orphans& orphans() {
  static auto* o = new Orphans;  // never destroyed: threads may still exit after static destruction
  return *o;
}

// A free list relinked in address order. A list is in the order its blocks were freed, which after
// many tasks finished in timer order is scattered over all the chunks; a thread adopting it as it is
// measured several times slower (asyncio-bench: the rows run after the 1M-task ones), one taking
// it sorted walks the chunks in order, as a fresh chunk does.
FreeBlock* sorted(FreeBlock* head, std::size_t& count) {
  std::vector<FreeBlock*> blocks;
  for (; head; head = head->next) blocks.push_back(head);
  count = blocks.size();
  std::sort(blocks.begin(), blocks.end(), std::less<>());
  for (std::size_t i = blocks.size(); i-- > 0;) blocks[i]->next = std::exchange(head, blocks[i]);
  return head;
}

// Hands the thread's free blocks and chunk rest to the orphan pool when it exits; registered on the
// thread's first allocation.
struct Reaper {
  ~Reaper() {
    t_lists.closed = true;
    std::size_t count[kClasses];
    for (std::size_t c = 0; c < kClasses; ++c) t_lists.head[c] = sorted(t_lists.head[c], count[c]);
    auto& o = orphans();
    const std::lock_guard lock(o.mutex);
    for (std::size_t c = 0; c < kClasses; ++c) {
      if (!t_lists.head[c]) continue;
      o.lists[c].push_back({std::exchange(t_lists.head[c], nullptr), count[c]});
      o.bytes += count[c] * block_size(c);
    }
    if (t_lists.cur != t_lists.end) {
      o.spans.push_back({t_lists.cur, t_lists.end});
      o.bytes += static_cast<std::size_t>(t_lists.end - t_lists.cur);
      t_lists.cur = t_lists.end = nullptr;
    }
  }
};
thread_local Reaper* t_reaper = nullptr;

// Refills the thread's list for class c from the orphan pool, or its chunk rest; false if neither has any.
bool adopt(std::size_t c) {
  auto& o = orphans();
  const std::lock_guard lock(o.mutex);
  if (!o.lists[c].empty()) {
    const Segment s = o.lists[c].back();
    o.lists[c].pop_back();
    o.bytes -= s.count * block_size(c);
    t_lists.head[c] = s.head;
    return true;
  }
  if (!o.spans.empty()) {
    const Span s = o.spans.back();
    o.spans.pop_back();
    o.bytes -= static_cast<std::size_t>(s.end - s.cur);
    t_lists.cur = s.cur;
    t_lists.end = s.end;
  }
  return false;
}
}  // namespace

void* allocate_slow(std::size_t size) {
  const std::size_t c = class_of(size);
  if (c >= kClasses) return ::operator new(size);
  if (!kEnabled) return ::operator new(block_size(c));
  // After the reaper ran, malloc's block will do: a free list takes any block of its class's size.
  if (t_lists.closed) return ::operator new(block_size(c));
  if (!t_reaper) {
    static thread_local Reaper reaper;
    t_reaper = &reaper;
  }
  const std::size_t bytes = block_size(c);
  if (static_cast<std::size_t>(t_lists.end - t_lists.cur) < bytes) {
    if (adopt(c)) return pool_allocate(size);
    if (static_cast<std::size_t>(t_lists.end - t_lists.cur) < bytes) {
      // The rest of the old chunk (under one block) is dropped: at most 512 of 256 KiB.
      t_lists.cur = static_cast<char*>(::operator new(kChunk));
      t_lists.end = t_lists.cur + kChunk;
    }
  }
  return std::exchange(t_lists.cur, t_lists.cur + bytes);
}

void deallocate_slow(void* p, std::size_t size) noexcept {
  const std::size_t c = class_of(size);
  if (!kEnabled || c >= kClasses) {
    ::operator delete(p);
    return;
  }
  if (!p) return;
  // Freed after this thread's reaper ran (a later thread_local destructor): chunk blocks cannot go
  // back to malloc, so the block joins the orphan pool.
  auto& o = orphans();
  const std::lock_guard lock(o.mutex);
  o.lists[c].push_back({new (p) FreeBlock{nullptr}, 1});
  o.bytes += block_size(c);
}

std::size_t free_bytes() noexcept {
  std::size_t n = static_cast<std::size_t>(t_lists.end - t_lists.cur);
  // Walking the lists keeps the allocation fast paths free of a count to maintain.
  for (std::size_t c = 0; c < kClasses; ++c)
    for (const FreeBlock* b = t_lists.head[c]; b; b = b->next) n += block_size(c);
  auto& o = orphans();
  const std::lock_guard lock(o.mutex);
  return n + o.bytes;
}

}  // namespace asyncio::detail::pool
