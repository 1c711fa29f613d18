"""`CompiledModel`: a model compiled ahead of time, loaded in-process."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Mapping, Optional, Sequence, Tuple

import numpy as np

from ._native import native


def _shape(dims: Sequence[int]) -> Tuple[Optional[int], ...]:
    return tuple(None if d < 0 else int(d) for d in dims)


class CompiledModel:
    """A model library written by attn-compile (or `Model.compile`),
    loaded in this process with one model instance.

    ``lib(x)`` runs it: `x` is a float32 array of the input shape
    (``input_shape``, None for dynamic dims) and the result a new float32
    array. Shapes are checked by the library; errors raise MLIRError.
    """

    def __init__(self, path, params: Optional[Mapping[str, np.ndarray]] = None,
                 _keep=None):
        self.path = Path(path)
        self._native = native.CompiledModel(os.fspath(path))
        #: The manifest (model.json): entry, inputs, outputs, params, flops,
        #: target.
        self.manifest: dict = json.loads(self._native.manifest())
        self._keep = _keep  # e.g. the temporary directory of the library
        if params is not None:
            self.set_params(params)

    @property
    def input_shape(self) -> Tuple[Optional[int], ...]:
        return _shape(self.manifest["inputs"][0]["shape"])

    @property
    def output_shape(self) -> Tuple[Optional[int], ...]:
        return _shape(self.manifest["outputs"][0]["shape"])

    @property
    def param_names(self):
        return [p["name"] for p in self.manifest["params"]]

    def set_params(self, params: Mapping[str, np.ndarray]) -> None:
        """Binds parameters by name (each exactly the manifest's shape)."""
        for name, value in params.items():
            self._native.set_param(name, np.ascontiguousarray(value,
                                                              np.float32))

    def flops(self, input_shape: Sequence[int]) -> Optional[float]:
        """FLOPs of one call on an input of `input_shape`, from the
        manifest's polynomial in B (dim 0) and T (dim 1); None if unknown."""
        terms = self.manifest.get("flops", {}).get("terms")
        if not terms:
            return None
        b, t = input_shape[0], input_shape[1]
        return float(sum(term["coeff"] * b ** term["b"] * t ** term["t"]
                         for term in terms))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self._native.forward(np.ascontiguousarray(x, np.float32))

    def __repr__(self) -> str:
        return (f"<attn_mlir.CompiledModel {self.path.name}: "
                f"{self.input_shape} -> {self.output_shape}>")

