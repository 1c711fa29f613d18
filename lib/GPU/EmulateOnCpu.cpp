//===- EmulateOnCpu.cpp - gpu.launch on CPU threads
//------------------------===//
//
// attn-gpu-emulate-on-cpu (Passes.td): a testing aid that runs the kernels
// of this project on the CPU with the same concurrency and barriers as on a
// GPU block, so that their numerics are tested where no GPU is:
//
//   gpu.launch blocks(...) in (gx, gy, gz) threads(...) in (sx, sy, sz)
//       workgroup(%w : memref<..., #gpu.address_space<workgroup>>) { body }
// becomes
//   scf.for %block = 0 to gx * gy * gz {
//     %w = memref.alloc() : memref<...>
//     omp.parallel num_threads(sx * sy * sz) {
//       %t = func.call @omp_get_thread_num()
//       cf.assert (omp_get_num_threads() == sx * sy * sz)
//       body (block and thread ids from %block and %t, gpu.barrier as
//             omp.barrier)
//       omp.terminator
//     }
//     memref.dealloc %w
//   }
//
//===----------------------------------------------------------------------===//

#include "attn/GPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUEMULATEONCPU
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

constexpr StringLiteral kThreadNum = "omp_get_thread_num";
constexpr StringLiteral kNumThreads = "omp_get_num_threads";

/// `func.func private @name() -> i32` in `module`.
void declareOmpQuery(ModuleOp module, StringRef name) {
  if (module.lookupSymbol(name))
    return;
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType({}, {b.getI32Type()}));
  fn.setPrivate();
}

Value queryOmp(OpBuilder &b, Location loc, StringRef name) {
  Value i32 = func::CallOp::create(b, loc, name, b.getI32Type(), ValueRange{})
                  .getResult(0);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), i32);
}

/// (x, y, z) of `linear` in a grid of `sizes`, x fastest.
std::array<Value, 3> delinearize(OpBuilder &b, Location loc, Value linear,
                                 gpu::KernelDim3 sizes) {
  Value x = arith::RemUIOp::create(b, loc, linear, sizes.x);
  Value rest = arith::DivUIOp::create(b, loc, linear, sizes.x);
  Value y = arith::RemUIOp::create(b, loc, rest, sizes.y);
  Value z = arith::DivUIOp::create(b, loc, rest, sizes.y);
  return {x, y, z};
}

/// `gpu.shuffle` as: store to scratch[tid], barrier, load from the source
/// lane's slot, barrier. Every thread of the team must execute it, as every
/// lane of a warp must on a GPU.
void emulateShuffle(gpu::ShuffleOp op, Value tid, Value scratch) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto index = [&](Value v) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), v).getResult();
  };
  Value width = index(op.getWidth()), offset = index(op.getOffset());
  Value lane = arith::RemUIOp::create(b, loc, tid, width);
  Value source;
  switch (op.getMode()) {
  case gpu::ShuffleMode::XOR:
    source = arith::XOrIOp::create(b, loc, lane, offset);
    break;
  case gpu::ShuffleMode::DOWN:
    source = arith::AddIOp::create(b, loc, lane, offset);
    break;
  case gpu::ShuffleMode::UP:
    source = arith::SubIOp::create(b, loc, lane, offset);
    break;
  case gpu::ShuffleMode::IDX:
    source = offset;
    break;
  }
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value valid = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, source, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, source, width));
  Value from = arith::AddIOp::create(
      b, loc, arith::SubIOp::create(b, loc, tid, lane),
      arith::SelectOp::create(b, loc, valid, source, lane));
  memref::StoreOp::create(b, loc, op.getValue(), scratch, tid);
  omp::BarrierOp::create(b, loc);
  Value result = memref::LoadOp::create(b, loc, scratch, from);
  omp::BarrierOp::create(b, loc);
  op.getShuffleResult().replaceAllUsesWith(result);
  op.getValid().replaceAllUsesWith(valid);
  op.erase();
}

/// Scratch of the warp-level mma emulation: per warp, the 16 x K A and
/// K x 8 B matrices of the mma (K <= 16).
constexpr int64_t kMmaMaxK = 16;

