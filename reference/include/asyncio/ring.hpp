#pragma once
// A FIFO of pointers on a power-of-two ring buffer that keeps its capacity: the loop's ready queue.
// std::deque allocated and freed a block every 64 handles as the queue filled and drained each
// iteration (asyncio-bench: spawning 10k tasks).
#include <cstddef>
#include <memory>
#include <utility>

namespace asyncio::detail {

template <class T>
class Ring {
 public:
  Ring() = default;
  Ring(Ring&& o) noexcept
      : buf_(std::move(o.buf_)), mask_(std::exchange(o.mask_, 0)), cap_(std::exchange(o.cap_, 0)),
        head_(std::exchange(o.head_, 0)), size_(std::exchange(o.size_, 0)) {}
  Ring& operator=(Ring&& o) noexcept {
    buf_ = std::move(o.buf_);
    mask_ = std::exchange(o.mask_, 0);
    cap_ = std::exchange(o.cap_, 0);
    head_ = std::exchange(o.head_, 0);
    size_ = std::exchange(o.size_, 0);
    return *this;
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  T& front() noexcept { return buf_[head_]; }
  /// The i-th element from the front.
  T& operator[](std::size_t i) noexcept { return buf_[(head_ + i) & mask_]; }
  void push_back(T v) {
    if (size_ == cap_) [[unlikely]] grow();
    buf_[(head_ + size_) & mask_] = std::move(v);
    ++size_;
  }
  void pop_front() noexcept {
    head_ = (head_ + 1) & mask_;
    --size_;
  }
  void clear() noexcept { head_ = size_ = 0; }

 private:
  void grow() {
    const std::size_t cap = cap_ ? cap_ * 2 : 64;
    auto next = std::make_unique<T[]>(cap);
    for (std::size_t i = 0; i < size_; ++i) next[i] = std::move((*this)[i]);
    buf_ = std::move(next);
    mask_ = cap - 1;
    cap_ = cap;
    head_ = 0;
  }

  std::unique_ptr<T[]> buf_;
  std::size_t mask_ = 0;
  std::size_t cap_ = 0;  // 0 while there is no buffer
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace asyncio::detail
