#pragma once
// Running one test body on both networks: the kernel's loopback (a real-time loop on epoll) and the
// simulated network (a virtual-time loop). The traces asserted are CPython 3.11's on real loopback.
#include <gtest/gtest.h>

#include <dirent.h>

#include <string>

#include <asyncio/asyncio.hpp>

#include "loop_support.hpp"

namespace asyncio::test {

enum class Net { real, simulated };

inline std::string net_name(const testing::TestParamInfo<Net>& info) {
  return info.param == Net::real ? "Loopback" : "Simulated";
}

/// The open descriptors of this process (for leak checks on the real network).
inline int open_fds() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d)) ++n;
    closedir(d);
  }
  return n;
}

class NetTest : public testing::TestWithParam<Net> {
 protected:
  /// asyncio.run(main()) on this test's network.
  template <class T>
  T run(Coro<T> main) {
    Runner runner(GetParam() == Net::real ? &new_real_time_event_loop : &new_event_loop);
    if constexpr (std::is_void_v<T>) {
      runner.run(std::move(main));
      runner.close();
    } else {
      T r = runner.run(std::move(main));
      runner.close();
      return r;
    }
  }
  void SetUp() override { fds_before_ = open_fds(); }
  void TearDown() override {
    if (GetParam() == Net::real) {
      EXPECT_EQ(open_fds(), fds_before_) << "descriptors leaked";
    }
  }

 private:
  int fds_before_ = 0;
};

/// The port of a server's first socket.
inline int server_port(const Server& s) { return s.sockets().at(0).getsockname().port; }

}  // namespace asyncio::test
