/*===- Allocation.c - the compiled code's memref.alloc and free -----------===*\
|*                                                                            *|
|* attn-cpu-pipeline lowers memref.alloc and memref.dealloc to the generic    *|
|* allocation functions of finalize-memref-to-llvm, defined here on the       *|
|* workspace (Workspace.h).                                                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "RuntimeErrors.h"
#include "Workspace.h"

#include "attn/Runtime/ModelApi.h"

#include <stddef.h>
#include <stdio.h>

#define ATTN_HIDDEN __attribute__((visibility("hidden")))

/* The allocation functions of finalize-memref-to-llvm{use-generic-functions}:
   memref.alloc of the compiled code lands here, so that an allocation that
   fails (a sequence too long for this machine's memory) is an error instead
   of a store through NULL. Both come from the workspace (Workspace.h), which
   keeps large blocks for the next call. */
ATTN_HIDDEN void *_mlir_memref_to_llvm_alloc(size_t size);
ATTN_HIDDEN void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment,
                                                     size_t size);
ATTN_HIDDEN void _mlir_memref_to_llvm_free(void *ptr);

static void *checked_allocation(void *ptr, size_t size) {
  if (!ptr) {
    char text[ATTN_RUNTIME_ERROR_BYTES];
    snprintf(text, sizeof(text),
             "out of memory: the compiled code could not allocate %zu bytes "
             "(the input is too large for this machine)",
             size);
    attn_raise_runtime_error(ATTN_ERR_OUT_OF_MEMORY, text);
  }
  return ptr;
}

void *_mlir_memref_to_llvm_alloc(size_t size) {
  return checked_allocation(attn_workspace_alloc(0, size), size);
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  return checked_allocation(attn_workspace_alloc(alignment, size), size);
}

void _mlir_memref_to_llvm_free(void *ptr) { attn_workspace_free(ptr); }
