#!/usr/bin/python3
"""Independent NumPy reference of the CPU execution tests in this folder.

Every case computes the attn ops from their equations (DESIGN.md, METHODS.md,
the op descriptions), in float64 from float32 inputs, without looking at the
lowering. For a case it prints the inputs as MLIR constants (what the test's
@main holds) and the FileCheck lines of the expected printMemrefF32 output:

    /usr/bin/python3 test/Execution/reference.py attention

Tolerance: printMemrefF32 prints 6 significant digits; FileCheck compares ~5
of them. Each expected value v becomes its first digits as text and a regex
for the rest (see value_pattern): x must fall in v's 5-significant-digit
bucket, or in the next one where v is within 2e-6 |v| + 5e-7 of its edge;
that is a relative error below ~1e-5. Exact zeros must print as 0; values
below ~1e-6 accept any |x| < 1e-5.
"""

import math
import re
import sys
from decimal import ROUND_FLOOR, Decimal

import numpy as np

RTOL = 2e-6
ATOL = 5e-7
# |x| < 1e-5, for expected values too small to compare digit by digit.
ZERO = "-?(0|[0-9.]+e-(0[6-9]|[1-9][0-9]))"
NEG_INF = float("-inf")

#===------------------------------------------------------------------------===#
# Inputs and printing
#===------------------------------------------------------------------------===#


def det(shape, seed, scale=1.0):
    """Deterministic inputs: sin waves rounded to 2 decimals, as float32."""
    n = int(np.prod(shape))
    values = np.round(np.sin(np.arange(n) * 0.61803 + seed * 1.37) * scale, 2)
    return values.reshape(shape).astype(np.float32)


def mlir_literal(array):
    """`dense<...> : tensor<...>` text of a float32 or bool array."""
    def element(x):
        if array.dtype == np.bool_:
            return "true" if x else "false"
        if math.isinf(x):
            return "0xFF800000" if x < 0 else "0x7F800000"
        return "%.2f" % x

    def nested(a):
        if a.ndim == 0:
            return element(a.item())
        return "[" + ", ".join(nested(sub) for sub in a) + "]"

    element_type = "i1" if array.dtype == np.bool_ else "f32"
    shape = "x".join(str(d) for d in array.shape)
    return "dense<%s> : tensor<%sx%s>" % (nested(array), shape, element_type)


def _escape(text):
    return text.replace(".", "\\.").replace("+", "\\+")


def _bucket(p, step):
    """(literal, regex tail) of the %g text of any x in [p, p + step), where
    p is a positive multiple of step, a power of ten."""
    exp = step.adjusted()
    if exp >= 0:
        text = str(int(p))
        return text[:len(text) - exp], "[0-9]" * exp + "(\\.[0-9]*)?"
    text = "%.*f" % (-exp, p)
    core = text.rstrip("0").rstrip(".")
    rest = text[len(core):]
    # %g drops trailing zeros: "0.2380" prints as "0.238".
    return core, ("(" + _escape(rest) + "[0-9]*)?" if rest else "[0-9]*")


def value_pattern(v):
    """FileCheck pattern of printMemrefF32's text of a float32 close to v:
    the literal digits all accepted values share, then a regex for the rest.
    Accepted: the 5-significant-digit bucket of v, and its neighbour when v
    lies within 2e-6 |v| + 5e-7 (the float32 error of these small
    computations) of the bucket's edge."""
    if v == 0.0:
        return "0"
    tol = Decimal(RTOL * abs(v) + ATOL)
    a = Decimal(abs(v))
    step = max(Decimal(1).scaleb(a.adjusted() - 4),
               Decimal(1).scaleb(math.ceil(math.log10(tol))))
    if a < 2 * step:
        return "{{" + ZERO + "}}"
    first = int(((a - tol) / step).to_integral_value(ROUND_FLOOR))
    last = int(((a + tol) / step).to_integral_value(ROUND_FLOOR))
    buckets = []
    for n in range(first, last + 1):
        p = n * step
        e = p.adjusted()
        if -4 <= e < 6:
            buckets.append(_bucket(p, step))
        else:
            literal, tail = _bucket(p.scaleb(-e), step.scaleb(-e))
            buckets.append((literal, tail + "e%s%02d" % ("-" if e < 0 else
                                                          "\\+", abs(e))))
    common = buckets[0][0]
    for literal, _ in buckets[1:]:
        while not literal.startswith(common):
            common = common[:-1]
    tails = [_escape(literal[len(common):]) + tail for literal, tail in buckets]
    if len(tails) == 1:
        regex = tails[0]
    elif all(re.fullmatch(r"[0-9]\[0-9\]\*", t) for t in tails):
        regex = "[%s][0-9]*" % "".join(t[0] for t in tails)
    else:
        regex = "(" + "|".join(tails) + ")"
    return ("-" if v < 0 else "") + common + "{{" + regex + "}}"


