#pragma once
// Per-thread free lists for the loop's small, short-lived objects (handles, futures, tasks, coroutine
// frames). A task's life allocates several of them and frees them within a few loop iterations; with
// thousands live, glibc's malloc falls through its small caches into the slow bins, which measured as
// the largest single cost of spawning a task (asyncio-bench). Blocks are recycled by 16-byte size
// class and carved from large chunks, so a block costs no malloc header (16 bytes on each task and
// coroutine frame). A block freed on another thread joins that thread's list; that is safe because
// chunks are never returned to malloc. When a thread exits, its free blocks and the rest of its
// current chunk go to a process-wide orphan pool that threads allocating later take from, so memory
// stays bounded by the peak in use rather than growing with every thread. The fast paths are inline:
// the pool is hit several times per task.
#include <cstddef>
#include <cstdint>
#include <new>

namespace asyncio::detail {

namespace pool {
inline constexpr std::size_t kGranule = 16;
inline constexpr std::size_t kClasses = 32;  // blocks up to 512 bytes
inline constexpr std::size_t kChunk = 256 * 1024;
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kEnabled = false;  // let AddressSanitizer see every use after free
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kEnabled = false;
#else
inline constexpr bool kEnabled = true;
#endif
#else
inline constexpr bool kEnabled = true;
#endif

struct FreeBlock {
  FreeBlock* next;
};
// Trivially destructible, so reaching it costs no thread_local guard; the blocks are freed at thread
// exit by a guard object the slow path registers.
struct Lists {
  FreeBlock* head[kClasses];
  char* cur;  // the unused rest of the current chunk: [cur, end)
  char* end;
  bool closed;  // the thread is exiting: frees go to the orphan pool
};
inline thread_local Lists t_lists{};

/// Blocks are always allocated at their class's size, whichever path frees them.
inline std::size_t class_of(std::size_t size) noexcept { return size ? (size - 1) / kGranule : 0; }
void* allocate_slow(std::size_t size);
void deallocate_slow(void* p, std::size_t size) noexcept;
/// Bytes the calling thread's pool and the orphan pool hold free (for heap-in-use measurements; it
/// walks the free lists).
std::size_t free_bytes() noexcept;
}  // namespace pool

/// `size` bytes from the calling thread's pool (or ::operator new for large sizes).
inline void* pool_allocate(std::size_t size) {
  using namespace pool;
  const std::size_t c = class_of(size);
  if (kEnabled && c < kClasses) {
    if (FreeBlock* b = t_lists.head[c]) {
      // The list is in the order blocks were freed, scattered when thousands of tasks finished in
      // timer order: fetch the next block now, or the next allocation waits for it.
      __builtin_prefetch(t_lists.head[c] = b->next, 1);
      return b;
    }
  }
  return allocate_slow(size);
}

/// Returns a block of `size` bytes (the size it was allocated with) to the calling thread's pool.
inline void pool_deallocate(void* p, std::size_t size) noexcept {
  using namespace pool;
  const std::size_t c = class_of(size);
  if (kEnabled && c < kClasses && p && !t_lists.closed) {
    t_lists.head[c] = new (p) FreeBlock{t_lists.head[c]};
    return;
  }
  deallocate_slow(p, size);
}

/// A std allocator on the pool, for the small vectors hot paths grow and drop (done callbacks).
template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(pool_allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { pool_deallocate(p, n * sizeof(T)); }
  friend bool operator==(PoolAllocator, PoolAllocator) noexcept { return true; }
};

}  // namespace asyncio::detail
