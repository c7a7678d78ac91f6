// A third-party program using the installed package: find_package(aiospec) + aiospec::asyncio.
#include <asyncio/asyncio.hpp>
#include <cstdio>

asyncio::Coro<int> after(double seconds, int value) {
  co_await asyncio::sleep(seconds);
  co_return value;
}

asyncio::Coro<void> main_coro() {
  auto [a, b] = co_await asyncio::gather(after(2, 2), after(1, 1));
  std::printf("[%d, %d] at t=%.0f\n", a, b, asyncio::get_running_loop().time());
}

int main() { asyncio::run(main_coro()); }
