//===- DeviceBuffers.cpp - host data to device memory
//----------------------===//
//
// attn-gpu-device-buffers and attn-gpu-device-deallocs (Passes.td): after
// attn-gpu-map-linalg the host code of a function only allocates, views,
// copies and launches; these passes make every buffer that kernels touch
// device memory while the function keeps its host ABI.
//
//===----------------------------------------------------------------------===//

#include "attn/GPU/Passes.h"
#include "attn/Support/ModelAttributes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUDEVICEBUFFERS
#define GEN_PASS_DEF_ATTNGPUDEVICEDEALLOCS
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

bool hasMemRefOperand(Operation *op) {
  return llvm::any_of(op->getOperandTypes(),
                      [](Type t) { return isa<BaseMemRefType>(t); });
}

/// Host ops that may hold device buffers: they only pass them on, read
/// their metadata, or are rewritten by this pass.
bool mayHoldDeviceBuffers(Operation *op) {
  if (isa<gpu::GPUDialect>(op->getDialect()))
    return true;
  return isa<ViewLikeOpInterface, memref::CastOp, memref::DimOp,
             memref::ExtractStridedMetadataOp,
             memref::ExtractAlignedPointerAsIndexOp, memref::CopyOp,
             memref::DeallocOp, func::ReturnOp, RegionBranchOpInterface,
             RegionBranchTerminatorOpInterface, BranchOpInterface>(op);
}

/// The dynamic sizes of `value` (a ranked memref), read with memref.dim.
SmallVector<Value> dynamicSizes(OpBuilder &b, Location loc, Value value) {
  auto type = cast<MemRefType>(value.getType());
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(memref::DimOp::create(b, loc, value, d));
  return sizes;
}

/// A device buffer of `source`'s type holding a copy of it, at the builder's
/// insertion point. `created` collects the ops that must keep `source`.
Value copyToDevice(OpBuilder &b, Location loc, Value source,
                   SmallPtrSetImpl<Operation *> &created) {
  auto type = cast<MemRefType>(source.getType());
  SmallVector<Value> sizes = dynamicSizes(b, loc, source);
  for (Value size : sizes)
    created.insert(size.getDefiningOp());
  Value device = gpu::AllocOp::create(b, loc, type, Type(), ValueRange{}, sizes,
                                      ValueRange{})
                     .getMemref();
  created.insert(
      gpu::MemcpyOp::create(b, loc, Type(), ValueRange{}, device, source));
  return device;
}

/// gpu.launch_func declares no memory effects, so that upstream's buffer
/// deallocation rejects it ("ops with unknown memory side effects"). It
/// reads and writes the buffers it is given.
struct LaunchFuncMemoryEffects
    : public MemoryEffectOpInterface::ExternalModel<LaunchFuncMemoryEffects,
                                                    gpu::LaunchFuncOp> {
  void
  getEffects(Operation *op,
             SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
                 &effects) const {
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isa<BaseMemRefType>(operand.get().getType()))
        continue;
      effects.emplace_back(MemoryEffects::Read::get(), &operand);
      effects.emplace_back(MemoryEffects::Write::get(), &operand);
    }
  }
};

