//===- LowerAttend.cpp - attn.attend to a fused online-softmax kernel -----===//
//
// attn-gpu-lower-attend. One gpu.launch per attn.attend makes one pass over
// the keys and values per query tile (FlashAttention's online softmax, no
// tensor cores). A query row is owned by R consecutive threads (R = 1, 2,
// 4, ... chosen so that each keeps at most `values-per-thread` (32) query
// and accumulator values in registers: with 64, ptxas used 168 registers at
// dk = dv = 32 and 232 at dk = dv = 128 on sm_80); thread `sub` of a row
// owns the head dimensions d = sub + R * k:
//
//   grid  = ceil(Tq / BQ) * B * H blocks of BQ * R threads; row i =
//           tile * BQ + tid / R of head (b, h)
//   q[dk/R], m, l, acc[dv/R] in registers
//   for kb in 0 .. keyEnd step BK:          keyEnd = Tk, or the last key the
//                                           tile sees when causal
//     Ks[BK][dk], Vs[BK][dv] <- K, V rows kb .. kb + BK (coalesced, zero
//                              filled past the end)           barrier
//     for j < BK (valid keys):
//       s = scale * (sum over the row's R threads of q . Ks[j], a butterfly
//           of gpu.shuffle xor) + mask; -inf past the diagonal if causal
//       S[tid][j] = s (each thread its own copy: no cross-thread hazard)
//     m' = max(m, max_j s),  alpha = exp(m - m')
//     l = l * alpha + sum_j exp(S[tid][j] - m')
//     acc = acc * alpha + sum_j exp(S[tid][j] - m') Vs[j]
//                                                                 barrier
//   out[b, h, i] = l == 0 ? 0 : acc / l
//
// f16 and bf16 operands are read into f32 and the output written back in
// their type: the kernel computes in f32 whatever it reads.
//
// Control flow is uniform across the block (rows past Tq compute with a
// zero query and store nothing), as the shuffles and barriers require. A
// row whose keys are all masked keeps m = -inf: alpha is then 1 and every
// exp term 0, so the row ends with l = 0 and output 0, as on the CPU.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "attn/Dialect/Attn/IR/AttnOps.h"
#include "attn/GPU/Passes.h"
#include "attn/GPU/Transforms.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPULOWERATTEND
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;
using namespace mlir::attn::gpu_detail;

namespace {

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// A static size of dimension `dim` among `values`, or kDynamic.
int64_t staticDim(ArrayRef<Value> values, unsigned dim) {
  for (Value v : values)
    if (!tensorType(v).isDynamicDim(dim))
      return tensorType(v).getDimSize(dim);
  return ShapedType::kDynamic;
}


/// Static shared memory available to a block.
constexpr int64_t kSharedMemoryBytes = 48 * 1024;

/// How the kernel splits the work, from the head widths and the options.
struct AttendGeometry {
  int64_t rowThreads = 1; ///< R: threads per query row
  int64_t blockQ = 0;     ///< query rows per block
  int64_t blockK = 0;     ///< keys staged per step
  int64_t threads() const { return blockQ * rowThreads; }
  static int64_t sharedBytes(int64_t dk, int64_t dv, int64_t blockQ,
                             int64_t rowThreads, int64_t blockK) {
    return 4 * (blockK * (dk + dv) + blockQ * rowThreads * (blockK + 1));
  }
};

std::optional<AttendGeometry> chooseGeometry(int64_t dk, int64_t dv,
                                             const AttendKernelOptions &options,
                                             std::string &reason) {
  AttendGeometry g;
  g.blockQ = options.blockQ;
  int64_t values = std::max<int64_t>(options.valuesPerThread, 1);
  while ((dk + dv) / g.rowThreads > values && g.rowThreads < 32 &&
         dk % (2 * g.rowThreads) == 0 && dv % (2 * g.rowThreads) == 0)
    g.rowThreads *= 2;
  if ((dk + dv) / g.rowThreads > std::max<int64_t>(2 * values, 64)) {
    reason = "dk = " + std::to_string(dk) + " and dv = " + std::to_string(dv) +
             " do not split into slices that fit in registers";
    return std::nullopt;
  }
  if (g.threads() > 1024) {
    reason = "block-q * threads per row exceeds 1024 threads";
    return std::nullopt;
  }
  g.blockK = options.blockK;
  while (g.blockK > 8 &&
         AttendGeometry::sharedBytes(dk, dv, g.blockQ, g.rowThreads, g.blockK) >
             kSharedMemoryBytes)
    g.blockK /= 2;
  if (AttendGeometry::sharedBytes(dk, dv, g.blockQ, g.rowThreads, g.blockK) >
      kSharedMemoryBytes) {
    reason = "the staged keys and values do not fit in 48 KB of shared "
             "memory";
    return std::nullopt;
  }
  return g;
}

struct AttendKernel {
  AttendKernel(AttendOp op, AttendGeometry geometry, int64_t dk, int64_t dv)
      : op(op), g(geometry), dk(dk), dv(dv),
        f32(Float32Type::get(op.getContext())),
        element(tensorType(op.getResult()).getElementType()) {}

