// Ref<T> on a type whose own API has a Python-named `release()` (Lock.release, Semaphore.release).
#include <gtest/gtest.h>

#include <asyncio/ref.hpp>

namespace asyncio::test {
namespace {

struct Releasable : RefCounted {
  int released = 0;
  void release() { ++released; }  // shadows RefCounted::release in the derived class
};

TEST(Ref, DerivedReleaseMethodDoesNotShadowTheCount) {
  auto r = make_ref<Releasable>();
  {
    Ref<Releasable> copy = r;
    EXPECT_EQ(r->ref_count(), 2u);
  }
  EXPECT_EQ(r->ref_count(), 1u);
  EXPECT_EQ(r->released, 0);
}

}  // namespace
}  // namespace asyncio::test
