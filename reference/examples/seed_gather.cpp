// The first seed example — three tasks gathered — on the reference loop, each line stamped with the
// loop's virtual time:
//
//   async def task1(): print("Task 1 시작"); await asyncio.sleep(2); print("Task 1 완료")
//   ... task2 sleeps 1, task3 sleeps 3 ...
//   async def main(): await asyncio.gather(task1(), task2(), task3())
//   asyncio.run(main())
#include <fmt/core.h>

#include <asyncio/asyncio.hpp>

namespace {

void say(const char* text) { fmt::print("[{:6.3f}] {}\n", asyncio::get_running_loop().time(), text); }

asyncio::Coro<> task(const char* start, const char* end, double seconds) {
  say(start);
  co_await asyncio::sleep(seconds);
  say(end);
}

asyncio::Coro<> main_coro() {
  co_await asyncio::gather(task("Task 1 시작", "Task 1 완료", 2), task("Task 2 시작", "Task 2 완료", 1),
                           task("Task 3 시작", "Task 3 완료", 3));
}

}  // namespace

int main() { asyncio::run(main_coro()); }
