//===- TileRowChains.cpp - row statistics fused into one row-block loop ---===//
//
// A LayerNorm on tensors is a chain of generics over the same rows: a fill,
// the row sums, the means, the squared deviations, the reciprocal standard
// deviations and the normalised output. Each becomes its own loop nest, and
// on several threads its own parallel region with a fork and a join. This
// pass tiles the chain's last op along its rows (scf.forall) and fuses the
// rest of the chain into the tile with upstream's tile-and-fuse, so that
// the whole chain runs once per block of rows, in one parallel region, on
// rows that stay in the L1 cache. See Passes.td.
//
//===----------------------------------------------------------------------===//

#include "attn/Pipelines/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::attn {
#define GEN_PASS_DEF_ATTNTILEROWCHAINS
#include "attn/Pipelines/Passes.h.inc"
} // namespace mlir::attn

using namespace mlir;

namespace {
/// Whether `op` may join a row chain: a fill, or a generic with a parallel
/// loop whose reduction (at most one) is its innermost loop and whose
/// results keep every parallel loop, so that a block of result rows needs
/// only the same block of its operands' rows. Contractions never join: they
/// keep their kernels.
bool isRowOp(Operation *op) {
  if (isa<linalg::FillOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics())
    return false;
  unsigned loops = generic.getNumLoops();
  unsigned reductions = generic.getNumReductionLoops();
  if (loops - reductions < 1 || reductions > 1)
    return false;
  if (reductions &&
      !linalg::isReductionIterator(generic.getIteratorTypesArray().back()))
    return false;
  return llvm::all_of(generic.getDpsInitsMutable(), [&](OpOperand &init) {
    AffineMap map = generic.getMatchingIndexingMap(&init);
    return map.isProjectedPermutation() &&
           map.getNumResults() == loops - reductions;
  });
}

/// The ops that fuse into `root`'s row blocks: fills, and row ops whose
/// every use is the root or another op of the chain, so that none is
/// computed both inside the blocks and outside (a LayerNorm output that a
/// matrix product also reads stays a root of its own).
llvm::SetVector<Operation *> rowChain(linalg::GenericOp root) {
  llvm::SetVector<Operation *> chain;
  chain.insert(root);
  bool grew = true;
  while (grew) {
    grew = false;
    for (unsigned i = 0; i < chain.size(); ++i) {
      for (Value operand : chain[i]->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || chain.contains(producer) || !isRowOp(producer))
          continue;
        // A fill costs nothing to repeat in each block, whoever else reads
        // it.
        bool onlyChainUses =
            isa<linalg::FillOp>(producer) ||
            llvm::all_of(producer->getUsers(),
                         [&](Operation *user) { return chain.contains(user); });
        if (onlyChainUses) {
          chain.insert(producer);
          grew = true;
        }
      }
    }
  }
  return chain;
}

/// A root: an element-wise generic over rows (all loops parallel, the
/// innermost along a row) whose chain holds a reduction along that row.
/// Element-wise ops alone (an activation after a matrix product) gain
/// nothing from blocks.
bool isRoot(linalg::GenericOp op, const llvm::SetVector<Operation *> &chain) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() < 2 ||
      op.getNumReductionLoops() != 0 || op->getNumResults() != 1 ||
      !isRowOp(op))
    return false;
  return llvm::any_of(chain, [&](Operation *member) {
    auto generic = dyn_cast<linalg::GenericOp>(member);
    return generic && generic.getNumReductionLoops() == 1 &&
           generic.getNumLoops() == op.getNumLoops();
  });
}

struct TileRowChainsPass
    : public mlir::attn::impl::AttnTileRowChainsBase<TileRowChainsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (rows < 1) {
      getOperation()->emitError("attn-tile-row-chains: rows must be at "
                                "least 1, got ")
          << static_cast<int64_t>(rows);
      return signalPassFailure();
    }
    SmallVector<linalg::GenericOp> candidates;
    llvm::DenseSet<Operation *> inChains;
    getOperation()->walk([&](linalg::GenericOp op) {
      // Ops already in a loop (attention's query blocks) keep their blocks.
      if (op->getParentOfType<scf::ForallOp>() ||
          op->getParentOfType<scf::ForOp>())
        return;
      llvm::SetVector<Operation *> chain = rowChain(op);
      if (!isRoot(op, chain))
        return;
      candidates.push_back(op);
      inChains.insert(chain.begin() + 1, chain.end());
    });
    // A candidate inside another's chain (the means that the normalisation
    // reads) is fused there, not tiled on its own.
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp root : candidates)
      if (!inChains.contains(root))
        tile(rewriter, root);
  }

  void tile(IRRewriter &rewriter, linalg::GenericOp root) {
    llvm::SetVector<Operation *> chain = rowChain(root);
    // Blocks of `rows` along the loop before the row, 1 along the others
    // before it, the row itself whole.
    unsigned loops = root.getNumLoops();
    SmallVector<OpFoldResult> sizes(loops, rewriter.getIndexAttr(1));
    sizes[loops - 2] = rewriter.getIndexAttr(rows);
    sizes[loops - 1] = rewriter.getIndexAttr(0);
    scf::SCFTilingOptions tiling;
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp)
        .setTileSizes(sizes);
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tiling);
    options.setFusionControlFn(
        [&](tensor::ExtractSliceOp, OpResult producer, bool)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          if (!chain.contains(producer.getOwner()))
            return std::nullopt;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        });
    rewriter.setInsertionPoint(root);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(root.getOperation()), options);
    // Blocks are an optimisation: a chain that does not tile stays as it
    // is, one loop nest per op.
    if (failed(result))
      return;
    rewriter.replaceOp(root, result->replacements.lookup(root->getResult(0)));
    // Each slice of a producer that several chain ops read was fused on its
    // own: keep one copy of each (the row sums once, not once per reader).
    DominanceInfo dominance;
    for (LoopLikeOpInterface loop : result->loops)
      eliminateCommonSubExpressions(rewriter, dominance, loop);
    // The fused producers have no uses left outside the blocks; erase them
    // consumers first.
    chain.remove(root);
    bool erased = true;
    while (erased) {
      erased = false;
      for (Operation *producer : llvm::to_vector(chain)) {
        if (!producer->use_empty())
          continue;
        chain.remove(producer);
        rewriter.eraseOp(producer);
        erased = true;
      }
    }
  }
};
} // namespace