  AttendOp op;
  AttendGeometry g;
  int64_t dk, dv;
  /// What the kernel computes in, and the operands' and result's type.
  Type f32, element;

  /// Buffers and run-time sizes, on the host.
  Value q, k, v, mask, out;
  Value batch, heads, queryLen, keyLen;

  void build(RewriterBase &rewriter);

private:
  void buildBody(OpBuilder &b, Location loc, gpu::LaunchOp launch,
                 Value queryTiles);
  /// Stages rows [kb, kb + keys) of `source` ([B, H, Tk, width]) in
  /// `shared` ([BK, width]), zero beyond.
  void stage(KernelBuilder &kb, Value shared, Value source, int64_t width,
             Value b, Value h, Value start, Value keys, Value tid);
  /// The logit of row `i` and key `j`: scale * q . k + mask, -inf past the
  /// diagonal when causal. Every thread of the row returns it.
  Value logit(KernelBuilder &kb, ArrayRef<Value> qSlice, Value keysShared,
              Value jl, Value sub, Value valid, Value b, Value h, Value i,
              Value j);
};

void AttendKernel::stage(KernelBuilder &kb, Value shared, Value source,
                         int64_t width, Value b, Value h, Value start,
                         Value keys, Value tid) {
  Value total = kb.idx(g.blockK * width);
  scf::ForOp::create(
      kb.b, kb.loc, tid, total, kb.idx(g.threads()), ValueRange{},
      [&](OpBuilder &lb, Location l, Value e, ValueRange) {
        KernelBuilder k(lb, l);
        Value row = k.div(e, k.idx(width)), col = k.rem(e, k.idx(width));
        Value value = k.toF32(
            k.loadIf(k.ult(row, keys), source,
                     ValueRange{b, h, k.add(start, row), col},
                     k.flt(element, 0.0)));
        memref::StoreOp::create(lb, l, value, shared, ValueRange{row, col});
        scf::YieldOp::create(lb, l);
      });
}

Value AttendKernel::logit(KernelBuilder &kb, ArrayRef<Value> qSlice,
                          Value keysShared, Value jl, Value sub, Value valid,
                          Value b, Value h, Value i, Value j) {
  // This thread's part of the dot product, then the row's sum.
  int64_t r = g.rowThreads;
  Value dot = kb.flt(f32, 0.0);
  for (auto [kIndex, qv] : llvm::enumerate(qSlice)) {
    int64_t first = r * static_cast<int64_t>(kIndex);
    Value d = r == 1 ? kb.idx(first) : kb.add(sub, kb.idx(first));
    Value kv =
        memref::LoadOp::create(kb.b, kb.loc, keysShared, ValueRange{jl, d});
    dot = kb.fma(qv, kv, dot);
  }
  for (int64_t offset = r / 2; offset >= 1; offset /= 2) {
    Value other = gpu::ShuffleOp::create(kb.b, kb.loc, dot, offset,
                                         /*width=*/32, gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    dot = kb.fadd(dot, other);
  }
  Value s = kb.fmul(dot, kb.flt(f32, op.getScaleValue()));
  Value negInf = kb.negInf(f32);
  if (mask) {
    auto maskType = cast<MemRefType>(mask.getType());
    int64_t rank = maskType.getRank();
    Value full[4] = {b, h, i, j};
    SmallVector<Value> indices;
    for (int64_t d = 0; d < rank; ++d)
      indices.push_back(maskType.getDimSize(d) == 1 ? kb.idx(0)
                                                    : full[4 - rank + d]);
    Type maskElement = maskType.getElementType();
    // Rows past Tq compute too (uniform control flow) but read no mask.
    Value fallback =
        maskElement.isInteger(1)
            ? arith::ConstantOp::create(kb.b, kb.loc, kb.b.getBoolAttr(true))
                  .getResult()
            : kb.flt(maskElement, 0.0);
    Value m = kb.loadIf(valid, mask, indices, fallback);
    s = maskElement.isInteger(1) ? kb.select(m, s, negInf)
                             : kb.fadd(s, kb.toF32(m));
  }
  if (op.getCausal()) {
    Value allowed =
        arith::CmpIOp::create(kb.b, kb.loc, arith::CmpIPredicate::ule, j, i);
    s = kb.select(allowed, s, negInf);
  }
  return s;
}

void AttendKernel::build(RewriterBase &rewriter) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  KernelBuilder host(rewriter, loc);
  q = readOnlyBuffer(rewriter, loc, op.getQuery());
  k = readOnlyBuffer(rewriter, loc, op.getKey());
  v = readOnlyBuffer(rewriter, loc, op.getValue());
  auto dim = [&](Value buffer, int64_t d) -> Value {
    return memref::DimOp::create(rewriter, loc, buffer, d);
  };
  batch = dim(q, 0);
  heads = dim(q, 1);
  queryLen = dim(q, 2);
  keyLen = dim(k, 2);

  // A dynamic mask dimension must equal the one it is matched with (no
  // run-time broadcasting), as in convert-attn-to-linalg.
  if (Value maskTensor = op.getMask()) {
    mask = readOnlyBuffer(rewriter, loc, maskTensor);
    int64_t rank = tensorType(maskTensor).getRank();
    Value full[4] = {batch, heads, queryLen, keyLen};
    for (int64_t d = 0; d < rank; ++d) {
      if (!tensorType(maskTensor).isDynamicDim(d))
        continue;
      cf::AssertOp::create(
          rewriter, loc, host.eq(dim(mask, d), full[4 - rank + d]),
          "attn mask dimension " + std::to_string(d) +
              " does not match [B, H, Tq, Tk]; a dynamic mask dimension "
              "must not broadcast");
    }
  }

  RankedTensorType resultType = tensorType(op.getResult());
  Value resultSizes[4] = {batch, heads, queryLen, host.idx(dv)};
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < 4; ++d)
    if (resultType.isDynamicDim(d))
      dynamicSizes.push_back(resultSizes[d]);
  out = memref::AllocOp::create(
      rewriter, loc,
      MemRefType::get(resultType.getShape(), resultType.getElementType()),
      dynamicSizes);

