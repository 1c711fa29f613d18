"""`CompiledModel`: a model compiled ahead of time, loaded in-process."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Dict, Mapping, Optional, Sequence, Tuple

import numpy as np

from ._native import native


def _shape(dims: Sequence[int]) -> Tuple[Optional[int], ...]:
    return tuple(None if d < 0 else int(d) for d in dims)


#: PyTorch's names of the mask arguments, accepted as keywords for the
#: inputs of that mask kind (manifest ``inputs[i]["mask"]``).
_TORCH_MASK_NAMES = {
    "additive": ("src_mask", "attn_mask"),
    "key_padding": ("src_key_padding_mask",),
}


def _alias(specs, key: str) -> Optional[str]:
    """The input that PyTorch's argument name `key` stands for, if any."""
    for spec in specs:
        if key in _TORCH_MASK_NAMES.get(spec.get("mask", ""), ()):
            return spec["name"]
    return None


def _array(value) -> np.ndarray:
    # torch.Tensor (on the CPU) and anything else array-like.
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    return np.asarray(value)


def _float_input(spec, value) -> np.ndarray:
    a = _array(value)
    if not (np.issubdtype(a.dtype, np.floating) or
            np.issubdtype(a.dtype, np.integer)):
        raise ValueError(f"input '{spec['name']}' must be a float array, got "
                         f"dtype {a.dtype}")
    return np.ascontiguousarray(a, np.float32)


def _mask_input(spec, value) -> np.ndarray:
    """A mask in PyTorch's conventions as the additive float32 mask the
    model takes: floats are added as they are; bools are True where
    attention is not allowed (-inf), False elsewhere (0)."""
    a = _array(value)
    name, kind = spec["name"], spec["mask"]
    if a.ndim != len(spec["shape"]):
        form = ("[T, T] (PyTorch's 3-D per-head [B*H, T, T] form is not "
                "supported)" if kind == "additive" else "[B, T]")
        raise ValueError(f"mask '{name}' ({kind}) of shape {tuple(a.shape)}: "
                         f"expected a {len(spec['shape'])}-D mask {form}")
    if a.dtype == np.bool_:
        return np.where(a, np.float32(-np.inf), np.float32(0))
    if not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"mask '{name}' must be float (added to the scores) "
                         f"or bool (True = masked out), got dtype {a.dtype}")
    return np.ascontiguousarray(a, np.float32)


def _no_mask(spec, x_spec, x_shape) -> np.ndarray:
    """Zeros (nothing masked out) of the shape the mask's dim symbols give
    from x's shape."""
    sizes = dict(zip(x_spec.get("dims", ()), x_shape))
    shape = []
    for i, dim in enumerate(spec["shape"]):
        symbols = spec.get("dims", ())
        size = sizes.get(symbols[i]) if i < len(symbols) else None
        if size is None:
            size = dim
        if size is None or size < 0:
            raise TypeError(f"missing input '{spec['name']}' (its shape "
                            "cannot be derived from x)")
        shape.append(size)
    return np.zeros(shape, np.float32)


class CompiledModel:
    """A model library written by attn-compile (or `Model.compile`),
    loaded in this process with one model instance.

    ``lib(x)`` runs it: `x` is a float32 array of the input shape
    (``input_shape``, None for dynamic dims) and the result a new float32
    array. A model with mask inputs takes them by position (manifest order,
    ``input_names``) or by name: ``lib(x, mask=m, key_padding_mask=p)``;
    PyTorch's names ``src_mask``/``attn_mask`` and ``src_key_padding_mask``
    work too. Masks follow PyTorch: a float mask is added to the attention
    scores, a bool mask is True where attention is *not* allowed (it
    becomes -inf), and an omitted or None mask masks nothing. Shapes are
    checked by the library (MLIRError); wrong arguments raise TypeError,
    wrong dtypes and mask ranks ValueError.
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
    def input_names(self) -> Tuple[str, ...]:
        """The inputs in the order the model takes them ("x" first)."""
        return tuple(t["name"] for t in self.manifest["inputs"])

    @property
    def input_shapes(self) -> Dict[str, Tuple[Optional[int], ...]]:
        """Shape of every input, None for dynamic dims."""
        return {t["name"]: _shape(t["shape"]) for t in self.manifest["inputs"]}

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
        manifest's polynomial in B (dim 0) and T (dim 1 of [B, T, D], the
        second-to-last of [B, H, T, d]: include/attn/Support/ModelDims.h);
        None if unknown."""
        terms = self.manifest.get("flops", {}).get("terms")
        if not terms:
            return None
        rank = len(input_shape)
        b = input_shape[0]
        t = input_shape[rank - 2 if rank >= 4 else 1]
        return float(sum(term["coeff"] * b ** term["b"] * t ** term["t"]
                         for term in terms))

    def __call__(self, *args, **kwargs) -> np.ndarray:
        specs = self.manifest["inputs"]
        if len(specs) == 1 and len(args) == 1 and not kwargs:
            return self._native.forward(_float_input(specs[0], args[0]))
        names = [t["name"] for t in specs]
        if len(args) > len(specs):
            raise TypeError(f"the model takes {len(specs)} input(s) "
                            f"({', '.join(names)}), got {len(args)} "
                            "positional arguments")
        given: Dict[str, object] = dict(zip(names, args))
        for key, value in kwargs.items():
            name = key if key in names else _alias(specs, key)
            if name is None:
                raise TypeError(f"the model has no input '{key}' (its "
                                f"inputs: {', '.join(names)})")
            if name in given:
                raise TypeError(f"input '{name}' is given twice")
            given[name] = value
        x_spec = specs[0]
        if given.get(x_spec["name"]) is None:
            raise TypeError(f"missing input '{x_spec['name']}'")
        x = _float_input(x_spec, given[x_spec["name"]])
        arrays = []
        for spec in specs:
            value = given.get(spec["name"])
            if spec is x_spec:
                arrays.append(x)
            elif value is None and spec.get("mask"):
                arrays.append(_no_mask(spec, x_spec, x.shape))
            elif value is None:
                raise TypeError(f"missing input '{spec['name']}'")
            elif spec.get("mask"):
                arrays.append(_mask_input(spec, value))
            else:
                arrays.append(_float_input(spec, value))
        return self._native.run(names, arrays)

    def __repr__(self) -> str:
        return (f"<attn_mlir.CompiledModel {self.path.name}: "
                f"{self.input_shape} -> {self.output_shape}>")

