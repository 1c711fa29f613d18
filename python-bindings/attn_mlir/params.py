"""Model parameters: their declarations, files, and values for new ones.

A model's parameters are the `ml_program.global` symbols with an extern
value (DESIGN.md section 2). Their values live beside the IR, in a dict
name -> float32 ndarray, and in safetensors files on disk.

When a pass creates a parameter it marks where the values come from with
`attn.init`; `values_for_new_params` follows that mark:

==================  =========================================================
``copy:<name>``     a copy of parameter ``<name>`` of the input model
``mean-heads:<n>``  the mean over heads of ``<n>``: a weight ``[..., H*d]``
                    (or bias ``[H*d]``) becomes ``[..., d]``, the average of
                    its H head slices ``[..., h*d:(h+1)*d]``
``slice:<name>``    not produced by any pass yet: a clear error
``zeros``/``ones``  that constant
``random``          seeded random values (attn-model's generator)
``train``           seeded random values too, as placeholders so that the
                    model runs and can be timed; it must be trained or
                    distilled before its outputs mean anything
==================  =========================================================

Random values come from the generator of ``attn-model --seed`` (uniform,
``±1/sqrt(fan_in)`` for weights and biases), with the model's seed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Mapping, Optional, Tuple

import numpy as np

from ._native import native


@dataclass(frozen=True)
class ParamInfo:
    """One parameter declaration of a model."""

    name: str
    #: Static shape, or None when the global's type has dynamic dims.
    shape: Optional[Tuple[int, ...]]
    #: Element type as MLIR prints it ("f32").
    dtype: str
    #: Its ``attn.init`` origin, or None for an original parameter.
    init: Optional[str] = None


def param_infos(module) -> Dict[str, ParamInfo]:
    """name -> ParamInfo of every parameter of a native module, in order."""
    return {name: ParamInfo(name, shape, dtype, init)
            for name, shape, dtype, init in module.params()}


def as_param_array(name: str, value, info: ParamInfo) -> np.ndarray:
    """`value` as a C-contiguous float32 array of `info`'s shape, or a
    ValueError naming the parameter."""
    array = np.asarray(value)
    if array.dtype.kind not in "fiu" or array.dtype == np.bool_:
        raise ValueError(f"parameter '{name}': dtype {array.dtype} is not a "
                         "number type")
    if array.dtype.kind != "f":
        raise ValueError(f"parameter '{name}': dtype {array.dtype}; "
                         "parameters are floating point (f32)")
    if info.dtype != "f32":
        raise ValueError(f"parameter '{name}' has element type {info.dtype}; "
                         "only f32 parameters have values in Python")
    if info.shape is not None and tuple(array.shape) != info.shape:
        raise ValueError(f"parameter '{name}': shape {tuple(array.shape)}, "
                         f"but the model declares {info.shape}")
    return np.ascontiguousarray(array, dtype=np.float32)


def check_params(params: Mapping[str, object],
                 infos: Mapping[str, ParamInfo]) -> Dict[str, np.ndarray]:
    """Validated float32 copies of `params`, in the model's order. Every
    name must be a parameter of the model; missing ones are allowed."""
    unknown = [name for name in params if name not in infos]
    if unknown:
        raise ValueError("not parameters of the model: " +
                         ", ".join(sorted(unknown)))
    return {name: as_param_array(name, params[name], info)
            for name, info in infos.items() if name in params}


def read_safetensors(path) -> Tuple[Dict[str, np.ndarray], Dict[str, str]]:
    """({name: ndarray}, metadata) of a safetensors file, read and checked
    by the runtime's reader. BF16 tensors come back as float32."""
    return native.read_safetensors(os.fspath(path))


def write_safetensors(path, tensors: Mapping[str, np.ndarray],
                      metadata: Optional[Mapping[str, str]] = None) -> None:
    """Writes `tensors` (in order) to a safetensors file, atomically."""
    native.write_safetensors(os.fspath(path), list(tensors.items()),
                             dict(metadata or {}))


def _mean_heads(name: str, source_name: str, source: np.ndarray,
                shape: Tuple[int, ...]) -> np.ndarray:
    if (len(shape) != source.ndim or shape[:-1] != source.shape[:-1]
            or shape[-1] == 0 or source.shape[-1] % shape[-1] != 0):
        raise ValueError(
            f"parameter '{name}' ({shape}) is not the mean of the heads of "
            f"'{source_name}' ({tuple(source.shape)}): expected [..., d] "
            "from [..., H*d]")
    heads = source.shape[-1] // shape[-1]
    grouped = source.reshape(source.shape[:-1] + (heads, shape[-1]))
    return np.ascontiguousarray(grouped.mean(axis=-2, dtype=np.float64),
                                dtype=np.float32)


def derive_value(name: str, shape: Tuple[int, ...], init: str,
                 old_params: Mapping[str, np.ndarray],
                 random_values) -> Optional[np.ndarray]:
    """The value of a new parameter `name` of `shape` from its `attn.init`
    (see the module docstring), or None when its source has no value.
    `random_values()` returns {name: array} of seeded random values."""
    kind, _, source_name = init.partition(":")
    if kind in ("copy", "mean-heads", "slice"):
        if source_name not in old_params:
            return None
        source = old_params[source_name]
        if kind == "copy":
            if tuple(source.shape) != shape:
                raise ValueError(
                    f"parameter '{name}' ({shape}) cannot copy "
                    f"'{source_name}' ({tuple(source.shape)})")
            return source.copy()
        if kind == "mean-heads":
            return _mean_heads(name, source_name, source, shape)
        raise ValueError(
            f"parameter '{name}' has attn.init = \"{init}\"; the Python "
            "package does not know which slice that is yet")
    if kind == "zeros":
        return np.zeros(shape, dtype=np.float32)
    if kind == "ones":
        return np.ones(shape, dtype=np.float32)
    if kind in ("random", "train"):
        return random_values()[name]
    raise ValueError(f"parameter '{name}' has unknown attn.init \"{init}\"")


def values_for_new_params(module, old_params: Mapping[str, np.ndarray],
                          seed: int) -> Tuple[Dict[str, np.ndarray], list]:
    """Values for every parameter of `module` (a model a pipeline produced
    from one whose values are `old_params`): carried over by name, else
    derived from its ``attn.init`` (see the module docstring).

    Returns (params, missing): parameters neither carried nor derivable (no
    init, or their source has no value) are listed in `missing`."""
    infos = param_infos(module)
    params: Dict[str, np.ndarray] = {}
    missing = []
    randoms = {}

    def random_values():
        if not randoms:
            randoms.update(module.random_params(seed))
        return randoms

    for name, info in infos.items():
        if name in old_params and info.shape is not None and \
                tuple(old_params[name].shape) == info.shape:
            params[name] = old_params[name]
            continue
        if info.init is None:
            if name in old_params:
                raise ValueError(
                    f"parameter '{name}' changed shape from "
                    f"{tuple(old_params[name].shape)} to {info.shape} without "
                    "an attn.init saying where its new values come from")
            missing.append(name)
            continue
        if info.shape is None:
            raise ValueError(f"parameter '{name}' has no static shape")
        value = derive_value(name, info.shape, info.init, old_params,
                             random_values)
        if value is None:
            missing.append(name)
        else:
            params[name] = value
    return params, missing