  Value queryTiles = host.ceilDiv(queryLen, host.idx(g.blockQ));
  Value blocks =
      host.max(host.mul(host.mul(queryTiles, batch), heads), host.idx(1));
  Value one = host.idx(1);
  SmallVector<Type> shared = {
      workgroupMemRef({g.blockK, dk}, f32),
      workgroupMemRef({g.blockK, dv}, f32),
      // One logit row per thread, padded against bank conflicts.
      workgroupMemRef({g.threads(), g.blockK + 1}, f32)};
  auto launch = gpu::LaunchOp::create(
      rewriter, loc, blocks, one, one, host.idx(g.threads()), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, shared, /*privateAttributions=*/{},
      /*clusterSizeX=*/nullptr, /*clusterSizeY=*/nullptr,
      /*clusterSizeZ=*/nullptr, /*module=*/nullptr,
      FlatSymbolRefAttr::get(rewriter.getContext(), "attn_attend_kernel"));
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(&launch.getBody().front());
    buildBody(rewriter, loc, launch, queryTiles);
  }
  rewriter.replaceOp(op, resultTensor(rewriter, loc, resultType, out));
}

void AttendKernel::buildBody(OpBuilder &b, Location loc, gpu::LaunchOp launch,
                             Value queryTiles) {
  KernelBuilder kb(b, loc);
  Value keysShared = launch.getWorkgroupAttributions()[0];
  Value valuesShared = launch.getWorkgroupAttributions()[1];
  Value logits = launch.getWorkgroupAttributions()[2];
  int64_t r = g.rowThreads;
  Value bq = kb.idx(g.blockQ), bk = kb.idx(g.blockK);
  Value zero = kb.idx(0), one = kb.idx(1);
  Value fzero = kb.flt(f32, 0.0), fone = kb.flt(f32, 1.0);
  Value negInf = kb.negInf(f32);

  Value bid = launch.getBlockIds().x, tid = launch.getThreadIds().x;
  Value tile = kb.rem(bid, queryTiles);
  Value bh = kb.div(bid, queryTiles);
  Value h = kb.rem(bh, heads), bi = kb.div(bh, heads);
  Value row = r == 1 ? tid : kb.div(tid, kb.idx(r));
  Value sub = r == 1 ? zero : kb.rem(tid, kb.idx(r));
  Value i = kb.add(kb.mul(tile, bq), row);
  Value valid = kb.ult(i, queryLen);
  // The head dimensions of this thread: sub + r * k.
  auto dim = [&](KernelBuilder &x, int64_t kIndex) {
    return r == 1 ? x.idx(kIndex) : x.add(sub, x.idx(r * kIndex));
  };

  // The query slice, in registers (zero past Tq).
  auto qIf = scf::IfOp::create(
      b, loc, valid,
      [&](OpBuilder &nb, Location nl) {
        KernelBuilder x(nb, nl);
        SmallVector<Value> slice;
        for (int64_t kIndex = 0; kIndex < dk / r; ++kIndex)
          slice.push_back(x.toF32(memref::LoadOp::create(
              nb, nl, q, ValueRange{bi, h, i, dim(x, kIndex)})));
        scf::YieldOp::create(nb, nl, slice);
      },
      [&](OpBuilder &nb, Location nl) {
        scf::YieldOp::create(nb, nl, SmallVector<Value>(dk / r, fzero));
      });
  SmallVector<Value> qSlice(qIf.getResults().begin(), qIf.getResults().end());

  // Causal: no query of the tile sees keys past its last row.
  Value keyEnd = keyLen;
  if (op.getCausal())
    keyEnd = kb.min(keyLen, kb.mul(kb.add(tile, one), bq));

  SmallVector<Value> state = {negInf, fzero};
  state.append(dv / r, fzero);
  auto loop = scf::ForOp::create(
      b, loc, zero, keyEnd, bk, state,
      [&](OpBuilder &lb, Location l, Value start, ValueRange carried) {
        KernelBuilder x(lb, l);
        Value keys = x.min(bk, x.sub(keyEnd, start));
        stage(x, keysShared, this->k, dk, bi, h, start, keys, tid);
        stage(x, valuesShared, v, dv, bi, h, start, keys, tid);
        gpu::BarrierOp::create(lb, l);

        // Pass 1: the block's logits and their maximum.
        auto scores = scf::ForOp::create(
            lb, l, x.idx(0), keys, x.idx(1), ValueRange{negInf},
            [&](OpBuilder &sb, Location sl, Value jl, ValueRange mx) {
              KernelBuilder y(sb, sl);
              Value s = logit(y, qSlice, keysShared, jl, sub, valid, bi, h, i,
                              y.add(start, jl));
              memref::StoreOp::create(sb, sl, s, logits, ValueRange{tid, jl});
              scf::YieldOp::create(sb, sl, y.fmax(mx[0], s));
            });
        Value rowMax = carried[0];
        Value newMax = x.fmax(rowMax, scores.getResult(0));
        Value dead = x.foeq(newMax, negInf);
        Value alpha = x.select(dead, fone, x.exp(x.fsub(rowMax, newMax)));
        SmallVector<Value> scaled;
        for (Value value : carried.drop_front(1))
          scaled.push_back(x.fmul(value, alpha));

        // Pass 2: l and acc.
        auto apply = scf::ForOp::create(
            lb, l, x.idx(0), keys, x.idx(1), scaled,
            [&](OpBuilder &ab, Location al, Value jl, ValueRange acc) {
              KernelBuilder y(ab, al);
              Value s =
                  memref::LoadOp::create(ab, al, logits, ValueRange{tid, jl});
              Value p = y.select(dead, fzero, y.exp(y.fsub(s, newMax)));
              SmallVector<Value> next = {y.fadd(acc[0], p)};
              for (int64_t kIndex = 0; kIndex < dv / r; ++kIndex) {
                Value vv = memref::LoadOp::create(
                    ab, al, valuesShared, ValueRange{jl, dim(y, kIndex)});
                next.push_back(y.fma(p, vv, acc[1 + kIndex]));
              }
              scf::YieldOp::create(ab, al, next);
            });
        // Nobody overwrites the staged block before everyone is done.
        gpu::BarrierOp::create(lb, l);
        SmallVector<Value> next = {newMax};
        llvm::append_range(next, apply.getResults());
        scf::YieldOp::create(lb, l, next);
      });

  auto store = scf::IfOp::create(b, loc, valid, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(store.thenBlock());
    KernelBuilder x(b, loc);
    Value rowSum = loop.getResult(1);
    Value empty = x.foeq(rowSum, fzero);
    for (int64_t kIndex = 0; kIndex < dv / r; ++kIndex) {
      Value o =
          x.select(empty, fzero, x.fdiv(loop.getResult(2 + kIndex), rowSum));
      memref::StoreOp::create(b, loc, x.fromF32(o, element), out,
                              ValueRange{bi, h, i, dim(x, kIndex)});
    }
  }
  gpu::TerminatorOp::create(b, loc);
}

} // namespace