struct DeviceBuffersPass
    : public mlir::attn::impl::AttnGpuDeviceBuffersBase<DeviceBuffersPass> {
  using Base::Base;

  void getDependentDialects(DialectRegistry &registry) const override {
    AttnGpuDeviceBuffersBase::getDependentDialects(registry);
    registerGpuBufferDeallocationModels(registry);
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    if (failed(checkHostCode(func)))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    rewriteHostOps(rewriter, func);
    if (failed(copyArguments(rewriter, func)) ||
        failed(copyResults(rewriter, func)))
      return signalPassFailure();
  }

  /// Fails on host code that touches buffer contents.
  LogicalResult checkHostCode(func::FuncOp func) {
    WalkResult result = func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (isa<memref::AllocaOp>(op)) {
        op->emitError() << "a stack buffer in host code cannot be shared "
                           "with GPU kernels";
        return WalkResult::interrupt();
      }
      if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        auto contiguous = [](Value v) {
          return cast<MemRefType>(v.getType()).getLayout().isIdentity();
        };
        if (!contiguous(copy.getSource()) || !contiguous(copy.getTarget())) {
          op->emitError() << "a copy between buffers that are not both "
                             "contiguous must be a kernel (map it with "
                             "attn-gpu-map-linalg first)";
          return WalkResult::interrupt();
        }
      }
      if (isa<memref::AllocOp, memref::GetGlobalOp>(op) ||
          !hasMemRefOperand(op) || mayHoldDeviceBuffers(op))
        return WalkResult::advance();
      op->emitError() << "host code accesses the contents of a buffer that "
                         "GPU kernels use; only kernels may (map it with "
                         "attn-gpu-map-linalg first)";
      return WalkResult::interrupt();
    });
    return failure(result.wasInterrupted());
  }

  /// Allocations, deallocations, copies and constants of host code.
  void rewriteHostOps(IRRewriter &rewriter, func::FuncOp func) {
    SmallVector<Operation *> ops;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<gpu::LaunchOp>(op))
        return WalkResult::skip();
      if (isa<memref::AllocOp, memref::DeallocOp, memref::CopyOp,
              memref::GetGlobalOp>(op))
        ops.push_back(op);
      return WalkResult::advance();
    });
    for (Operation *op : ops) {
      rewriter.setInsertionPoint(op);
      Location loc = op->getLoc();
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        rewriter.replaceOpWithNewOp<gpu::AllocOp>(
            alloc, alloc.getType(), Type(), ValueRange{},
            alloc.getDynamicSizes(), alloc.getSymbolOperands());
      } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
        rewriter.replaceOpWithNewOp<gpu::DeallocOp>(
            dealloc, Type(), ValueRange{}, dealloc.getMemref());
      } else if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        rewriter.replaceOpWithNewOp<gpu::MemcpyOp>(
            copy, Type(), ValueRange{}, copy.getTarget(), copy.getSource());
      } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
        if (global.getResult().use_empty())
          continue;
        rewriter.setInsertionPointAfter(global);
        SmallPtrSet<Operation *, 4> keep;
        Value device = copyToDevice(rewriter, loc, global.getResult(), keep);
        rewriter.replaceAllUsesExcept(global.getResult(), device, keep);
      }
    }
  }

  /// Every memref argument whose contents are read goes to a device buffer,
  /// except, with resident-params, the packed parameters.
  LogicalResult copyArguments(IRRewriter &rewriter, func::FuncOp func) {
    rewriter.setInsertionPointToStart(&func.getBody().front());
    for (BlockArgument arg : func.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || llvm::all_of(arg.getUsers(), [](Operation *user) {
            return isa<memref::DimOp>(user);
          }))
        continue;
      if (residentParams &&
          func.getArgAttr(arg.getArgNumber(), kPackedParamsAttrName)) {
        func->setAttr(kDeviceParamsAttrName, rewriter.getUnitAttr());
        continue;
      }
      if (!type.getLayout().isIdentity())
        return func.emitError()
               << "argument #" << arg.getArgNumber()
               << " must be a contiguous buffer to be copied to the GPU, got "
               << type;
      SmallPtrSet<Operation *, 4> keep;
      Value device = copyToDevice(rewriter, arg.getLoc(), arg, keep);
      rewriter.replaceAllUsesExcept(arg, device, keep);
    }
    return success();
  }

  /// Every returned memref is copied to a host buffer the caller owns.
  LogicalResult copyResults(IRRewriter &rewriter, func::FuncOp func) {
    SmallVector<func::ReturnOp> returns;
    func.walk([&](func::ReturnOp ret) { returns.push_back(ret); });
    for (func::ReturnOp ret : returns) {
      rewriter.setInsertionPoint(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        auto type = dyn_cast<MemRefType>(operand.get().getType());
        if (!type)
          continue;
        if (!type.getLayout().isIdentity())
          return ret.emitError()
                 << "result #" << operand.getOperandNumber()
                 << " must be a contiguous buffer to be copied from the GPU, "
                    "got "
                 << type;
        Location loc = ret.getLoc();
        Value host = memref::AllocOp::create(
            rewriter, loc, type, dynamicSizes(rewriter, loc, operand.get()));
        gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, host,
                              operand.get());
        operand.set(host);
      }
    }
    return success();
  }
};

} // namespace

void mlir::attn::registerGpuBufferDeallocationModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, gpu::GPUDialect *) {
    gpu::LaunchFuncOp::attachInterface<LaunchFuncMemoryEffects>(*ctx);
  });
}

namespace {

/// The allocation `value` is a view of, through casts and views.
Operation *allocationOf(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def)) {
      value = view.getViewSource();
      continue;
    }
    if (auto cast = dyn_cast<memref::CastOp>(def)) {
      value = cast.getSource();
      continue;
    }
    if (auto meta = dyn_cast<memref::ExtractStridedMetadataOp>(def)) {
      value = meta.getSource();
      continue;
    }
    return def;
  }
  return nullptr;
}

struct DeviceDeallocsPass
    : public mlir::attn::impl::AttnGpuDeviceDeallocsBase<DeviceDeallocsPass> {
  void runOnOperation() override {
    SmallVector<memref::DeallocOp> deallocs;
    getOperation().walk([&](memref::DeallocOp op) {
      if (!isa_and_nonnull<memref::AllocOp>(allocationOf(op.getMemref())))
        deallocs.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (memref::DeallocOp op : deallocs) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOpWithNewOp<gpu::DeallocOp>(op, Type(), ValueRange{},
                                                  op.getMemref());
    }
  }
};

} // namespace
