// The limits a program runs within: a stack of its own, the check that keeps recursion off its end,
// and the count of the memory its thread allocates (a replacement of the global operator new).
#include "aiospec/scenario/limits.hpp"

#include <malloc.h>
#include <pthread.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <new>
#include <stdexcept>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace aiospec {

namespace detail {
thread_local constinit const char* t_stack_floor = nullptr;
thread_local constinit std::int64_t t_in_use = 0;
thread_local constinit std::int64_t t_base = 0;
}  // namespace detail

using detail::t_base;
using detail::t_in_use;
using detail::t_stack_floor;

namespace {

thread_local std::size_t t_budget = 0;

// The lowest address recursion may reach on a stack: its end plus the margin.
const char* stack_floor(const void* low, std::size_t size) noexcept {
  return static_cast<const char*>(low) + std::min<std::size_t>(size / 4, std::size_t{4} << 20);
}

const char* compute_stack_floor() noexcept {
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return nullptr;
  pthread_attr_getstack(&attr, &addr, &size);
  pthread_attr_destroy(&attr);
  return stack_floor(addr, size);
}

// `align` 0: malloc's own alignment.
void* counted_alloc_nothrow(std::size_t n, std::size_t align) noexcept {
  // A single request beyond the whole budget fails, as CPython's malloc fails on one beyond the machine.
  if (t_budget && n > t_budget) return nullptr;
  void* p = nullptr;
  if (align <= alignof(std::max_align_t)) p = std::malloc(n ? n : 1);
  else if (posix_memalign(&p, align, n ? n : 1) != 0) p = nullptr;
  if (p) t_in_use += static_cast<std::int64_t>(malloc_usable_size(p));
  return p;
}

void* counted_alloc(std::size_t n, std::size_t align = 0) {
  void* p = counted_alloc_nothrow(n, align);
  if (!p) throw std::bad_alloc();
  return p;
}

void counted_free(void* p) noexcept {
  if (!p) return;
  t_in_use -= static_cast<std::int64_t>(malloc_usable_size(p));
  std::free(p);
}

}  // namespace

namespace {

// The function running on the other stack, and how it ended (makecontext passes no pointers).
struct StackJob {
  const std::function<void()>* fn;
  std::exception_ptr error;
  ucontext_t caller;
  const void* caller_stack = nullptr;  // for ASan's fiber switches
  std::size_t caller_size = 0;
};
thread_local StackJob* t_job = nullptr;

void run_job() {
  StackJob& job = *t_job;
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_finish_switch_fiber(nullptr, &job.caller_stack, &job.caller_size);
#endif
  try {
    (*job.fn)();
  } catch (...) {
    job.error = std::current_exception();
  }
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_start_switch_fiber(nullptr, job.caller_stack, job.caller_size);
#endif
}  // returns to job.caller (uc_link)

}  // namespace

void run_with_stack(std::size_t bytes, const std::function<void()>& fn) {
  // A stack switch, not a thread: the program keeps the thread's identity (the main thread's
  // event loop policy, signals, thread names). Pages are only committed as the recursion touches them.
  void* stack = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) throw std::bad_alloc();
  mprotect(stack, 4096, PROT_NONE);  // a guard page: an overflow faults instead of writing below
  StackJob job{&fn, nullptr, {}};
  ucontext_t callee;
  getcontext(&callee);
  callee.uc_stack.ss_sp = stack;
  callee.uc_stack.ss_size = bytes;
  callee.uc_link = &job.caller;
  makecontext(&callee, run_job, 0);
  StackJob* outer_job = std::exchange(t_job, &job);
  const char* outer_floor = std::exchange(t_stack_floor, stack_floor(stack, bytes));
#if defined(__SANITIZE_ADDRESS__)
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, stack, bytes);
#endif
  swapcontext(&job.caller, &callee);
#if defined(__SANITIZE_ADDRESS__)
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
  t_stack_floor = outer_floor;
  t_job = outer_job;
  munmap(stack, bytes);
  if (job.error) std::rethrow_exception(job.error);
}

namespace detail {
const char* init_stack_floor() noexcept {
  t_stack_floor = compute_stack_floor();
  return t_stack_floor;
}
}  // namespace detail

void set_thread_memory_budget(std::size_t bytes) noexcept {
  t_budget = bytes;
  t_base = t_in_use;
}

}  // namespace aiospec

// The global allocation functions, counting per thread. Every form is replaced, nothrow and aligned
// ones included: a sanitizer runtime provides its own operator new, and a form left to it would
// allocate with it while one of these frees with free().
void* operator new(std::size_t n) { return aiospec::counted_alloc(n); }
void* operator new[](std::size_t n) { return aiospec::counted_alloc(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return aiospec::counted_alloc_nothrow(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return aiospec::counted_alloc_nothrow(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return aiospec::counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return aiospec::counted_alloc(n, static_cast<std::size_t>(a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return aiospec::counted_alloc_nothrow(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return aiospec::counted_alloc_nothrow(n, static_cast<std::size_t>(a));
}
void operator delete(void* p) noexcept { aiospec::counted_free(p); }
void operator delete[](void* p) noexcept { aiospec::counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { aiospec::counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { aiospec::counted_free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { aiospec::counted_free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { aiospec::counted_free(p); }
void operator delete(void* p, std::align_val_t) noexcept { aiospec::counted_free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { aiospec::counted_free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { aiospec::counted_free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { aiospec::counted_free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { aiospec::counted_free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { aiospec::counted_free(p); }
