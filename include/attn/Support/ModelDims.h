//===- ModelDims.h - which input dims are B and T ---------------*- C++ -*-===//
//
// The FLOP count of a compiled model is a polynomial in the batch size B and
// the sequence length T of its first input (the manifest's "flops"). The
// cost model that makes it, attn-bind-params that records it, and the
// manifest readers that evaluate it (attn-run, Python) must agree on which
// dims those are: B is dim 0; T is dim 1 of an encoder's [B, T, D] and the
// second-to-last dim of attention's own [B, H, T, d].
//
// Header-only so that the analysis, the pipelines and the runtime share it
// without a link dependency between them.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_SUPPORT_MODELDIMS_H
#define ATTN_SUPPORT_MODELDIMS_H

#include <cstddef>

namespace mlir::attn {

/// The dim of the first input that stands for B (when its rank is 2 or
/// more).
constexpr size_t kBatchDim = 0;

/// The dim of a first input of rank `rank` (2 or more) that stands for T.
constexpr size_t sequenceDim(size_t rank) { return rank >= 4 ? rank - 2 : 1; }

} // namespace mlir::attn

#endif // ATTN_SUPPORT_MODELDIMS_H