bool mlir::attn::canLowerAttendToKernel(AttendOp op,
                                        const AttendKernelOptions &options,
                                        std::string &reason) {
  SmallVector<Value> values = {op.getQuery(), op.getKey(), op.getValue(),
                               op.getResult()};
  Type element = tensorType(op.getResult()).getElementType();
  if (!element.isF32() && !element.isF16() && !element.isBF16()) {
    reason = "the element type is not f32, f16 or bf16";
    return false;
  }
  for (Value value : values) {
    if (tensorType(value).getElementType() != element) {
      reason = "the operands and the result differ in element type";
      return false;
    }
  }
  if (Value mask = op.getMask()) {
    Type maskElement = tensorType(mask).getElementType();
    if (!maskElement.isF32() && !maskElement.isF16() &&
        !maskElement.isBF16() && !maskElement.isInteger(1)) {
      reason = "the mask is neither a float (f32, f16, bf16) nor i1";
      return false;
    }
    if (tensorType(mask).getRank() > 4) {
      reason = "the mask has rank above 4";
      return false;
    }
  }
  int64_t dk = staticDim({op.getQuery(), op.getKey()}, 3);
  int64_t dv = staticDim({op.getValue(), op.getResult()}, 3);
  if (ShapedType::isDynamic(dk) || ShapedType::isDynamic(dv)) {
    reason = "a head width (dk or dv) is dynamic";
    return false;
  }
  if (dk + dv > options.maxHeadWidth) {
    reason = "dk + dv = " + std::to_string(dk + dv) + " exceeds " +
             std::to_string(options.maxHeadWidth);
    return false;
  }
  if (options.blockQ <= 0 || options.blockK <= 0) {
    reason = "block sizes must be positive";
    return false;
  }
  return chooseGeometry(dk, dv, options, reason).has_value();
}

