"""The native extension and the one MLIR context the package uses."""

from . import _attn_mlir as native  # noqa: F401  (re-exported)

MLIRError = native.MLIRError

_context = None


def context():
    """The process-wide MLIR context: every upstream and attn dialect and
    pass is registered in it. Models share it; it lives as long as any of
    them."""
    global _context
    if _context is None:
        _context = native.Context()
    return _context
