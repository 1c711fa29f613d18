/*===- Workspace.c - the compiled code's buffer allocator -----------------===*\
|*                                                                            *|
|* See Workspace.h. Blocks under ATTN_WORKSPACE_MIN_BYTES go straight to      *|
|* malloc, whose own bins recycle them. Larger ones (already the 96 KiB score *|
|* blocks of the flash loop: freed at the top of the heap, they make malloc   *|
|* trim it, and the next block faults its pages in again) are recorded in a   *|
|* table of live blocks (the free function gets only a pointer) and, when     *|
|* freed, kept in a small cache up to ATTN_WORKSPACE_MAX_CACHED bytes, oldest *|
|* evicted first. A request takes the smallest cached block that holds it and *|
|* wastes at most half of it. When either table is full a block is simply     *|
|* malloc'ed and freed: slower, never wrong.                                  *|
|*                                                                            *|
|* Blocks of 2 MiB or more (attention maps, activations, the parameters) are  *|
|* 2 MiB aligned, rounded up to whole 2 MiB and advised to the kernel as      *|
|* transparent huge pages (Debian enables them on madvise only): with 4 KiB   *|
|* pages a 17 MB map spans 4096 TLB entries, and a layer that walks its rows  *|
|* misses the TLB at every row. 2x8 encoder at T = 1024 on 1 thread, paired   *|
|* rounds: 0.88 -> 0.84 of the 1x16 time, which itself gained 1%.             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "Workspace.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/mman.h>

#define ATTN_WORKSPACE_MIN_BYTES ((size_t)32 << 10)
#define ATTN_WORKSPACE_MAX_CACHED ((size_t)2 << 30)
/* Large blocks are aligned for any vector load of the compiled code. */
#define ATTN_WORKSPACE_ALIGNMENT ((size_t)64)
#define ATTN_WORKSPACE_LIVE_BITS 12
#define ATTN_WORKSPACE_LIVE_SLOTS ((size_t)1 << ATTN_WORKSPACE_LIVE_BITS)
#define ATTN_WORKSPACE_CACHE_SLOTS 64
#define ATTN_HUGE_PAGE_BYTES ((size_t)2 << 20)

typedef struct {
  void *ptr;
  size_t bytes;
  uint64_t stamp; /* cache: when it was freed (oldest is evicted first) */
} block;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static block live[ATTN_WORKSPACE_LIVE_SLOTS];
static block cache[ATTN_WORKSPACE_CACHE_SLOTS];
static size_t cached_bytes;
static uint64_t clock_ticks;
static long live_models;

/* The live blocks: an open-addressing hash set of pointers (linear
   probing), so that the compiled code's hundreds of block temporaries per
   call cost O(1) each. Callers hold `lock`. */
static size_t live_slot(const void *ptr) {
  /* Fibonacci hashing: the top bits of the product. */
  uint64_t key = (uint64_t)(uintptr_t)ptr * 0x9E3779B97F4A7C15ull;
  return (size_t)(key >> (64 - ATTN_WORKSPACE_LIVE_BITS));
}

static size_t live_count;

static void record_live(void *ptr, size_t bytes) {
  /* Keep the table at most half full so that probes stay short; past that
     the block stays unrecorded and free() releases it. */
  if (live_count >= ATTN_WORKSPACE_LIVE_SLOTS / 2)
    return;
  size_t i = live_slot(ptr);
  while (live[i].ptr)
    i = (i + 1) & (ATTN_WORKSPACE_LIVE_SLOTS - 1);
  live[i].ptr = ptr;
  live[i].bytes = bytes;
  ++live_count;
}

/* Removes `ptr` from the live set; its size, or 0 when it is not there. */
static size_t forget_live(void *ptr) {
  size_t i = live_slot(ptr);
  while (live[i].ptr && live[i].ptr != ptr)
    i = (i + 1) & (ATTN_WORKSPACE_LIVE_SLOTS - 1);
  if (!live[i].ptr)
    return 0;
  size_t bytes = live[i].bytes;
  live[i].ptr = NULL;
  --live_count;
  /* Backward-shift deletion: move up every later entry of the probe run
     whose home slot its new place still reaches. */
  size_t hole = i;
  for (size_t j = (i + 1) & (ATTN_WORKSPACE_LIVE_SLOTS - 1); live[j].ptr;
       j = (j + 1) & (ATTN_WORKSPACE_LIVE_SLOTS - 1)) {
    size_t home = live_slot(live[j].ptr);
    size_t distance_hole = (hole - home) & (ATTN_WORKSPACE_LIVE_SLOTS - 1);
    size_t distance_j = (j - home) & (ATTN_WORKSPACE_LIVE_SLOTS - 1);
    if (distance_hole <= distance_j) {
      live[hole] = live[j];
      live[j].ptr = NULL;
      hole = j;
    }
  }
  return bytes;
}

static void evict(block *slot) {
  free(slot->ptr);
  cached_bytes -= slot->bytes;
  slot->ptr = NULL;
}

static void drain_cache(void) {
  for (size_t i = 0; i < ATTN_WORKSPACE_CACHE_SLOTS; ++i)
    if (cache[i].ptr)
      evict(&cache[i]);
}

/* The smallest cached block of at least `size` bytes and at most twice it,
   taken out of the cache. */
