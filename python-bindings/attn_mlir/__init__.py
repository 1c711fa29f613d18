"""attn_mlir: the attn-mlir compiler toolkit from Python.

    import attn_mlir as am
    m = am.build_encoder(layers=16, d_model=256, heads=4, ffn=1024)
    m = am.import_torch(torch_encoder)            # or from PyTorch
    m2 = m.apply("attn-decompose,attn-reuse-map{group-size=4}")
    print(m2.report(seq_len=1024))
    m2.save("reused.mlir")                        # + reused.safetensors

Models are MLIR modules in the attn dialect (``str(m)``) with named
parameters (``m.params``, name -> float32 ndarray). Errors from MLIR raise
`MLIRError` (a RuntimeError) whose ``diagnostics`` attribute holds MLIR's
messages. See docs/python.md.
"""

from ._native import MLIRError
from .compiled import CompiledModel
from .model import Model, build_encoder, load, parse
from .params import ParamInfo, read_safetensors, write_safetensors
from .report import LayerReport, Report
from .torch_import import UnsupportedTorchModule, import_torch

__all__ = [
    "CompiledModel",
    "MLIRError",
    "Model",
    "ParamInfo",
    "LayerReport",
    "Report",
    "UnsupportedTorchModule",
    "build_encoder",
    "import_torch",
    "load",
    "parse",
    "read_safetensors",
    "write_safetensors",
]
