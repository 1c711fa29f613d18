//===- MergeKernelModules.cpp - one gpu.module for all kernels
//-------------===//
//
// attn-gpu-merge-kernel-modules (Passes.td).
//
//===----------------------------------------------------------------------===//

#include "attn/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNGPUMERGEKERNELMODULES
#include "attn/GPU/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

namespace {

/// Whether `module` holds only gpu.func kernels and has no targets.
bool isMergeable(gpu::GPUModuleOp module) {
  if (module.getTargetsAttr() && !module.getTargetsAttr().empty())
    return false;
  return llvm::all_of(module.getBody()->getOperations(), [](Operation &op) {
    auto fn = dyn_cast<gpu::GPUFuncOp>(op);
    return fn && fn.isKernel();
  });
}

struct MergeKernelModulesPass
    : public mlir::attn::impl::AttnGpuMergeKernelModulesBase<
          MergeKernelModulesPass> {
  using AttnGpuMergeKernelModulesBase::AttnGpuMergeKernelModulesBase;

  void runOnOperation() override {
    ModuleOp top = getOperation();
    SmallVector<gpu::GPUModuleOp> modules;
    for (auto module : top.getOps<gpu::GPUModuleOp>())
      if (isMergeable(module))
        modules.push_back(module);
    if (modules.size() < 2)
      return;

    SymbolTable symbols(top);
    OpBuilder b(modules.front());
    auto merged = gpu::GPUModuleOp::create(b, modules.front().getLoc(),
                                           moduleName.getValue());
    symbols.insert(merged); // Renames it if the name is taken.
    SymbolTable kernels(merged);

    // @old_module::@kernel -> @merged::@<old_module>.
    DenseMap<Attribute, SymbolRefAttr> renamed;
    for (gpu::GPUModuleOp module : modules) {
      for (auto fn : llvm::make_early_inc_range(
               module.getBody()->getOps<gpu::GPUFuncOp>())) {
        SymbolRefAttr from = SymbolRefAttr::get(module.getSymNameAttr(),
                                                {FlatSymbolRefAttr::get(fn)});
        fn->moveBefore(merged.getBody(), merged.getBody()->end());
        fn.setName(module.getSymName());
        kernels.insert(fn); // Unique within the merged module.
        renamed[from] = SymbolRefAttr::get(merged.getSymNameAttr(),
                                           {FlatSymbolRefAttr::get(fn)});
      }
      module.erase();
    }
    top.walk([&](gpu::LaunchFuncOp launch) {
      if (SymbolRefAttr to = renamed.lookup(launch.getKernelAttr()))
        launch.setKernelAttr(to);
    });
  }
};

} // namespace
