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
inline constexpr std::size_t kProgramStackBytes = std::size_t{1} << 30;

// Runs `fn` on this thread on a stack of `bytes` of its own; its exceptions come back to the caller.
void run_with_stack(std::size_t bytes, const std::function<void()>& fn);

// True when this thread's stack has less than a safety margin left (a quarter of it, at most 4 MiB):
// the recursion stops there with an error instead of overflowing.
bool stack_nearly_full() noexcept;

// The bytes that operator new has handed to this thread since its budget was set and not yet taken
// back (blocks freed on another thread count there). Counting is a thread-local addition per
// allocation and release (malloc_usable_size).
std::int64_t thread_memory_in_use() noexcept;
// This thread's budget from now on (0: none). A single allocation larger than all of it throws
// std::bad_alloc (the interpreter's MemoryError); the interpreter checks the total at each step.
void set_thread_memory_budget(std::size_t bytes) noexcept;

}  // namespace aiospec