/// The matrix position of element (i, j) of a thread's fragment, from the
/// PTX ISA's fragment tables of mma.m16n8k16 (f16, bf16) and mma.m16n8k8
/// (tf32), for lane = 4 * group + lane4:
///   A f16 (vector<4x2>)  register i holds a_{2i+j}: row group + 8 (i % 2),
///                        column 2 lane4 + j + 8 (i / 2)
///   B f16 (vector<2x2>)  row 2 lane4 + j + 8 i, column group
///   A tf32 (vector<4x1>) row group + 8 (i % 2), column lane4 + 4 (i / 2)
///   B tf32 (vector<2x1>) row lane4 + 4 i, column group
///   C, D (vector<2x2>)   row group + 8 i, column 2 lane4 + j
enum class Fragment { A, B, C };
std::pair<Value, Value> fragmentPosition(OpBuilder &b, Location loc,
                                         Fragment fragment, bool tf32,
                                         Value group, Value lane4, int64_t i,
                                         int64_t j) {
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  auto add = [&](Value x, int64_t c) {
    return arith::AddIOp::create(b, loc, x, idx(c)).getResult();
  };
  Value twice = arith::MulIOp::create(b, loc, lane4, idx(2));
  switch (fragment) {
  case Fragment::A:
    if (tf32)
      return {add(group, 8 * (i % 2)), add(lane4, 4 * (i / 2))};
    return {add(group, 8 * (i % 2)), add(twice, j + 8 * (i / 2))};
  case Fragment::B:
    if (tf32)
      return {add(lane4, 4 * i), group};
    return {add(twice, j + 8 * i), group};
  case Fragment::C:
    return {add(group, 8 * i), add(twice, j)};
  }
  llvm_unreachable("unknown fragment");
}

/// `nvgpu.mma.sync` (f16 m16n8k16, tf32 m16n8k8) as: every thread stores its
/// A and B fragments at their matrix positions in its warp's scratch,
/// barrier, computes its D fragment (f32 products and sums; tf32 operands
/// truncated to 10 mantissa bits as the tensor cores read them), barrier.
/// Every thread of the block must execute it, as every lane of a warp must.
LogicalResult emulateMma(nvgpu::MmaSyncOp op, Value tid, Value scratchA,
                         Value scratchB) {
  std::array<int64_t, 3> shape = op.getMmaShapeAsArray();
  auto aType = cast<VectorType>(op.getMatrixA().getType());
  auto bType = cast<VectorType>(op.getMatrixB().getType());
  auto cType = cast<VectorType>(op.getMatrixC().getType());
  bool tf32 = op.getTf32Enabled().has_value();
  int64_t kDim = shape[2];
  bool supported =
      shape[0] == 16 && shape[1] == 8 && cType.getShape() == ArrayRef<int64_t>{2, 2} &&
      cType.getElementType().isF32() &&
      ((tf32 && kDim == 8 && aType.getShape() == ArrayRef<int64_t>{4, 1} &&
        bType.getShape() == ArrayRef<int64_t>{2, 1}) ||
       (!tf32 && kDim == 16 && aType.getElementType().isF16() &&
        aType.getShape() == ArrayRef<int64_t>{4, 2} &&
        bType.getShape() == ArrayRef<int64_t>{2, 2}));
  if (!supported)
    return op.emitError() << "attn-gpu-emulate-on-cpu: only f16 m16n8k16 and "
                             "tf32 m16n8k8 nvgpu.mma.sync with f32 "
                             "accumulators are emulated";
  OpBuilder b(op);
  Location loc = op.getLoc();
  Type f32 = b.getF32Type();
  auto idx = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value warp = arith::DivUIOp::create(b, loc, tid, idx(32));
  Value lane = arith::RemUIOp::create(b, loc, tid, idx(32));
  Value group = arith::DivUIOp::create(b, loc, lane, idx(4));
  Value lane4 = arith::RemUIOp::create(b, loc, lane, idx(4));
  Value aBase = arith::MulIOp::create(b, loc, warp, idx(16 * kMmaMaxK));
  Value bBase = arith::MulIOp::create(b, loc, warp, idx(kMmaMaxK * 8));
  // Linear scratch positions: A[row][k] (row-major 16 x K), B[k][col].
  auto aSlot = [&](Value row, Value k) {
    return arith::AddIOp::create(
        b, loc, aBase,
        arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, row, idx(kMmaMaxK)), k));
  };
  auto bSlot = [&](Value k, Value col) {
    return arith::AddIOp::create(
        b, loc, bBase,
        arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, k, idx(8)), col));
  };
  auto toF32 = [&](Value v) -> Value {
    if (!tf32)
      return arith::ExtFOp::create(b, loc, f32, v);
    // tf32: the tensor cores ignore the low 13 of the 23 mantissa bits.
    Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), v);
    Value mask = arith::ConstantIntOp::create(b, loc, b.getI32Type(),
                                              static_cast<int32_t>(0xFFFFE000));
    return arith::BitcastOp::create(
        b, loc, f32, arith::AndIOp::create(b, loc, bits, mask));
  };
  // Every lane's A and B fragment values to their places in the scratch.
  auto stage = [&](Fragment fragment, Value matrix, Value scratch,
                   function_ref<Value(Value, Value)> slot) {
    ArrayRef<int64_t> shape = cast<VectorType>(matrix.getType()).getShape();
    for (int64_t i = 0; i < shape[0]; ++i)
      for (int64_t j = 0; j < shape[1]; ++j) {
        auto [row, col] =
            fragmentPosition(b, loc, fragment, tf32, group, lane4, i, j);
        Value v =
            vector::ExtractOp::create(b, loc, matrix, ArrayRef<int64_t>{i, j});
        memref::StoreOp::create(b, loc, toF32(v), scratch,
                                ValueRange{slot(row, col)});
      }
  };
  stage(Fragment::A, op.getMatrixA(), scratchA, aSlot);
  stage(Fragment::B, op.getMatrixB(), scratchB, bSlot);
  omp::BarrierOp::create(b, loc);
  SmallVector<Value> d;
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 2; ++j) {
      auto [row, col] =
          fragmentPosition(b, loc, Fragment::C, tf32, group, lane4, i, j);
      Value c = vector::ExtractOp::create(b, loc, op.getMatrixC(),
                                          ArrayRef<int64_t>{i, j});
      // A[row][k] at aRow + k, B[k][col] at bCol + 8 k.
      Value aRow = aSlot(row, idx(0));
      Value bCol = bSlot(idx(0), col);
      auto sum = scf::ForOp::create(
          b, loc, idx(0), idx(kDim), idx(1), ValueRange{c},
          [&](OpBuilder &nb, Location nl, Value k, ValueRange acc) {
            Value eight = arith::ConstantIndexOp::create(nb, nl, 8);
            Value x = memref::LoadOp::create(
                nb, nl, scratchA,
                ValueRange{arith::AddIOp::create(nb, nl, aRow, k)});
            Value y = memref::LoadOp::create(
                nb, nl, scratchB,
                ValueRange{arith::AddIOp::create(
                    nb, nl, bCol, arith::MulIOp::create(nb, nl, k, eight))});
            Value p = arith::MulFOp::create(nb, nl, x, y);
            Value next = arith::AddFOp::create(nb, nl, acc[0], p);
            scf::YieldOp::create(nb, nl, next);
          });
      d.push_back(sum.getResult(0));
    }
  omp::BarrierOp::create(b, loc);
  Value result = vector::FromElementsOp::create(b, loc, cType, d);
  op.getRes().replaceAllUsesWith(result);
  op.erase();
  return success();
}

