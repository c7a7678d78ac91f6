#pragma once
// asyncio.Queue, PriorityQueue, LifoQueue (asyncio/queues.py 3.11).
//
// Getters and putters are FIFO deques of futures. put_nowait wakes the first getter that is not done
// (popping it off the deque); the woken getter re-checks `while empty()`, so if another task took the
// item first it queues again at the tail. get_nowait wakes the first putter the same way.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "asyncio/locks.hpp"

namespace asyncio {

namespace detail {
/// queues.py: Queue._wakeup_next — pop waiters until one that is not done, and wake it.
void wakeup_next(Waiters& waiters);

/// Python's repr() of a queued item, for Queue.repr(). Overload `py_value_repr` for your own types
/// (found by argument-dependent lookup); other types print as `<object at 0x...>`.
inline std::string py_value_repr(const std::string& s) { return py_repr(s); }
inline std::string py_value_repr(const char* s) { return py_repr(s); }
inline std::string py_value_repr(bool b) { return b ? "True" : "False"; }
template <class I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>, int> = 0>
std::string py_value_repr(I i) {
  return std::to_string(i);
}
template <class... Ts>
std::string py_value_repr(const std::tuple<Ts...>& t);
template <class A, class B>
std::string py_value_repr(const std::pair<A, B>& p);

template <class V>
std::string item_repr(const V& v) {
  if constexpr (requires { py_value_repr(v); }) {
    return py_value_repr(v);
  } else {
    char buf[48];
    std::snprintf(buf, sizeof buf, "<object at %#zx>", reinterpret_cast<std::size_t>(&v));
    return buf;
  }
}

template <class... Ts>
std::string py_value_repr(const std::tuple<Ts...>& t) {
  std::string out = "(";
  std::apply(
      [&](const auto&... v) {
        std::size_t i = 0;
        ((out += (i++ ? ", " : ""), out += item_repr(v)), ...);
      },
      t);
  return out + (sizeof...(Ts) == 1 ? ",)" : ")");
}
template <class A, class B>
std::string py_value_repr(const std::pair<A, B>& p) {
  return "(" + item_repr(p.first) + ", " + item_repr(p.second) + ")";
}
}  // namespace detail

template <class T>
class Queue : public LoopBoundMixin {
 public:
  using value_type = T;
  /// maxsize <= 0: unbounded.
  explicit Queue(long maxsize = 0) : maxsize_(maxsize) { finished_.set(); }

  std::size_t qsize() const noexcept { return queue_.size(); }
  long maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return queue_.empty(); }
  bool full() const noexcept { return maxsize_ > 0 && qsize() >= static_cast<std::size_t>(maxsize_); }

  /// Queue.put: waits while full.
  Coro<void> put(T item) {
    auto keep = keep_alive();
    while (full()) {
      auto putter = make_ref<FutureState<void>>(get_loop());
      putters_.push_back(putter);
      if (auto error = co_await detail::await_waiter(putter)) {
        putter->cancel();  // in case it is not done yet
        detail::remove_waiter(putters_, putter);
        if (!full() && !putter->cancelled()) detail::wakeup_next(putters_);
        std::rethrow_exception(error);
      }
    }
    put_nowait(std::move(item));
  }
  /// Queue.put_nowait: QueueFull() when full.
  void put_nowait(T item) {
    if (full()) throw QueueFull();
    put_item(std::move(item));
    ++unfinished_tasks_;
    finished_.clear();
    detail::wakeup_next(getters_);
  }
  /// Queue.get: waits while empty; a woken getter that finds the queue empty again waits at the tail.
  Coro<T> get() {
    auto keep = keep_alive();
    while (empty()) {
      auto getter = make_ref<FutureState<void>>(get_loop());
      getters_.push_back(getter);
      if (auto error = co_await detail::await_waiter(getter)) {
        getter->cancel();  // in case it is not done yet
        detail::remove_waiter(getters_, getter);
        if (!empty() && !getter->cancelled()) detail::wakeup_next(getters_);
        std::rethrow_exception(error);
      }
    }
    co_return get_nowait();
  }
  /// Queue.get_nowait: QueueEmpty() when empty.
  T get_nowait() {
    if (empty()) throw QueueEmpty();
    T item = get_item();
    detail::wakeup_next(putters_);
    return item;
  }
  /// ValueError('task_done() called too many times').
  void task_done() {
    if (unfinished_tasks_ <= 0) throw ValueError("task_done() called too many times");
    if (--unfinished_tasks_ == 0) finished_.set();
  }
  /// Waits until every item put has been matched by a task_done().
  Coro<void> join() {
    auto keep = keep_alive();
    if (unfinished_tasks_ > 0) co_await finished_.wait();
  }
  std::uint64_t unfinished_tasks() const noexcept { return unfinished_tasks_; }
  /// The items in storage order (`list(q._queue)`; heap order for a PriorityQueue).
  const std::deque<T>& items() const noexcept { return queue_; }

  /// `<Queue at 0x... maxsize=0 _queue=[1, 2] _getters[1] tasks=2>`
  std::string repr() const override { return "<" + std::string(type_name()) + " at " + address() + " " + format() + ">"; }
  /// str(queue): `<Queue maxsize=0 tasks=2>`
  std::string str() const { return "<" + std::string(type_name()) + " " + format() + ">"; }

 protected:
  virtual const char* type_name() const noexcept { return "Queue"; }
  // queues.py: _put / _get, overridden by the subclasses.
  virtual void put_item(T item) { queue_.push_back(std::move(item)); }
  virtual T get_item() {
    T item = std::move(queue_.front());
    queue_.pop_front();
    return item;
  }
  std::deque<T> queue_;

 private:
  std::string format() const {
    std::string result = "maxsize=" + std::to_string(maxsize_);
    if (!queue_.empty()) {
      result += " _queue=[";
      for (std::size_t i = 0; i < queue_.size(); ++i) result += (i ? ", " : "") + detail::item_repr(queue_[i]);
      result += "]";
    }
    if (!getters_.empty()) result += " _getters[" + std::to_string(getters_.size()) + "]";
    if (!putters_.empty()) result += " _putters[" + std::to_string(putters_.size()) + "]";
    if (unfinished_tasks_) result += " tasks=" + std::to_string(unfinished_tasks_);
    return result;
  }

  long maxsize_;
  detail::Waiters getters_, putters_;
  std::uint64_t unfinished_tasks_ = 0;
  Event finished_;
};

/// Lowest first, heap-ordered exactly like heapq: std::push_heap/pop_heap with a comparator that only
/// asks `a < b` make the same comparisons in the same order, so equal-priority items come out as in
/// CPython.
template <class T>
class PriorityQueue final : public Queue<T> {
 public:
  using Queue<T>::Queue;

 protected:
  const char* type_name() const noexcept override { return "PriorityQueue"; }
  void put_item(T item) override {
    this->queue_.push_back(std::move(item));
    std::push_heap(this->queue_.begin(), this->queue_.end(), greater);
  }
  T get_item() override {
    std::pop_heap(this->queue_.begin(), this->queue_.end(), greater);
    T item = std::move(this->queue_.back());
    this->queue_.pop_back();
    return item;
  }

 private:
  static bool greater(const T& a, const T& b) { return b < a; }
};

/// Most recently added first.
template <class T>
class LifoQueue final : public Queue<T> {
 public:
  using Queue<T>::Queue;

 protected:
  const char* type_name() const noexcept override { return "LifoQueue"; }
  T get_item() override {
    T item = std::move(this->queue_.back());
    this->queue_.pop_back();
    return item;
  }
};

}  // namespace asyncio