def check_lines(array):
    """CHECK lines of printMemrefF32(array): the header, then each row."""
    array = np.asarray(array, dtype=np.float64)
    lines = ["// CHECK: Unranked Memref {{.*}} sizes = [%s]" %
             ", ".join(str(d) for d in array.shape)]
    for row in array.reshape(-1, array.shape[-1]):
        lines.append("// CHECK-NEXT: [" +
                     ", ".join(value_pattern(x) for x in row) + "]")
    return lines


def emit(name, inputs, outputs):
    print("// ---- inputs of %s ----" % name)
    for key, array in inputs.items():
        print("%%%s = arith.constant %s" % (key, mlir_literal(array)))
    for label, array in outputs:
        print("// ---- %s ----" % label)
        print("\n".join(check_lines(array)))


#===------------------------------------------------------------------------===#
# The ops, from their equations
#===------------------------------------------------------------------------===#


def f64(x):
    return np.asarray(x, dtype=np.float64)


def project(x, w, b, heads):
    """[B, T, D] x [D, H*d] (+ b) -> [B, H, T, d]."""
    y = f64(x) @ f64(w) + (0 if b is None else f64(b))
    bsz, t, width = y.shape
    return y.reshape(bsz, t, heads, width // heads).transpose(0, 2, 1, 3)


def head_embed(p, e, mode):
    p, e = f64(p)[:, None, :, :], f64(e)[None, :, None, :]
    return p + e if mode == "add" else p * e


def merge(heads, wo, b):
    bsz, h, t, dv = heads.shape
    y = f64(heads).transpose(0, 2, 1, 3).reshape(bsz, t, h * dv) @ f64(wo)
    return y + (0 if b is None else f64(b))


def logits_mask(logits, mask, causal):
    """Adds a float mask or puts -inf where an i1 mask is false or where a
    key comes after the query (top-left causal: key j allowed iff j <= i)."""
    if mask is not None:
        if mask.dtype == np.bool_:
            logits = np.where(np.broadcast_to(mask, logits.shape), logits,
                              NEG_INF)
        else:
            logits = logits + f64(mask)
    if causal:
        tq, tk = logits.shape[-2:]
        allowed = np.arange(tk)[None, :] <= np.arange(tq)[:, None]
        logits = np.where(allowed, logits, NEG_INF)
    return logits


def softmax_rows(logits):
    """Softmax over the last axis; a row that is all -inf gives zeros."""
    peak = logits.max(axis=-1, keepdims=True)
    safe = np.where(np.isneginf(peak), 0.0, peak)
    e = np.exp(logits - safe)
    total = e.sum(axis=-1, keepdims=True)
    return np.where(total == 0, 0.0, e / np.where(total == 0, 1.0, total))


def scores(q, k, mask=None, causal=False, scale=None):
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    logits = scale * np.einsum("bhid,bhjd->bhij", f64(q), f64(k))
    return softmax_rows(logits_mask(logits, mask, causal))


def apply(attn_map, v):
    return np.einsum("bhij,bhjd->bhid", f64(attn_map), f64(v))


def mgk_scores(q, keys, pi, sigma_sq, mask=None, causal=False):
    """a_ij = sum_r pi_r exp(-|q_i - k_jr|^2 / (2 s)) / sum over (j', r')."""
    diff = f64(q)[:, :, None, :, None, :] - f64(keys)[:, :, :, None, :, :]
    dist = (diff ** 2).sum(-1)                       # [B, H, R, Tq, Tk]
    kernel = f64(pi)[None, :, :, None, None] * np.exp(-dist / (2 * sigma_sq))
    weights = kernel.sum(axis=2)                     # [B, H, Tq, Tk]
    # Masks act on key positions: additive in log space, i1/causal zero out.
    allowed = logits_mask(np.zeros(weights.shape), mask, causal)
    weights = weights * np.exp(allowed)
    total = weights.sum(axis=-1, keepdims=True)
    return np.where(total == 0, 0.0, weights / np.where(total == 0, 1, total))


def layer_norm(x, gamma, beta, eps=1e-5):
    x = f64(x)
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * f64(gamma) + f64(beta)


def activation(x, kind):
    if kind == "relu":
        return np.maximum(x, 0.0)
    if kind == "gelu":
        return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))
    if kind == "silu":
        return x / (1.0 + np.exp(-x))
    if kind == "leaky_relu":
        return np.where(x > 0, x, 0.01 * x)
    raise ValueError(kind)


def ffn(x, weights, biases, kind):
    h = f64(x)
    for i, w in enumerate(weights):
        h = h @ f64(w) + (f64(biases[i]) if biases else 0.0)
        if i + 1 < len(weights):
            h = activation(h, kind)
    return h


