//===- ApproximateMath.cpp - vectorizable exp, erf and tanh ---------------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNAPPROXIMATEMATH
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// exp on f32 vectors for AVX-512: n = roundeven(x log2(e)), f = x - n ln(2)
/// in two steps (Cody-Waite), a degree-5 polynomial for e^f on
/// [-ln(2)/2, ln(2)/2] and 2^n applied by one `vscalefps` (its intrinsic on
/// 16 lanes; `llvm.ldexp`, which LLVM lowers to it, on other widths): about
/// 12 instructions where MLIR's expansion takes about 21 (it clamps n and
/// builds 2^n from integer bits). Max relative error 1.7e-7
/// over the normal range (coefficients of XNNPACK's f32 exp, "rr2-p5").
/// Inputs are clamped to [-104, 89], where e^x is 0 or inf in f32; a NaN
/// passes through.
struct ScalefExp : OpRewritePattern<math::ExpOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::ExpOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type || !type.getElementType().isF32() || type.isScalable())
      return failure();
    Location loc = op.getLoc();
    auto constant = [&](float value) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc, type,
          DenseElementsAttr::get(type, rewriter.getF32FloatAttr(value)));
    };
    auto fma = [&](Value a, Value b, Value c) -> Value {
      return math::FmaOp::create(rewriter, loc, a, b, c);
    };
    // The comparisons are false for NaN, which the selects keep.
    auto clamp = [&](Value x, arith::CmpFPredicate pred, float bound) {
      Value limit = constant(bound);
      Value out = arith::CmpFOp::create(rewriter, loc, pred, x, limit);
      return arith::SelectOp::create(rewriter, loc, out, limit, x).getResult();
    };
    Value x = clamp(op.getOperand(), arith::CmpFPredicate::OLT, -104.0f);
    x = clamp(x, arith::CmpFPredicate::OGT, 89.0f);
    Value n = math::RoundEvenOp::create(
        rewriter, loc,
        arith::MulFOp::create(rewriter, loc, x, constant(0x1.715476p+0f)));
    Value f = fma(n, constant(-0x1.62E43p-1f), x);
    f = fma(n, constant(0x1.05C61p-29f), f);
    Value p = fma(constant(0x1.0F9F9Cp-7f), f, constant(0x1.573A1Ap-5f));
    p = fma(p, f, constant(0x1.555A80p-3f));
    p = fma(p, f, constant(0x1.FFFDC6p-2f));
    p = fma(p, f, constant(0x1.FFFFF6p-1f));
    p = fma(p, f, constant(1.0f));
    // 16 lanes: vscalefps on n as it is. Other widths: llvm.ldexp, which
    // converts n to integers and LLVM converts them back for vscalefps.
    if (type.getShape() == ArrayRef<int64_t>{16}) {
      Value allLanes = LLVM::ConstantOp::create(
          rewriter, loc, rewriter.getI16Type(), rewriter.getI16IntegerAttr(-1));
      Value currentRounding = LLVM::ConstantOp::create(
          rewriter, loc, rewriter.getI32Type(), rewriter.getI32IntegerAttr(4));
      rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
          op, type,
          rewriter.getStringAttr("llvm.x86.avx512.mask.scalef.ps.512"),
          ValueRange{p, n, p, allLanes, currentRounding});
      return success();
    }
    Value exponent = arith::FPToSIOp::create(
        rewriter, loc, type.clone(rewriter.getI32Type()), n);
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, type, rewriter.getStringAttr("llvm.ldexp"),
        ValueRange{p, exponent});
    return success();
  }
};

struct ApproximateMathPass
    : public mlir::attn::impl::AttnApproximateMathBase<ApproximateMathPass> {
  using AttnApproximateMathBase::AttnApproximateMathBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    // Ahead of MLIR's exp expansion, which takes what is left (scalars).
    if (scalef)
      patterns.add<ScalefExp>(&getContext(), /*benefit=*/2);
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      name.consume_front("math.");
      return name == "exp" || name == "erf" || name == "tanh";
    });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
