//===- Passes.td - passes of the compilation pipelines -----*- tablegen -*-===//
//
// Passes that only the lowering pipelines need: binding parameters to the
// entry point and preparing linalg for the loop lowering. The rewrites of
// attention itself live in Dialect/Attn/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_PIPELINES_PASSES_TD
#define ATTN_PIPELINES_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttnBindParams : Pass<"attn-bind-params", "::mlir::ModuleOp"> {
  let summary = "Turns parameter globals into slices of one packed argument";
  let description = [{
    One-shot bufferization cannot bufferize `ml_program.global_load_const`
    of extern globals (FACTS.md), and a compiled model gets its parameters
    at run time anyway. This pass packs every parameter into one f32 buffer
    that becomes the first argument of the entry function:

    ```
    func.func @forward(%x: tensor<1x?x8xf32>) -> tensor<1x?x8xf32>
    // becomes
    func.func @forward(%params: tensor<Nxf32>, %x: tensor<1x?x8xf32>)
        -> tensor<1x?x8xf32> attributes {llvm.emit_c_interface}
    ```

    Each `ml_program.global_load_const @p` becomes a `tensor.extract_slice`
    of `%params` at p's fixed offset, followed by a `tensor.expand_shape`
    to p's shape (a `tensor.collapse_shape` for rank 0). Offsets are
    multiples of `alignment` elements, so that every parameter starts on a
    cache line when the buffer does. The globals are then erased.

    The parameter table and the entry signature are recorded on the module
    as the `attn_model.manifest` dictionary, which `attn-compile` turns into the
    model's manifest (`model.json`) and the tables of its runtime:

    ```
    attn_model.manifest = {
      entry = "forward", param_size = N, param_alignment = 16,
      params = [
        {name = "layers.0.attn.wq", dtype = "f32", shape = array<i64: 8, 8>,
         offset = 0, init = "..."},
        ...
      ],
      inputs = [
        {name = "x", dtype = "f32", shape = array<i64: 1, -1, 8>}
      ],
      outputs = [
        {name = "y", dtype = "f32", shape = array<i64: 1, -1, 8>}
      ],
      flops = [
        {coeff = 2.0 : f64, b = 1, t = 2}, ...
      ]
    }
    ```

    `flops` is the FLOP count of one call as a polynomial in the batch size
    B (dim 0 of the input, when dynamic) and the sequence length T (dim 1,
    when dynamic): the sum of `coeff * B^b * T^t`, with the conventions of
    the cost model behind `attn-report` (CostModel.h), which it comes from.
    It is empty when the cost model cannot count the module.

    Inputs and the packed parameters are marked
    `bufferization.writable = false`: compiled code never writes into the
    caller's buffers.

    Errors: a parameter that is not a statically shaped f32 tensor, a
    mutable global, a parameter read outside the entry function, an entry
    function that is missing, takes or returns something other than
    tensors, or already has an `attn_model.manifest`.
  }];
  let options = [
    Option<"entry", "entry", "std::string", "\"forward\"",
           "name of the entry function">,
    Option<"alignment", "alignment", "unsigned", "16",
           "offset alignment of every parameter, in elements">,
  ];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::bufferization::BufferizationDialect"];
}