def seq_mlp(x, max_len, w0, w1, kind, b0=None, b1=None, norm_in=None,
            norm_hidden=None, eps=1e-5):
    """Pad to max_len, flatten, [LN], Linear, act, [LN], Linear, unpad."""
    bsz, t, d = x.shape
    padded = np.zeros((bsz, max_len, d))
    padded[:, :t, :] = f64(x)
    h = padded.reshape(bsz, max_len * d)
    if norm_in is not None:
        h = layer_norm(h, *norm_in, eps)
    h = h @ f64(w0) + (0 if b0 is None else f64(b0))
    h = activation(h, kind)
    if norm_hidden is not None:
        h = layer_norm(h, *norm_hidden, eps)
    y = h @ f64(w1) + (0 if b1 is None else f64(b1))
    y = y.reshape(bsz, max_len, -1)
    y[:, t:, :] = 0.0                 # the paper's mask of padded positions
    return y[:, :t, :]


def head_seq_mlp(x, max_len, w0, w1, kind, b0=None, b1=None, norm_in=None,
                 norm_hidden=None):
    heads = [seq_mlp(x, max_len, w0[h], w1[h], kind,
                     None if b0 is None else b0[h],
                     None if b1 is None else b1[h],
                     None if norm_in is None else (norm_in[0][h], norm_in[1][h]),
                     None if norm_hidden is None else
                     (norm_hidden[0][h], norm_hidden[1][h]))
             for h in range(w0.shape[0])]
    return np.stack(heads, axis=1)


def mha(query, kv, wq, wk, wv, wo, heads, bq=None, bk=None, bv=None, bo=None,
        mask=None, causal=False, scale=None):
    q = project(query, wq, bq, heads)
    k = project(kv, wk, bk, heads)
    v = project(kv, wv, bv, heads)
    return merge(apply(scores(q, k, mask, causal, scale), v), wo, bo)


#===------------------------------------------------------------------------===#
# Cases (one per test file; outputs in the order the test prints them)
#===------------------------------------------------------------------------===#


def case_attention():
    q, k, v = det((2, 2, 3, 4), 1), det((2, 2, 5, 4), 2), det((2, 2, 5, 3), 3)
    fmask = det((1, 1, 3, 5), 4)
    fmask[0, 0, 2, 1] = NEG_INF
    kmask = np.ones((2, 1, 1, 5), dtype=np.bool_)
    kmask[0, 0, 0, 4] = False
    kmask[1, 0, 0, :2] = False
    rmask = np.ones((3, 5), dtype=np.bool_)
    rmask[1, :] = False                   # query 1 sees no key
    rmask[2, 3] = False
    plain = scores(q, k)
    causal = scores(q, k, causal=True)
    additive = scores(q, k, fmask, scale=0.3)
    keys = scores(q, k, kmask)
    rows = scores(q, k, rmask)
    emit("attention", dict(q=q, k=k, v=v, fmask=fmask, kmask=kmask,
                           rmask=rmask), [
        ("scores", plain),
        ("apply(scores)", apply(plain, v)),
        ("attend", apply(plain, v)),
        ("apply(scores causal)", apply(causal, v)),
        ("attend causal", apply(causal, v)),
        ("apply(scores f32 mask, scale 0.3)", apply(additive, v)),
        ("attend f32 mask, scale 0.3", apply(additive, v)),
        ("scores i1 key mask", keys),
        ("attend i1 key mask", apply(keys, v)),
        ("scores i1 mask, query 1 fully masked", rows),
        ("apply(scores i1 mask)", apply(rows, v)),
        ("attend i1 mask", apply(rows, v)),
    ])


def case_mgk():
    q, keys = det((1, 2, 3, 4), 11), det((1, 2, 2, 5, 4), 12)
    pi = np.array([[0.3, 0.7], [0.5, 0.5]], dtype=np.float32)
    v = det((1, 2, 5, 3), 13)
    kmask = np.array([True, True, False, True, True])
    plain = mgk_scores(q, keys, pi, 2.0)
    masked = mgk_scores(q, keys, pi, 0.5, kmask, causal=True)
    emit("mgk", dict(q=q, keys=keys, pi=pi, v=v, kmask=kmask), [
        ("mgk_scores sigma_sq 2", plain),
        ("apply(mgk_scores)", apply(plain, v)),
        ("mgk_scores sigma_sq 0.5, i1 mask, causal", masked),
    ])