LogicalResult emulate(gpu::LaunchOp launch) {
  if (!launch.getBody().hasOneBlock())
    return launch.emitError()
           << "attn-gpu-emulate-on-cpu: the kernel body must be one block";
  if (!launch.getPrivateAttributions().empty() ||
      launch.getDynamicSharedMemorySize() || launch.getAsyncToken() ||
      launch.hasClusterSize())
    return launch.emitError()
           << "attn-gpu-emulate-on-cpu: private attributions, dynamic shared "
              "memory, clusters and async launches are not supported";
  bool shuffles = false, mmas = false;
  WalkResult unsupported = launch.getBody().walk([&](Operation *op) {
    if (isa<nvgpu::MmaSyncOp>(op))
      mmas = true;
    if (auto shuffle = dyn_cast<gpu::ShuffleOp>(op)) {
      shuffles = true;
      if (!shuffle.getValue().getType().isF32())
        return WalkResult::interrupt();
    }
    if (isa<gpu::ThreadIdOp, gpu::BlockIdOp, gpu::BlockDimOp, gpu::GridDimOp,
            gpu::SubgroupReduceOp>(op))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (unsupported.wasInterrupted())
    return launch.emitError()
           << "attn-gpu-emulate-on-cpu: the kernel must take its ids from the "
              "launch's block arguments and use no subgroup operations but "
              "f32 gpu.shuffle";

  OpBuilder b(launch);
  Location loc = launch.getLoc();
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
  Value blocks = arith::MulIOp::create(
      b, loc, arith::MulIOp::create(b, loc, grid.x, grid.y), grid.z);
  Value threads = arith::MulIOp::create(
      b, loc, arith::MulIOp::create(b, loc, block.x, block.y), block.z);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(b, loc, zero, blocks, one);

  b.setInsertionPointToStart(loop.getBody());
  std::array<Value, 3> blockIds =
      delinearize(b, loc, loop.getInductionVar(), grid);
  SmallVector<Value> shared;
  for (BlockArgument attribution : launch.getWorkgroupAttributions()) {
    auto type = cast<MemRefType>(attribution.getType());
    shared.push_back(memref::AllocOp::create(
        b, loc,
        MemRefType::get(type.getShape(), type.getElementType(),
                        type.getLayout())));
  }
  // Shuffles exchange values through a per-block buffer, one slot per
  // thread, between two barriers.
  Value scratch;
  if (shuffles) {
    scratch = memref::AllocOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, b.getF32Type()),
        ValueRange{threads});
    shared.push_back(scratch);
  }
  // Warp-level mma: per warp a 16 x 16 A and a 16 x 8 B matrix.
  Value scratchA, scratchB;
  if (mmas) {
    Value warps = arith::CeilDivUIOp::create(
        b, loc, threads, arith::ConstantIndexOp::create(b, loc, 32));
    auto scratchOf = [&](int64_t perWarp) {
      Value size = arith::MulIOp::create(
          b, loc, warps, arith::ConstantIndexOp::create(b, loc, perWarp));
      return memref::AllocOp::create(
                 b, loc, MemRefType::get({ShapedType::kDynamic}, b.getF32Type()),
                 ValueRange{size})
          .getResult();
    };
    scratchA = scratchOf(16 * kMmaMaxK);
    scratchB = scratchOf(kMmaMaxK * 8);
    shared.push_back(scratchA);
    shared.push_back(scratchB);
  }
  Value numThreads =
      arith::IndexCastOp::create(b, loc, b.getI32Type(), threads);
  omp::ParallelOperands clauses;
  clauses.numThreads = numThreads;
  auto parallel = omp::ParallelOp::create(b, loc, clauses);
  for (Value buffer : shared)
    memref::DeallocOp::create(b, loc, buffer);

  Block *team = b.createBlock(&parallel.getRegion());
  b.setInsertionPointToStart(team);
  Value teamSize = queryOmp(b, loc, kNumThreads);
  cf::AssertOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, teamSize,
                            threads),
      "attn-gpu-emulate-on-cpu: OpenMP made a team smaller than the thread "
      "block (raise OMP_THREAD_LIMIT)");
  Value linearThread = queryOmp(b, loc, kThreadNum);
  std::array<Value, 3> threadIds = delinearize(b, loc, linearThread, block);

  IRMapping mapping;
  gpu::KernelDim3 ids = launch.getBlockIds(), tids = launch.getThreadIds();
  gpu::KernelDim3 gridArgs = launch.getGridSize();
  gpu::KernelDim3 blockArgs = launch.getBlockSize();
  mapping.map(ids.x, blockIds[0]);
  mapping.map(ids.y, blockIds[1]);
  mapping.map(ids.z, blockIds[2]);
  mapping.map(tids.x, threadIds[0]);
  mapping.map(tids.y, threadIds[1]);
  mapping.map(tids.z, threadIds[2]);
  mapping.map(gridArgs.x, grid.x);
  mapping.map(gridArgs.y, grid.y);
  mapping.map(gridArgs.z, grid.z);
  mapping.map(blockArgs.x, block.x);
  mapping.map(blockArgs.y, block.y);
  mapping.map(blockArgs.z, block.z);
  for (auto [attribution, buffer] :
       llvm::zip(launch.getWorkgroupAttributions(), shared))
    mapping.map(attribution, buffer);
  for (Operation &op : launch.getBody().front()) {
    if (isa<gpu::TerminatorOp>(op)) {
      omp::TerminatorOp::create(b, op.getLoc());
      continue;
    }
    b.clone(op, mapping);
  }
  parallel.walk([](gpu::BarrierOp barrier) {
    OpBuilder nb(barrier);
    omp::BarrierOp::create(nb, barrier.getLoc());
    barrier.erase();
  });
  SmallVector<gpu::ShuffleOp> shuffleOps;
  parallel.walk([&](gpu::ShuffleOp op) { shuffleOps.push_back(op); });
  for (gpu::ShuffleOp op : shuffleOps)
    emulateShuffle(op, linearThread, scratch);
  SmallVector<nvgpu::MmaSyncOp> mmaOps;
  parallel.walk([&](nvgpu::MmaSyncOp op) { mmaOps.push_back(op); });
  for (nvgpu::MmaSyncOp op : mmaOps)
    if (failed(emulateMma(op, linearThread, scratchA, scratchB)))
      return failure();
  launch.erase();
  return success();
}

struct EmulateOnCpuPass
    : public mlir::attn::impl::AttnGpuEmulateOnCpuBase<EmulateOnCpuPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::LaunchOp> launches;
    module.walk([&](gpu::LaunchOp launch) { launches.push_back(launch); });
    if (launches.empty())
      return;
    declareOmpQuery(module, kThreadNum);
    declareOmpQuery(module, kNumThreads);
    for (gpu::LaunchOp launch : launches)
      if (failed(emulate(launch)))
        return signalPassFailure();
  }
};

} // namespace