static void *take_cached(size_t size, size_t *bytes) {
  block *best = NULL;
  for (size_t i = 0; i < ATTN_WORKSPACE_CACHE_SLOTS; ++i) {
    block *b = &cache[i];
    if (b->ptr && b->bytes >= size && b->bytes / 2 <= size &&
        (!best || b->bytes < best->bytes))
      best = b;
  }
  if (!best)
    return NULL;
  void *ptr = best->ptr;
  *bytes = best->bytes;
  cached_bytes -= best->bytes;
  best->ptr = NULL;
  return ptr;
}

/* Keeps a freed block, evicting the oldest ones to make room; false when
   it is too large to keep. */
static int keep(void *ptr, size_t bytes) {
  if (bytes > ATTN_WORKSPACE_MAX_CACHED)
    return 0;
  for (;;) {
    block *empty = NULL, *oldest = NULL;
    for (size_t i = 0; i < ATTN_WORKSPACE_CACHE_SLOTS; ++i) {
      block *b = &cache[i];
      if (!b->ptr)
        empty = empty ? empty : b;
      else if (!oldest || b->stamp < oldest->stamp)
        oldest = b;
    }
    if (empty && cached_bytes + bytes <= ATTN_WORKSPACE_MAX_CACHED) {
      empty->ptr = ptr;
      empty->bytes = bytes;
      empty->stamp = ++clock_ticks;
      cached_bytes += bytes;
      return 1;
    }
    evict(oldest);
  }
}

void *attn_aligned_block(size_t alignment, size_t *size) {
  void *ptr = NULL;
  if (alignment < sizeof(void *))
    alignment = sizeof(void *);
  int huge = *size >= ATTN_HUGE_PAGE_BYTES;
  if (huge) {
    if (alignment < ATTN_HUGE_PAGE_BYTES)
      alignment = ATTN_HUGE_PAGE_BYTES;
    *size = (*size + ATTN_HUGE_PAGE_BYTES - 1) & ~(ATTN_HUGE_PAGE_BYTES - 1);
  }
  if (posix_memalign(&ptr, alignment, *size ? *size : 1) != 0)
    return NULL;
#ifdef MADV_HUGEPAGE
  /* Advice only: where the kernel declines, the pages stay 4 KiB. */
  if (huge)
    (void)madvise(ptr, *size, MADV_HUGEPAGE);
#endif
  return ptr;
}

static void *aligned_block(size_t alignment, size_t size) {
  return attn_aligned_block(alignment, &size);
}

void *attn_workspace_alloc(size_t alignment, size_t size) {
  if (size < ATTN_WORKSPACE_MIN_BYTES || alignment > ATTN_WORKSPACE_ALIGNMENT)
    return alignment ? aligned_block(alignment, size) : malloc(size ? size : 1);

  pthread_mutex_lock(&lock);
  size_t bytes = size;
  void *ptr = take_cached(size, &bytes);
  pthread_mutex_unlock(&lock);
  if (!ptr) {
    /* Outside the lock: other threads' cache hits need not wait for it. */
    bytes = size;
    ptr = attn_aligned_block(ATTN_WORKSPACE_ALIGNMENT, &bytes);
    if (!ptr) {
      /* What the cache holds may be what this request needs. */
      pthread_mutex_lock(&lock);
      int held = cached_bytes != 0;
      drain_cache();
      pthread_mutex_unlock(&lock);
      bytes = size;
      if (held)
        ptr = attn_aligned_block(ATTN_WORKSPACE_ALIGNMENT, &bytes);
    }
  }
  if (ptr) {
    pthread_mutex_lock(&lock);
    record_live(ptr, bytes);
    pthread_mutex_unlock(&lock);
  }
  return ptr;
}

void attn_workspace_free(void *ptr) {
  if (!ptr)
    return;
#ifdef __GLIBC__
  /* A block smaller than ATTN_WORKSPACE_MIN_BYTES never enters the tables
     (its usable size may round a request just under the minimum up to it:
     that block takes the locked path and is freed there). Without the lock
     the small buffers of the query and row blocks, freed by every thread
     at once, no longer take it: 1x16 at T = 1024 on 2 threads, the lock,
     its unlock and this function were 2.1% of the perf samples, now
     0.4%. */
  if (malloc_usable_size(ptr) < ATTN_WORKSPACE_MIN_BYTES) {
    free(ptr);
    return;
  }
#endif
  pthread_mutex_lock(&lock);
  size_t bytes = forget_live(ptr);
  int kept = bytes && live_models > 0 && keep(ptr, bytes);
  pthread_mutex_unlock(&lock);
  if (!kept)
    free(ptr);
}

void attn_workspace_retain(void) {
  pthread_mutex_lock(&lock);
  ++live_models;
  pthread_mutex_unlock(&lock);
}

void attn_workspace_release(void) {
  pthread_mutex_lock(&lock);
  if (--live_models <= 0) {
    live_models = 0;
    drain_cache();
  }
  pthread_mutex_unlock(&lock);
}

size_t attn_workspace_cached_bytes(void) {
  pthread_mutex_lock(&lock);
  size_t bytes = cached_bytes;
  pthread_mutex_unlock(&lock);
  return bytes;
}
