//===- LowerAsserts.cpp - cf.assert to the model runtime's error handler --===//

#include "attn/Pipelines/Passes.h"
#include "attn/Runtime/ModelDesc.h"

#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNLOWERASSERTS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
constexpr StringLiteral kErrorHandler = ATTN_MODEL_RUNTIME_ERROR_SYMBOL;

struct LowerAssertsPass
    : public mlir::attn::impl::AttnLowerAssertsBase<LowerAssertsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<cf::AssertOp> asserts;
    module.walk([&](cf::AssertOp op) { asserts.push_back(op); });
    if (asserts.empty())
      return;

    MLIRContext *ctx = &getContext();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    OpBuilder b(ctx);
    auto handler = module.lookupSymbol<LLVM::LLVMFuncOp>(kErrorHandler);
    if (!handler) {
      b.setInsertionPointToStart(module.getBody());
      handler = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), kErrorHandler,
          LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptrType}));
      handler.setNoUnwind(true);
      handler->setAttr("passthrough",
                       b.getArrayAttr({b.getStringAttr("noreturn")}));
    }

    // One constant string per distinct message.
    llvm::StringMap<LLVM::GlobalOp> globals;
    auto messageGlobal = [&](StringRef message) {
      LLVM::GlobalOp &global = globals[message];
      if (global)
        return global;
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      std::string text = message.str();
      text.push_back('\0');
      auto type = LLVM::LLVMArrayType::get(IntegerType::get(ctx, 8), text.size());
      global = LLVM::GlobalOp::create(
          b, module.getLoc(), type, /*isConstant=*/true, LLVM::Linkage::Internal,
          "__attn_assert_msg_" + std::to_string(globals.size() - 1),
          b.getStringAttr(text));
      return global;
    };
    for (cf::AssertOp op : asserts) {
      b.setInsertionPoint(op);
      Location loc = op.getLoc();
      Value ok = op.getArg();
      Value one = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
      Value failed = arith::XOrIOp::create(b, loc, ok, one);
      auto ifOp = scf::IfOp::create(b, loc, failed, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifOp.thenBlock());
      Value text = LLVM::AddressOfOp::create(b, loc, messageGlobal(op.getMsg()));
      LLVM::CallOp::create(b, loc, handler, ValueRange{text});
      op.erase();
    }
  }
};
} // namespace
