//===- WorkspaceTest.cpp - the model runtime's buffer cache ----------------===//
//
// lib/Runtime/ModelGlue/Workspace.c, compiled into this test: large blocks
// come back on the next request while a model lives, small and foreign ones
// go to malloc and free, and the last model's release empties the cache.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "Workspace.h"
}

// Under AddressSanitizer (scripts/test-sanitizers.sh) an impossible
// allocation aborts unless this is set; the workspace must see NULL, as it
// does from glibc.
extern "C" const char *__asan_default_options() {
  return "allocator_may_return_null=1";
}

namespace {
constexpr size_t kLarge = size_t(4) << 20;

/// One live model for the test's duration, released (cache drained) after.
struct LiveModel {
  LiveModel() { attn_workspace_retain(); }
  ~LiveModel() { attn_workspace_release(); }
};

TEST(Workspace, LargeBlockIsReusedWhileAModelLives) {
  LiveModel model;
  void *first = attn_workspace_alloc(64, kLarge);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % 64, 0u);
  std::memset(first, 1, kLarge);
  attn_workspace_free(first);
  EXPECT_EQ(attn_workspace_cached_bytes(), kLarge);
  // The same size, and a smaller one that wastes under half, take it.
  void *again = attn_workspace_alloc(0, kLarge - 1000);
  EXPECT_EQ(again, first);
  EXPECT_EQ(attn_workspace_cached_bytes(), 0u);
  attn_workspace_free(again);
}

TEST(Workspace, HugePageSizedBlocksStartOnAHugePage) {
  LiveModel model;
  constexpr size_t kHuge = size_t(2) << 20;
  // 3 MiB: 2 MiB aligned, and kept as the 4 MiB it was rounded up to.
  void *block = attn_workspace_alloc(64, 3 * (kHuge / 2));
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % kHuge, 0u);
  std::memset(block, 1, 2 * kHuge);
  attn_workspace_free(block);
  EXPECT_EQ(attn_workspace_cached_bytes(), 2 * kHuge);
  attn_workspace_free(attn_workspace_alloc(0, 2 * kHuge));
}

TEST(Workspace, AlignedBlocksRoundOnlyLargeSizes) {
  size_t small = 1000;
  void *a = attn_aligned_block(64, &small);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(small, 1000u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
  std::free(a);
  size_t large = (size_t(2) << 20) + 1;
  void *b = attn_aligned_block(64, &large);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(large, size_t(4) << 20);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % (size_t(2) << 20), 0u);
  std::free(b);
}

TEST(Workspace, BlockTooLargeForTheRequestIsNotHandedOut) {
  LiveModel model;
  void *big = attn_workspace_alloc(0, 4 * kLarge);
  attn_workspace_free(big);
  void *small = attn_workspace_alloc(0, kLarge);
  EXPECT_NE(small, big);
  EXPECT_EQ(attn_workspace_cached_bytes(), 4 * kLarge);
  attn_workspace_free(small);
}

TEST(Workspace, SmallAndForeignBlocksAreFreedNotCached) {
  LiveModel model;
  void *small = attn_workspace_alloc(16, 1024);
  ASSERT_NE(small, nullptr);
  attn_workspace_free(small);
  // What the compiled code of a pipeline without the generic allocation
  // functions returns: plain malloc.
  attn_workspace_free(std::malloc(kLarge));
  attn_workspace_free(nullptr);
  EXPECT_EQ(attn_workspace_cached_bytes(), 0u);
}

TEST(Workspace, BlocksFromTheMinimumSizeOnAreCached) {
  LiveModel model;
  // The small blocks' free skips the tables by their usable size: a block
  // of the minimum size (32 KiB) must still be recognised and kept.
  const size_t minimum = size_t(32) << 10;
  attn_workspace_free(attn_workspace_alloc(0, minimum - 64));
  EXPECT_EQ(attn_workspace_cached_bytes(), 0u);
  attn_workspace_free(attn_workspace_alloc(0, minimum));
  EXPECT_EQ(attn_workspace_cached_bytes(), minimum);
}

TEST(Workspace, LastReleaseDrainsTheCache) {
  {
    LiveModel model;
    attn_workspace_free(attn_workspace_alloc(0, kLarge));
    {
      LiveModel other;
      EXPECT_EQ(attn_workspace_cached_bytes(), kLarge);
    }
    // One model still lives: the cache stays.
    EXPECT_EQ(attn_workspace_cached_bytes(), kLarge);
  }
  EXPECT_EQ(attn_workspace_cached_bytes(), 0u);
  // With no model alive nothing is kept.
  attn_workspace_free(attn_workspace_alloc(0, kLarge));
  EXPECT_EQ(attn_workspace_cached_bytes(), 0u);
}

TEST(Workspace, ManyDistinctSizesEvictTheOldest) {
  LiveModel model;
  // More sizes than the cache has slots (dynamic T): every size is
  // served, the cache stays bounded.
  for (size_t i = 0; i < 200; ++i) {
    size_t size = kLarge + i * 4096 * 300;
    void *ptr = attn_workspace_alloc(0, size);
    ASSERT_NE(ptr, nullptr);
    attn_workspace_free(ptr);
  }
  EXPECT_GT(attn_workspace_cached_bytes(), 0u);
  EXPECT_LE(attn_workspace_cached_bytes(), size_t(2) << 30);
}

TEST(Workspace, ThreadsAllocateAndFreeConcurrently) {
  LiveModel model;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < 200; ++i) {
        size_t size = kLarge / 4 + size_t(t) * 65536;
        auto *ptr = static_cast<unsigned char *>(attn_workspace_alloc(0, size));
        ASSERT_NE(ptr, nullptr);
        ptr[0] = ptr[size - 1] = static_cast<unsigned char>(i);
        attn_workspace_free(ptr);
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_LE(attn_workspace_cached_bytes(), size_t(2) << 30);
}

TEST(Workspace, ImpossibleRequestReturnsNull) {
  LiveModel model;
  EXPECT_EQ(attn_workspace_alloc(0, SIZE_MAX / 2), nullptr);
  EXPECT_EQ(attn_workspace_alloc(64, SIZE_MAX / 2), nullptr);
}
} // namespace