def case_projections():
    x, w, b = det((2, 3, 4), 21), det((4, 6), 22), det((6,), 23)
    p, e = det((2, 3, 3), 24), det((2, 3), 25)
    heads, wo, bo = det((2, 2, 3, 3), 26), det((6, 4), 27), det((4,), 28)
    emit("projections", dict(x=x, w=w, b=b, p=p, e=e, heads=heads, wo=wo,
                             bo=bo), [
        ("project heads(2) bias, dynamic B and T", project(x, w, b, 2)),
        ("project heads(3)", project(x, w, None, 3)),
        ("head_embed add", head_embed(p, e, "add")),
        ("head_embed mul", head_embed(p, e, "mul")),
        ("merge bias", merge(heads, wo, bo)),
        ("merge, dynamic B and T", merge(heads, wo, None)),
    ])


def case_feedforward():
    x, gamma, beta = det((2, 3, 4), 31), det((4,), 32), det((4,), 33)
    x2 = det((3, 4), 34)
    w0, b0, w1, b1 = det((4, 6), 35), det((6,), 36), det((6, 4), 37), \
        det((4,), 38)
    w1b, w2b = det((6, 5), 39), det((5, 4), 40)
    emit("feedforward", dict(x=x, gamma=gamma, beta=beta, x2=x2, w0=w0, b0=b0,
                             w1=w1, b1=b1, w1b=w1b, w2b=w2b), [
        ("layer_norm", layer_norm(x, gamma, beta)),
        ("layer_norm rank 2, dynamic, epsilon 0.1",
         layer_norm(x2, gamma, beta, 0.1)),
        ("ffn relu", ffn(x, [w0, w1], [b0, b1], "relu")),
        ("ffn gelu", ffn(x, [w0, w1], [b0, b1], "gelu")),
        ("ffn silu", ffn(x, [w0, w1], [b0, b1], "silu")),
        ("ffn leaky_relu", ffn(x, [w0, w1], [b0, b1], "leaky_relu")),
        ("ffn depth 3, no biases, gelu, dynamic",
         ffn(x, [w0, w1b, w2b], [], "gelu")),
    ])


def case_seq_mlp():
    x = det((2, 3, 4), 41)
    w0, b0 = det((16, 5), 42, 0.5), det((5,), 43)
    gin, bin_ = det((16,), 44), det((16,), 45)
    gh, bh = det((5,), 46), det((5,), 47)
    w1, b1 = det((5, 12), 48), det((12,), 49)
    w0h, b0h = det((2, 16, 5), 50, 0.5), det((2, 5), 51)
    ginh, binh = det((2, 16), 52), det((2, 16), 53)
    ghh, bhh = det((2, 5), 54), det((2, 5), 55)
    w1h, b1h = det((2, 5, 8), 56), det((2, 8), 57)
    emit("seq_mlp", dict(x=x, w0=w0, b0=b0, gin=gin, bin=bin_, gh=gh, bh=bh,
                         w1=w1, b1=b1, w0h=w0h, b0h=b0h, ginh=ginh, binh=binh,
                         ghh=ghh, bhh=bhh, w1h=w1h, b1h=b1h), [
        ("seq_mlp all operands, leaky_relu, dynamic T",
         seq_mlp(x, 4, w0, w1, "leaky_relu", b0, b1, (gin, bin_), (gh, bh))),
        ("seq_mlp minimal, relu", seq_mlp(x, 4, w0, w1, "relu")),
        ("head_seq_mlp all operands, gelu",
         head_seq_mlp(x, 4, w0h, w1h, "gelu", b0h, b1h, (ginh, binh),
                      (ghh, bhh))),
        ("head_seq_mlp minimal, silu, dynamic T",
         head_seq_mlp(x, 4, w0h, w1h, "silu")),
    ])


def case_mha():
    x, y = det((2, 3, 4), 61), det((2, 5, 4), 70)
    wq, wk, wv, wo = (det((4, 4), s) for s in (62, 63, 64, 65))
    bq, bk, bv, bo = (det((4,), s) for s in (66, 67, 68, 69))
    kmask = np.ones((2, 1, 1, 5), dtype=np.bool_)
    kmask[0, 0, 0, 3:] = False
    emit("mha", dict(x=x, y=y, wq=wq, wk=wk, wv=wv, wo=wo, bq=bq, bk=bk,
                     bv=bv, bo=bo, kmask=kmask), [
        ("mha self-attention, biases, causal",
         mha(x, x, wq, wk, wv, wo, 2, bq, bk, bv, bo, causal=True)),
        ("mha cross-attention, i1 key mask, scale 0.4, dynamic",
         mha(x, y, wq, wk, wv, wo, 2, mask=kmask, scale=0.4)),
    ])


CASES = {
    "attention": case_attention,
    "feedforward": case_feedforward,
    "mgk": case_mgk,
    "mha": case_mha,
    "projections": case_projections,
    "seq_mlp": case_seq_mlp,
}

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(CASES)
    for name in names:
        if name not in CASES:
            sys.exit("unknown case %r; cases: %s" % (name, ", ".join(CASES)))
        CASES[name]()
