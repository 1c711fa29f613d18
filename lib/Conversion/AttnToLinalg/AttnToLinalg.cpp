//===- AttnToLinalg.cpp - the convert-attn-to-linalg pass -----------------===//
//
// A thin driver: the attn dialect is illegal, every other op is legal, and
// the op families' patterns (Projections, Attention, Attend, FeedForward) do
// the work.
//
//===----------------------------------------------------------------------===//

#include "attn/Conversion/AttnToLinalg/AttnToLinalg.h"
#include "attn/Conversion/AttnToLinalg/Passes.h"

#include "LoweringUtils.h"

#include "attn/Dialect/Attn/IR/AttnDialect.h"
#include "attn/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::attn {
#define GEN_PASS_DEF_CONVERTATTNTOLINALG
#include "attn/Conversion/AttnToLinalg/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;
using namespace mlir::attn;

void mlir::attn::populateAttnToLinalgConversionPatterns(
    RewritePatternSet &patterns, const ConvertAttnToLinalgOptions &options) {
  assert(options.attendBlockSize > 0 &&
         "attn.attend needs a positive block size");
  lowering::populateProjectionPatterns(patterns);
  lowering::populateAttentionPatterns(patterns, options.scoresQueryBlockSize);
  lowering::populateAttendPatterns(patterns, options.attendBlockSize,
                                   options.attendQueryBlockSize);
  lowering::populateFeedForwardPatterns(patterns);
}

/// The static length behind casts of a seq_mlp input, or dynamic.
static int64_t knownSequenceLength(Value input) {
  while (auto cast = input.getDefiningOp<tensor::CastOp>())
    input = cast.getSource();
  return cast<RankedTensorType>(input.getType()).getDimSize(1);
}

LogicalResult mlir::attn::checkLowerableToLinalg(Operation *op) {
  // The verifier sees the static T of the input's type; a cast may hide it.
  if (isa<SeqMlpOp, HeadSeqMlpOp>(op)) {
    int64_t maxLen = isa<SeqMlpOp>(op) ? cast<SeqMlpOp>(op).getMaxLen()
                                       : cast<HeadSeqMlpOp>(op).getMaxLen();
    int64_t len = knownSequenceLength(op->getOperand(0));
    if (!ShapedType::isDynamic(len) && len > maxLen)
      return op->emitOpError()
             << "sequence length " << len << " exceeds max_len " << maxLen;
    return success();
  }
  // Masking and the online softmax need -inf in the element type.
  if (!isa<MhaOp, ScoresOp, MgkScoresOp, AttendOp>(op))
    return success();
  Type element =
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  if (lowering::hasInfinity(element))
    return success();
  return op->emitOpError()
         << "cannot be lowered to linalg: element type " << element
         << " has no infinity to mask with (use f32, f16 or bf16)";
}

namespace {
struct ConvertAttnToLinalgPass
    : public attn::impl::ConvertAttnToLinalgBase<ConvertAttnToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    Operation *root = getOperation();
    if (attendBlockSize <= 0) {
      root->emitError() << "convert-attn-to-linalg: 'attend-block-size' must "
                           "be positive but is "
                        << static_cast<int64_t>(attendBlockSize);
      return signalPassFailure();
    }
    for (auto [name, size] :
         {std::pair<StringRef, int64_t>{"attend-query-block-size",
                                        attendQueryBlockSize},
          {"scores-query-block-size", scoresQueryBlockSize}}) {
      if (size >= 0)
        continue;
      root->emitError() << "convert-attn-to-linalg: '" << name
                        << "' must not be negative but is " << size;
      return signalPassFailure();
    }
    // Say why an op cannot be lowered before the conversion reports it as
    // merely illegal.
    bool lowerable = true;
    root->walk([&](Operation *op) {
      if (isa<AttnDialect>(op->getDialect()) &&
          failed(checkLowerableToLinalg(op)))
        lowerable = false;
    });
    if (!lowerable)
      return signalPassFailure();

    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalDialect<AttnDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    ConvertAttnToLinalgOptions options;
    options.attendBlockSize = attendBlockSize;
    options.attendQueryBlockSize = attendQueryBlockSize;
    options.scoresQueryBlockSize = scoresQueryBlockSize;
    populateAttnToLinalgConversionPatterns(patterns, options);
    if (failed(applyPartialConversion(root, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
