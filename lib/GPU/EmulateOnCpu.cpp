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
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
  bool shuffles = false;
  WalkResult unsupported = launch.getBody().walk([&](Operation *op) {
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
