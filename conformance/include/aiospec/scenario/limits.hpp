// The limits a program runs within (spec/language.md, "Limits"): the C++ stack the parser and the
// interpreter recurse on, and the memory a program's thread allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace aiospec {

// CPython 3.11's front-end limits.
inline constexpr int kMaxParenLevel = 200;       // Parser/tokenizer.h MAXLEVEL: "too many nested parentheses"
inline constexpr int kMaxIndentLevel = 100;      // Parser/tokenizer.h MAXINDENT: "too many levels of indentation"
inline constexpr int kMaxStaticBlocks = 20;      // Include/cpython/code.h CO_MAXBLOCKS: "too many statically nested blocks"
inline constexpr int kMaxParserLevel = 6000;     // Parser/parser.c MAXSTACK: the parser's MemoryError
inline constexpr int kMaxCompileDepth = 3000;    // Python/symtable.c: the recursion limit × COMPILER_STACK_FRAME_SCALE

// The stack the interpreter runs a program on: past its margin, recursion raises RecursionError
// whatever sys.setrecursionlimit() allows.
#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer unpoisons at most 64 MiB of the current stack when an exception is thrown
// (asan_rtl.cpp: __asan_handle_no_return) and fails a check on a larger one.
inline constexpr std::size_t kProgramStackBytes = std::size_t{60} << 20;
#else
inline constexpr std::size_t kProgramStackBytes = std::size_t{1} << 30;
#endif

// Runs `fn` on this thread on a stack of `bytes` of its own; its exceptions come back to the caller.
void run_with_stack(std::size_t bytes, const std::function<void()>& fn);

// Inline below because the interpreter checks both at every statement: thread-locals without a
// dynamic initializer, which other translation units read directly (no TLS wrapper call).
namespace detail {
extern thread_local constinit const char* t_stack_floor;  // null until this thread's first check
extern thread_local constinit std::int64_t t_in_use;
extern thread_local constinit std::int64_t t_base;  // t_in_use when the budget was set
const char* init_stack_floor() noexcept;
}  // namespace detail

// True when this thread's stack has less than a safety margin left (a quarter of it, at most 4 MiB):
// the recursion stops there with an error instead of overflowing.
inline bool stack_nearly_full() noexcept {
  const char* floor = detail::t_stack_floor ? detail::t_stack_floor : detail::init_stack_floor();
  return static_cast<const char*>(__builtin_frame_address(0)) < floor;
}

// The bytes that operator new has handed to this thread since its budget was set and not yet taken
// back (blocks freed on another thread count there). Counting is a thread-local addition per
// allocation and release (malloc_usable_size).
inline std::int64_t thread_memory_in_use() noexcept { return detail::t_in_use - detail::t_base; }
// This thread's budget from now on (0: none). A single allocation larger than all of it throws
// std::bad_alloc (the interpreter's MemoryError); the interpreter checks the total at each step.
void set_thread_memory_budget(std::size_t bytes) noexcept;

}  // namespace aiospec
