/*===- MemrefCopy.c - memref.copy for the compiled code -------------------===*\
|*                                                                            *|
|* finalize-memref-to-llvm lowers a memref.copy it cannot turn into a memcpy  *|
|* (strided layouts) to a call of memrefCopy. MLIR's own implementation lives *|
|* in libmlir_c_runner_utils, which a compiled model must not depend on: a    *|
|* model loads with libc, libm (and libomp) only (ModelGlue.c).               *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ATTN_HIDDEN __attribute__((visibility("hidden")))

/* An unranked memref as the LLVM lowering passes it. */
typedef struct {
  int64_t rank;
  void *descriptor; /* {allocated, aligned, offset, sizes[rank], strides[rank]} */
} unranked_memref;

ATTN_HIDDEN void memrefCopy(int64_t elem_size, unranked_memref *src,
                            unranked_memref *dst);

/* memref.copy between buffers of any layout (finalize-memref-to-llvm calls
   it for copies it cannot lower to a memcpy); MLIR's own implementation
   lives in libmlir_c_runner_utils, which a model must not depend on. */
void memrefCopy(int64_t elem_size, unranked_memref *src, unranked_memref *dst) {
  int64_t rank = src->rank;
  const int64_t *s = (const int64_t *)src->descriptor;
  const int64_t *d = (const int64_t *)dst->descriptor;
  char *src_ptr, *dst_ptr;
  uintptr_t bits;
  memcpy(&bits, &s[1], sizeof(bits));
  src_ptr = (char *)bits + s[2] * elem_size;
  memcpy(&bits, &d[1], sizeof(bits));
  dst_ptr = (char *)bits + d[2] * elem_size;
  if (rank == 0) {
    memcpy(dst_ptr, src_ptr, (size_t)elem_size);
    return;
  }
  const int64_t *sizes = &s[3];
  const int64_t *src_strides = &s[3 + rank];
  const int64_t *dst_strides = &d[3 + rank];
  int64_t total = 1;
  for (int64_t i = 0; i < rank; ++i) {
    if (sizes[i] == 0)
      return;
    total *= sizes[i];
  }
  /* The innermost dimension is copied as one block when both sides are
     contiguous in it. */
  int64_t inner = sizes[rank - 1];
  int contiguous_inner = src_strides[rank - 1] == 1 && dst_strides[rank - 1] == 1;
  int64_t block = contiguous_inner ? inner : 1;
  int64_t index[64] = {0};
  if (rank > 64)
    abort();
  int64_t src_off = 0, dst_off = 0;
  for (int64_t n = 0; n < total; n += block) {
    memcpy(dst_ptr + dst_off * elem_size, src_ptr + src_off * elem_size,
           (size_t)(block * elem_size));
    /* Advance the index by `block` elements. */
    int64_t dim = contiguous_inner ? rank - 2 : rank - 1;
    for (; dim >= 0; --dim) {
      ++index[dim];
      src_off += src_strides[dim];
      dst_off += dst_strides[dim];
      if (index[dim] < sizes[dim])
        break;
      src_off -= src_strides[dim] * sizes[dim];
      dst_off -= dst_strides[dim] * sizes[dim];
      index[dim] = 0;
    }
  }
}
