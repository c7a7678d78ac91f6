#pragma once
// Intrusive, single-threaded reference counting for loop-owned objects (futures, tasks, handles, loops).
// The loop is single-threaded like CPython's, so the count is a plain integer.
#include <cstdint>
#include <type_traits>
#include <utility>

namespace asyncio {

class RefCounted {
 public:
  RefCounted() = default;
  RefCounted(const RefCounted&) = delete;
  RefCounted& operator=(const RefCounted&) = delete;
  virtual ~RefCounted() = default;

  void add_ref() noexcept { ++refs_; }
  void release() noexcept {
    if (--refs_ == 0) delete this;
  }
  std::uint32_t ref_count() const noexcept { return refs_; }
  /// release() when T is the object's exact type (a final class): the destructor is called directly.
  template <class T>
  static void release_exact(T* p) noexcept {
    static_assert(std::is_final_v<T>);
    if (--p->RefCounted::refs_ == 0) delete p;
  }

 private:
  std::uint32_t refs_ = 0;
};

/// Owning pointer to a RefCounted object.
template <class T>
class Ref {
 public:
  Ref() noexcept = default;
  Ref(std::nullptr_t) noexcept {}
  explicit Ref(T* p) noexcept : p_(p) {
    if (p_) p_->RefCounted::add_ref();
  }
  Ref(const Ref& o) noexcept : Ref(o.p_) {}
  Ref(Ref&& o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
  template <class U>
  Ref(const Ref<U>& o) noexcept : Ref(static_cast<T*>(o.get())) {}
  template <class U>
  Ref(Ref<U>&& o) noexcept : p_(o.detach()) {}
  ~Ref() {
    // Qualified: Python-named members (Lock.release) must not shadow the count.
    if (!p_) return;
    if constexpr (std::is_final_v<T>)
      RefCounted::release_exact(p_);
    else
      p_->RefCounted::release();
  }
  Ref& operator=(Ref o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }

  T* get() const noexcept { return p_; }
  T* operator->() const noexcept { return p_; }
  T& operator*() const noexcept { return *p_; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  T* detach() noexcept { return std::exchange(p_, nullptr); }
  /// Takes over a reference the caller already owns (the inverse of detach()).
  static Ref adopt(T* p) noexcept {
    Ref r;
    r.p_ = p;
    return r;
  }
  friend bool operator==(const Ref& a, const Ref& b) noexcept { return a.p_ == b.p_; }

 private:
  T* p_ = nullptr;
};

template <class T, class... Args>
Ref<T> make_ref(Args&&... args) {
  return Ref<T>(new T(std::forward<Args>(args)...));
}

}  // namespace asyncio