def AttnDecomposeAggregates : Pass<"attn-decompose-aggregates"> {
  let summary = "Decomposes aggregated linalg ops (linalg.softmax) into generics";
  let description = [{
    `convert-linalg-to-loops` and the vectorizer leave ops such as
    `linalg.softmax` alone (FACTS.md). This pass decomposes every op that
    implements `linalg::AggregatedOpInterface` into the simpler linalg ops
    it stands for, repeatedly, so that the rest of the pipeline sees only
    structured ops it knows.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def AttnLowerAsserts : Pass<"attn-lower-asserts", "::mlir::ModuleOp"> {
  let summary = "Turns cf.assert into a call of the model runtime's error handler";
  let description = [{
    The lowering checks what it cannot prove statically with `cf.assert`
    (a dynamic sequence longer than a `max_len`, a mask whose dynamic dims
    do not match). The upstream lowering of a failing `cf.assert` prints and
    aborts, which would take down the process that loaded the model. This
    pass rewrites

    ```
    cf.assert %ok, "sequence length exceeds max_len 16"
    ```

    into `scf.if` on the negated condition around a call of
    `void @__attn_model_runtime_error(!llvm.ptr message)`, which the compiled
    model's runtime provides: it records the message and returns from the
    ABI entry point with ATTN_ERR_RUNTIME_CHECK (docs/abi.md). The call
    does not return.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def AttnOutlineLayers : Pass<"attn-outline-layers", "::mlir::ModuleOp"> {
  let summary = "Outlines every layer of a bound model into a function, deduplicated";
  let description = [{
    Runs after `attn-bind-params`. A model of L layers is one straight-line
    entry function whose size grows with L, and LLVM's code generation is
    superlinear in function size. This pass cuts the entry function into
    runs of ops that belong to one layer (the layer of an op is the
    `layers.{i}` of the parameters it reads, or that of the op before it)
    and moves each run into a private function

    ```
    func.func private @forward_layer0(%params: tensor<Nxf32>, %base: index,
                                      %x: tensor<1x?x256xf32>, ...) -> ...
    ```

    that slices its parameters from the packed buffer at `%base` plus their
    offset relative to the layer's first parameter. Layers of the same
    structure produce the same function, which is created once and called
    once per layer, so that compile time grows with the number of distinct
    layers, not with L. The functions are marked `no_inline`.

    A layer that applies (`attn.apply`) the attention map of an earlier
    layer joins that layer's function: a reuse group is one function, and
    a map never crosses a call. Its scores and applies are then lowered
    together, which lets convert-attn-to-linalg leave a map that only
    applies read unnormalised (each apply divides by the row sums) instead
    of normalising a map that a call returns. Groups of the same structure
    share one function as layers do.
  }];
  let options = [
    Option<"entry", "entry", "std::string", "\"forward\"",
           "name of the entry function">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def AttnInterchangeForVectorization
    : Pass<"attn-interchange-for-vectorization"> {
  let summary = "Orders linalg.generic loops so the innermost one is contiguous";
  let description = [{
    `convert-linalg-to-loops` keeps a generic's iteration order, in which
    contractions end with their reduction loop: for `y = x * W` that loop
    walks `W` with a stride of a whole row, which LLVM cannot vectorize.
    This pass moves the innermost dim of each generic's output (when it is a
    parallel loop) to the innermost position, provided every input either
    does not depend on it or has it as its own innermost (contiguous) dim.
    `y[t, n] += x[t, k] * W[k, n]` then runs `n` innermost: one broadcast of
    `x[t, k]`, contiguous loads of `W` and `y`, which vectorize. Generics
    whose output's innermost dim does not qualify (e.g. `q k^T`, whose
    reduction is contiguous in both operands) keep their order. Named
    contractions are generalized first.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def AttnApproximateMath : Pass<"attn-approximate-math"> {
  let summary = "Replaces exp, erf and tanh by vectorizable polynomial approximations";
  let description = [{
    Lowered to libm, `math.exp` (softmax, SiLU) and `math.erf` (GELU) are
    scalar calls that LLVM cannot vectorize; on the CPU they cost more than
    the matrix products around them. This pass applies MLIR's f32
    polynomial approximations (`populateMathPolynomialApproximationPatterns`)
    to them: plain arithmetic (range reduction and polynomials) that
    vectorizes with the loops around it. The end-to-end encoder tests stay
    below 1e-6 relative error against float64 references with it.

    With `scalef` (targets with AVX-512), `math.exp` on f32 vectors takes a
    shorter form instead: the same range reduction and a degree-5
    polynomial, then 2^n applied by one `vscalefps`: the intrinsic
    `llvm.x86.avx512.mask.scalef.ps.512` on `vector<16xf32>` (n stays a
    float), `llvm.ldexp` on other widths (n converted to integers, which
    LLVM converts back). The target must have AVX-512F: the intrinsic has
    no other lowering. Max relative error 1.7e-7; inputs clamped to
    [-104, 89] (0 and inf in f32), NaN kept.
  }];
  let options = [
    Option<"scalef", "scalef", "bool", "false",
           "exp on f32 vectors through vscalefps (AVX-512F targets "
           "only)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def AttnParallelizeOuterLoops : Pass<"attn-parallelize-outer-loops"> {
  let summary = "Keeps only outermost scf.parallel loops parallel";
  let description = [{
    `convert-linalg-to-parallel-loops` makes every parallel dim of every
    linalg op an `scf.parallel`, nested ones included, and
    `convert-scf-to-openmp` would fork a team for each of them. This pass
    turns every `scf.parallel` (without reductions) nested in another one
    into `scf.for` loops, so that each loop nest forks once and its threads
    share the outermost iterations.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def AttnInlineAllocaScopes : Pass<"attn-inline-alloca-scopes"> {
  let summary = "Inlines memref.alloca_scope regions that allocate nothing";
  let description = [{
    `convert-scf-to-openmp` wraps every parallel loop body in a
    `memref.alloca_scope`, whose region must stay a single block; after
    `convert-scf-to-cf` turns nested loops into blocks it no longer
    verifies. A scope without `memref.alloca` directly in it has nothing to
    release, so its body is inlined into the parent.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def AttnVectorizeContractions : Pass<"attn-vectorize-contractions"> {
  let summary = "Register-tiled vector code for contractions on buffers";
  let description = [{
    Scalar loops of a contraction `C += A * B` load and store `C` once per
    multiply-add. This pass rewrites every `linalg.generic` contraction on
    buffers (f32, projected-permutation maps) whose output `C` and right
    operand `B` share their innermost dim `n`, contiguous, into register
    tiles: `rows` rows of `C` (the innermost M dim of `C`) times 1, 2 or 4
    vectors of 16 columns are loaded once, the reduction loops run with the
    tile in `scf.for` iteration arguments (one broadcast of `A[m, k]` per
    row, one vector load of `B[k, n..n+15]` per column vector,
    `rows * vectors` `vector.fma`), and the tile is stored once.

    Rows are cut into blocks of `block-rows`; within a block, each column
    tile runs over all the block's row tiles before the next column tile,
    so that the `B` panel of a column tile is read from cache, not memory.
    Rows that do not fill a tile run in tiles of `rows / 2`, then one at a
    time. A column dim that is dynamic or not a multiple of the tile (the
    keys of a flash block) ends in masked vectors (`vector.create_mask`,
    `vector.maskedload` / `maskedstore`). Every other dim is a loop around
    the tiles.

    When the op right before the contraction is a `linalg.fill` of `C` (the
    zero of `q k^T`) or a `linalg.broadcast` of a row vector over all of
    `C` (a bias), the tiles start from the fill value or the bias vectors
    instead of loading `C`, and the fill or broadcast is erased: one pass
    over `C` less per contraction (~4% of the 16-layer encoder at T=1024).

    With `epilogues`, an element-wise `linalg.generic` right after the
    contraction (only allocations, views and deallocations of other
    buffers in between) whose loops are `C`'s dims is applied to the
    accumulators before they are stored: the activation after a
    feed-forward product, the division of a reuse layer's apply by the
    map's row sums. It must read `C` once per element with identity maps,
    either as an input while writing a buffer of its own (which the tiles
    then write; `C` is erased) or as its own output (in place); its other
    inputs must be read along `C`'s columns (a bias: vectors) or be
    constant along a row (row sums: broadcast scalars). One pass over `C`
    less, and none over its rows on one thread after they left the cache.

    This covers `x * W` projections, the output projection, feed-forward
    layers, `map * V` and `q k^T`. When `B` is contiguous along a reduction
    dim instead (`q k^T` with keys `[.., Tk, dk]`), the pass first copies it
    transposed into a buffer of its own (`memref.alloc`, `linalg.transpose`,
    `memref.dealloc` after the tiles): O(K N) copies for O(M K N)
    multiply-adds. With
    `parallel`, the loop over row blocks is an `scf.parallel` (OpenMP after
    `convert-scf-to-openmp`); with `threads` > 1 as well, it has one
    iteration per thread instead, each running the blocks of an equal share
    of the row tiles (a static schedule of equal blocks would leave up to a
    block more to one thread: 6 blocks against 5 for 1024 rows), the last
    also the rows that do not fill a tile; the other dims of `C` (the heads
    of a batch matmul) join that loop, so that the whole contraction is one
    fork and join. A contraction inside an `scf.forall` or `scf.parallel`
    (a query block of attention) stays sequential: the threads share the
    outer loop.
  }];
  let options = [
    Option<"rows", "rows", "int64_t", "4", "rows of C per register tile (1-8)">,
    Option<"blockRows", "block-rows", "int64_t", "96",
           "rows of C per cache block: every column tile runs over the "
           "register tiles of one block before the next column tile">,
    Option<"parallel", "parallel", "bool", "false",
           "make the loop over row blocks an scf.parallel">,
    Option<"threads", "threads", "int64_t", "0",
           "with parallel and > 1: the scf.parallel has one iteration per "
           "thread, each running the blocks of an equal share of the rows "
           "(0: one iteration per block)">,
    Option<"epilogues", "epilogues", "bool", "true",
           "apply an element-wise generic right after the contraction to "
           "the accumulators before they are stored">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def AttnVectorizeRows : Pass<"attn-vectorize-rows"> {
  let summary = "Vector loops for generics on buffers along a contiguous row";
  let description = [{
    `convert-linalg-to-loops` leaves the vectorization of element-wise maps,
    copies and row reductions to LLVM, which often declines: with dynamic
    shapes it cannot rule out that the buffers alias, and a row reduction
    (the maxima and sums of a softmax, LayerNorm's statistics) keeps its
    accumulator in the output buffer, in memory. This pass rewrites every
    `linalg.generic` on f32 buffers that has a loop `r` (its only reduction
    loop, or its innermost loop when all are parallel) that each operand
    either does not index or indexes as its innermost, contiguous dim:

    * the other loops stay scalar (`scf.for`, or one `scf.parallel` with
      `parallel`); the payload that does not depend on `r` is computed once
      per row, in scalars;
    * `r` runs over vectors of 16 lanes: the rest of the payload is cloned
      on vectors, and outputs indexed by `r` are stored as vectors;
    * an output not indexed by `r` must be a reduction
      `out = combine(out, x)` (`addf`, `mulf`, `maximumf`, `minimumf`,
      `maxnumf`, `minnumf`); it carries 4 accumulators (independent chains)
      in registers, started from the combiner's identity, combined after
      the loop, reduced across lanes by a tree of shuffles and combined with
      the output's initial value;
    * a dynamic or ragged `r` ends in masked vectors (idle lanes contribute
      the identity).

    `linalg.transpose` and `linalg.copy` that keep the innermost dim (the
    head split and merge of attention) are generalized first, so they copy
    whole vectors. Reductions reassociate their sums, as LLVM's own
    vectorized reductions do; `reductions=false` leaves them alone
    (attn-compile `--reassociate=false`).
  }];
  let options = [
    Option<"parallel", "parallel", "bool", "false",
           "make the loops around r one scf.parallel">,
    Option<"reductions", "reductions", "bool", "true",
           "also vectorize reductions (reassociates them)">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def AttnVectorizeTransposes : Pass<"attn-vectorize-transposes"> {
  let summary = "16x16 register transposes for linalg.transpose that moves the innermost dim";
  let description = [{
    A `linalg.transpose` on f32 buffers that moves the innermost dim (the
    keys of attention, split into heads and transposed so that the score
    kernels read contiguous rows of k^T: [B, T, H, dk] to [B, H, dk, T])
    reads or writes one operand with a stride whatever the loop order:
    `convert-linalg-to-loops` leaves it to LLVM, which copies element by
    element or with gathers. This pass copies it in tiles of 16 x 16 over
    the input dim that becomes the output's innermost one and the input's
    innermost dim: 16 contiguous row loads, an in-register transpose
    (`vector.transpose`, lowered here to the 64 shuffles of
    `vector-transpose-lowering=shuffle_16x16`) and 16 contiguous row stores.

    * Both operands must have a contiguous innermost dim, and neither tile
      dim may be statically shorter than 16; other transposes are left
      alone (one that keeps the innermost dim copies whole rows in
      attn-vectorize-rows).
    * The loops over the other dims (in the output's order) and over the
      tile rows are one `scf.parallel` with `parallel`, nested `scf.for`
      loops otherwise.
    * The rows and columns that do not fill a tile (dynamic or ragged
      sizes) stay `linalg.transpose` ops on subviews, for the loop lowering.
  }];
  let options = [
    Option<"parallel", "parallel", "bool", "false",
           "make the loops around the tiles one scf.parallel">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

def AttnFuseElementwise : Pass<"attn-fuse-elementwise"> {
  let summary = "Fuses element-wise linalg producers that are read once per element";
  let description = [{
    `linalg-fuse-elementwise-ops` also fuses a producer into a consumer that
    reads each of its elements many times: an activation fused into the
    next matrix product is recomputed for every output column (the exp of
    SiLU, N times). This pass applies the same upstream patterns
    (`populateElementwiseOpsFusionPatterns`) only where the consumer's
    indexing map of the fused operand is a permutation of its loops, so
    that every producer element is computed once: chains of element-wise
    ops, and reductions that read every element once (LayerNorm statistics
    of a residual sum), fuse; contractions keep their inputs. A producer
    fuses only when all of its uses do: one that stays materialised for a
    contraction (a LayerNorm output) is read by its element-wise consumers,
    not recomputed in each of them from all of its own inputs.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::affine::AffineDialect"];
}

def AttnTileRowChains : Pass<"attn-tile-row-chains"> {
  let summary = "Runs each LayerNorm-like chain of row ops once per block of rows";
  let description = [{
    A LayerNorm on tensors is a chain of generics over the same rows: a
    fill, the row sums (with the residual sum fused in), the means, the
    squared deviations, the reciprocal standard deviations and the
    normalised output. Lowered one by one, each is a loop nest over all
    rows, and on several threads a parallel region of its own with a fork
    and a join, and every one of them reads the rows again from memory.

    This pass tiles the chain's last op (an element-wise generic over rows
    whose chain holds a reduction along the row) into an `scf.forall` over
    blocks of `rows` rows, and fuses the rest of the chain into each block
    with upstream's `tileConsumerAndFuseProducersUsingSCF`. Only fills and
    generics whose one reduction is the innermost loop join a chain, and
    only when every use of their results is in the chain: contractions keep
    their kernels, and an op that is also read elsewhere (a LayerNorm
    output that a matrix product reads) is not computed twice. Generics
    already in a loop (attention's query blocks) are left alone.

    A LayerNorm then runs in one parallel region instead of four, on rows
    that stay in the L1 cache between its passes.
  }];
  let options = [
    Option<"rows", "rows", "int64_t", "8",
           "rows per block (the loop before the row; 1 along the loops "
           "before it)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect"];
}

def AttnSplitSharedFills : Pass<"attn-split-shared-fills"> {
  let summary = "Gives every linalg destination its own linalg.fill";
  let description = [{
    CSE merges equal fills: the zero outputs of a reuse group's applies, the
    zero initial row sums of a LayerNorm's two reductions. One-shot
    bufferization then copies the shared fill for every op that overwrites
    it (a zero loop and a `memref.copy` per apply of an 8-layer group), and
    the contraction kernels of attn-vectorize-contractions, which start
    their register tiles from the fill they replace, no longer see it.

    This pass, run just before bufferization, clones a fill with several
    uses before each linalg op that uses it as a destination (`outs`): every
    destination then bufferizes in place into its own buffer. A fill that
    other ops read keeps them; the destinations all get clones.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def AttnEarlyDeallocs : Pass<"attn-early-deallocs"> {
  let summary = "Moves each memref.dealloc to just after the buffer's last use";
  let description = [{
    MLIR's ownership-based deallocation (`buffer-deallocation-pipeline`)
    frees the buffers of a block at the end of the block. In a layer
    function that keeps every temporary of the layer live until it returns,
    and in a reuse group's function (attn-outline-layers) every temporary of
    all of its layers: fresh memory for each op, where the runtime's
    workspace would otherwise hand the buffer that one op freed, still in
    cache, to the next.

    This pass moves every unconditional `memref.dealloc` of a buffer that a
    `memref.alloc` of the same block made to just after the last op of that
    block that uses the buffer, or any value derived from it by an op that
    uses it (views, reshapes, loop results, its pointer). A buffer from
    which a value leaves through the block's terminator stays as it is. Run it right
    after `buffer-deallocation-pipeline`.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def AttnExpandShapesToCasts : Pass<"attn-expand-shapes-to-casts", "::mlir::func::FuncOp"> {
  let summary = "Rewrites memref.expand_shape with several dynamic sizes in a group";
  let description = [{
    Works around a crash of MLIR 22.1's `expand-strided-metadata` on a
    `memref.expand_shape` that splits one dimension into several dynamic
    ones (for example `[B*T, D] -> [B, T, D]` with B and T dynamic, which
    every projection of a model with a dynamic batch and sequence makes).
    Such an expand_shape of a contiguous buffer becomes the
    `memref.reinterpret_cast` it stands for (offset 0, the output sizes, the
    row-major strides), which expand-strided-metadata handles. Other
    expand_shapes are left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // ATTN_PIPELINES_PASSES_TD
