/*===- Workspace.h - the compiled code's buffer allocator -------*- C -*-===*\
|*                                                                            *|
|* Internal to the model runtime (ModelGlue.c). A compiled model allocates    *|
|* the same large temporaries (activations, attention maps) on every call.    *|
|* Returned to malloc, blocks that large go back to the kernel (mmap/munmap   *|
|* or a trimmed heap) and every call pays their page faults again, a third of *|
|* a reuse model's time at T = 1024. The workspace keeps freed large blocks   *|
|* and hands them out again, as PyTorch's and ONNX Runtime's arenas do.       *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_RUNTIME_MODELGLUE_WORKSPACE_H
#define ATTN_RUNTIME_MODELGLUE_WORKSPACE_H

#include <stddef.h>

#ifndef ATTN_HIDDEN
#define ATTN_HIDDEN __attribute__((visibility("hidden")))
#endif

/* A block of at least `*size` bytes aligned to `alignment` (a power of
   two), or NULL when memory is exhausted; free() releases it. From 2 MiB
   on, the block starts on a 2 MiB boundary, `*size` is rounded up to whole
   2 MiB and the kernel is asked for transparent huge pages. */
ATTN_HIDDEN void *attn_aligned_block(size_t alignment, size_t *size);

/* A block of `size` bytes aligned to `alignment` (a power of two; 0 for
   malloc's), or NULL when memory is exhausted. free() must not release it:
   attn_workspace_free does. */
ATTN_HIDDEN void *attn_workspace_alloc(size_t alignment, size_t size);

/* Releases a block of attn_workspace_alloc; any other malloc'ed pointer (or
   NULL) is passed to free(). Thread-safe, as the allocation is: OpenMP
   workers of the compiled code allocate too. */
ATTN_HIDDEN void attn_workspace_free(void *ptr);

/* One more (retain) or one less (release) live model in this library; the
   last release returns the cached blocks to malloc. */
ATTN_HIDDEN void attn_workspace_retain(void);
ATTN_HIDDEN void attn_workspace_release(void);

/* Bytes held in the cache (for tests). */
ATTN_HIDDEN size_t attn_workspace_cached_bytes(void);

#endif
