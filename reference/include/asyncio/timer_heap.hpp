#pragma once
// The loop's timer heap (base_events.py: BaseEventLoop._scheduled): Python's heapq, line for line,
// on (deadline, entry) pairs. heapq orders TimerHandles by `when` alone (events.py:
// TimerHandle.__lt__), so which of several equal deadlines comes out first depends on the exact sift
// steps; reproducing heapq's (not merely "a" binary heap's) keeps that tie order CPython's.
//
// Layout, for speed only: entries are 16 bytes and element 0 sits 16 bytes past a 64-byte boundary,
// so two siblings (2i+1, 2i+2) always share a cache line and the four grandchildren of i
// (4i+3 .. 4i+6) fill exactly one. heappop descends two levels per step from those two lines and
// prefetches the lines the next step can read. The sift loops choose the child without a branch.
// At 1M timers the heap is 16 MB: those misses were most of a pop.
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "asyncio/clock.hpp"

namespace asyncio::detail {

struct TimerEntry {
  Nanos when;
  std::uintptr_t entry;
};

class TimerHeap {
 public:
  TimerHeap() = default;
  TimerHeap(TimerHeap&& o) noexcept
      : block_(std::exchange(o.block_, nullptr)), data_(std::exchange(o.data_, nullptr)),
        size_(std::exchange(o.size_, 0)), cap_(std::exchange(o.cap_, 0)) {}
  TimerHeap& operator=(TimerHeap&& o) noexcept {
    std::swap(block_, o.block_);
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(cap_, o.cap_);
    return *this;
  }
  ~TimerHeap() { release(); }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  const TimerEntry& front() const noexcept { return data_[0]; }
  const TimerEntry* begin() const noexcept { return data_; }
  const TimerEntry* end() const noexcept { return data_ + size_; }
  void clear() noexcept { size_ = 0; }

  /// heapq.heappush
  void push(TimerEntry e) {
    if (size_ == cap_) grow();
    data_[size_] = e;
    sift_down(0, size_++);
  }

  /// heapq.heappop
  TimerEntry pop() noexcept {
    const TimerEntry last = data_[--size_];
    if (size_ == 0) return last;
    const TimerEntry top = data_[0];
    data_[0] = last;
    sift_up(0);
    return top;
  }

  /// Keeps the entries for which `drop` is false, in their order, then heapq.heapify: what
  /// _run_once's purge does with a list comprehension over _scheduled.
  template <class Drop>
  void filter_and_heapify(Drop drop) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < size_; ++i)
      if (!drop(data_[i])) data_[kept++] = data_[i];
    size_ = kept;
    for (std::size_t i = size_ / 2; i-- > 0;) sift_up(i);
  }

 private:
  // heapq._siftdown: move the item at `pos` up towards `start` while it is strictly earlier than
  // its parent (so an equal deadline stays below an earlier-pushed one).
  void sift_down(std::size_t start, std::size_t pos) noexcept {
    const TimerEntry item = data_[pos];
    while (pos > start) {
      const std::size_t parent = (pos - 1) >> 1;
      if (!(item.when < data_[parent].when)) break;
      data_[pos] = data_[parent];
      pos = parent;
    }
    data_[pos] = item;
  }

  // heapq._siftup: move the smaller child up until `pos` is a leaf (the right child on ties:
  // `if rightpos < endpos and not heap[childpos] < heap[rightpos]`), put the item there, then
  // _siftdown it.
  void sift_up(std::size_t pos) noexcept {
    const std::size_t start = pos;
    const TimerEntry item = data_[pos];
    // Two levels per step while pos has all four grandchildren: both cache lines are read at once
    // and both choices made from them, so the loads of one step wait on one comparison chain, not
    // two. The choices are _siftup's own: the right child on ties, at each level.
    while (4 * pos + 6 < size_) {
      const std::size_t c = 2 * pos + 1, g = 4 * pos + 3;
      // The next step reads two of these six lines: the children (8i+7 ..) and grandchildren
      // (16i+15 ..) of whichever grandchild this step chooses.
      if (16 * pos + 30 < size_) {
        __builtin_prefetch(&data_[8 * pos + 7]);
        __builtin_prefetch(&data_[8 * pos + 11]);
        __builtin_prefetch(&data_[16 * pos + 15]);
        __builtin_prefetch(&data_[16 * pos + 19]);
        __builtin_prefetch(&data_[16 * pos + 23]);
        __builtin_prefetch(&data_[16 * pos + 27]);
      }
      const bool right = !(data_[c].when < data_[c + 1].when);
      // Selected with a mask: written as `right ? a : b`, GCC branches, and mispredicts half the time.
      const Nanos mask = -static_cast<Nanos>(right);
      const Nanos k0 = (data_[g + 2].when & mask) | (data_[g].when & ~mask);
      const Nanos k1 = (data_[g + 3].when & mask) | (data_[g + 1].when & ~mask);
      const std::size_t child = c + right;
      const std::size_t grandchild = g + 2 * right + !(k0 < k1);
      data_[pos] = data_[child];
      data_[child] = data_[grandchild];
      pos = grandchild;
    }
    std::size_t child = 2 * pos + 1;
    while (child + 1 < size_) {
      child += !(data_[child].when < data_[child + 1].when);
      data_[pos] = data_[child];
      pos = child;
      child = 2 * pos + 1;
    }
    if (child < size_) {  // a last, lone left child
      data_[pos] = data_[child];
      pos = child;
    }
    data_[pos] = item;
    sift_down(start, pos);
  }

  void grow() {
    const std::size_t cap = cap_ ? cap_ * 2 : 64;
    auto* block = static_cast<std::byte*>(::operator new(16 + cap * sizeof(TimerEntry), std::align_val_t{64}));
    auto* data = reinterpret_cast<TimerEntry*>(block + 16);
    for (std::size_t i = 0; i < size_; ++i) data[i] = data_[i];
    release();
    block_ = block;
    data_ = data;
    cap_ = cap;
  }
  void release() noexcept {
    if (block_) ::operator delete(block_, std::align_val_t{64});
  }

  std::byte* block_ = nullptr;
  TimerEntry* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t cap_ = 0;
};

}  // namespace asyncio::detail