LogicalResult
mlir::attn::lowerAttendToKernel(RewriterBase &rewriter, AttendOp op,
                                const AttendKernelOptions &options) {
  std::string reason;
  if (!canLowerAttendToKernel(op, options, reason))
    return rewriter.notifyMatchFailure(op, reason);
  int64_t dk = staticDim({op.getQuery(), op.getKey()}, 3);
  int64_t dv = staticDim({op.getValue(), op.getResult()}, 3);
  AttendKernel kernel(op, *chooseGeometry(dk, dv, options, reason), dk, dv);
  kernel.build(rewriter);
  return success();
}

namespace {
struct LowerAttendPass
    : public mlir::attn::impl::AttnGpuLowerAttendBase<LowerAttendPass> {
  using AttnGpuLowerAttendBase::AttnGpuLowerAttendBase;

  void runOnOperation() override {
    AttendKernelOptions options;
    options.blockQ = blockQ;
    options.blockK = blockK;
    options.maxHeadWidth = maxHeadWidth;
    options.valuesPerThread = valuesPerThread;
    if (options.blockQ <= 0 || options.blockK <= 0) {
      getOperation()->emitError()
          << "attn-gpu-lower-attend: block-q and block-k must be positive";
      return signalPassFailure();
    }
    SmallVector<AttendOp> ops;
    getOperation()->walk([&](AttendOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (AttendOp op : ops)
      (void)lowerAttendToKernel(rewriter, op, options);
  }
};
} // namespace
