"""`Model`: MLIR in the attn dialect plus its named parameters."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Union

import numpy as np

from ._native import MLIRError, context, native
from .compiled import CompiledModel
from .params import (ParamInfo, check_params, derive_value, param_infos,
                     read_safetensors, values_for_new_params,
                     write_safetensors)
from .report import Report, make_report

PathLike = Union[str, os.PathLike]
Params = Union[Mapping[str, np.ndarray], PathLike, None]


class Model:
    """A model: an MLIR module in the attn dialect (``str(m)``) and the
    values of its parameters (``m.params``, name -> float32 ndarray).

    Make one with `build_encoder`, `parse`, `load` or `import_torch`.
    Models are immutable in their IR: `apply` returns a new model. The
    ``params`` dict may be edited (values are checked against the IR again
    by `save`).
    """

    def __init__(self, module, params: Optional[Mapping[str, object]] = None,
                 *, seed: int = 0, diagnostics: str = "",
                 metadata: Optional[Mapping[str, str]] = None):
        """Wraps a native module (internal: use the functions above)."""
        self._module = module
        self._infos = param_infos(module)
        self.params: Dict[str, np.ndarray] = check_params(params or {},
                                                          self._infos)
        #: Seed of the random values this model gets for new parameters.
        self.seed = int(seed)
        #: Remarks and warnings of the pipeline that made this model.
        self.diagnostics = diagnostics
        #: Where the model came from (e.g. the torch module's options);
        #: saved as safetensors metadata.
        self.metadata: Dict[str, str] = dict(metadata or {})

    # --- The IR ------------------------------------------------------------

    def __str__(self) -> str:
        return str(self._module)

    def __repr__(self) -> str:
        present = sum(1 for name in self._infos if name in self.params)
        return (f"<attn_mlir.Model: {len(self._infos)} parameters "
                f"({present} with values)>")

    def text(self, debug_info: bool = False, generic: bool = False) -> str:
        """The MLIR text; with locations (``loc(...)``) or in generic form."""
        return self._module.to_text(debug_info, generic)

    @property
    def param_info(self) -> Dict[str, ParamInfo]:
        """name -> ParamInfo (shape, element type, attn.init), in IR order."""
        return dict(self._infos)

    @property
    def missing_params(self) -> List[str]:
        """Parameters declared in the IR that have no value."""
        return [name for name in self._infos if name not in self.params]

    # --- Rewriting ---------------------------------------------------------

    def apply(self, pipeline: str, seed: Optional[int] = None) -> "Model":
        """Runs a textual pass pipeline on a copy of the model.

        `pipeline` is any pipeline text: passes separated by commas, with
        options in braces (``"attn-decompose,attn-reuse-map{group-size=4}"``),
        optionally wrapped in ``builtin.module(...)``. Every upstream and
        attn pass is available.

        Parameters are carried over by name; parameters the pipeline creates
        get values from their ``attn.init`` (copies, means over heads,
        constants, or seeded random values for ``random`` and ``train``;
        see `attn_mlir.params`). `seed` (default: this model's) seeds them.
        Raises MLIRError with MLIR's diagnostics if the pipeline does not
        parse or a pass fails; remarks land in the new model's
        `diagnostics`.
        """
        module = self._module.clone()
        diagnostics = module.run_pipeline(pipeline)
        seed = self.seed if seed is None else int(seed)
        params, _ = values_for_new_params(module, self.params, seed)
        return Model(module, params, seed=seed, diagnostics=diagnostics,
                     metadata=self.metadata)

    def with_params(self, params: Params) -> "Model":
        """The same IR with other parameter values (a dict or a safetensors
        path); names must be parameters of the model."""
        return Model(self._module.clone(), _params_from(params), seed=self.seed,
                     metadata=self.metadata)

    def randomize(self, seed: Optional[int] = None,
                  only_missing: bool = True) -> "Model":
        """The same IR with seeded random values (attn-model's generator),
        for the missing parameters only unless `only_missing` is False."""
        seed = self.seed if seed is None else int(seed)
        values = self._module.random_params(seed)
        params = dict(self.params) if only_missing else {}
        for name in self._infos:
            params.setdefault(name, values[name])
        return Model(self._module.clone(), params, seed=seed,
                     metadata=self.metadata)

    # --- Files ---------------------------------------------------------------

    def save(self, path: PathLike) -> Path:
        """Writes the MLIR to `path` and the parameters that have values to
        the .safetensors file beside it (same name, suffix replaced), which
        it returns. Names, shapes and dtypes are checked first."""
        path = Path(path)
        params = check_params(self.params, self._infos)
        params_path = path.with_suffix(".safetensors")
        metadata = dict(self.metadata)
        metadata.setdefault("generator", "attn_mlir")
        metadata["seed"] = str(self.seed)
        write_safetensors(params_path, params, metadata)
        path.write_text(str(self) + "\n")
        return params_path

    # --- Analysis and compilation -------------------------------------------

    def report(self, seq_len: int = 0) -> Report:
        """The cost model of attn-report at `seq_len` (0: the model's static
        length, else 1024): per attention layer and in total, parameters,
        attention state per position, FLOPs, bytes and map memory.
        ``str(report)`` prints attn-report's table."""
        totals, layers, table = self._module.cost(int(seq_len))
        return make_report(totals, layers, table)

    def compile(self, target: str = "cpu", path: Optional[PathLike] = None,
                *, threads: int = 1, lowering: str = "loops",
                pipeline: Optional[str] = None, cpu: str = "host",
                features: str = "", opt_level: int = 3,
                attend_block_size: Optional[int] = None) -> CompiledModel:
        """Compiles the model ahead of time, as attn-compile does, loads the
        library and binds the parameters: ``lib = m.compile(); y = lib(x)``.

        `path`: where the library goes (``model.so``, with ``model.h`` and
        ``model.json`` beside it); by default a temporary directory that
        lives as long as the returned CompiledModel. `threads`, `lowering`
        ("loops" or "vector"), `attend_block_size` (None: attn-compile's
        default), `cpu`, `features`, `opt_level` are attn-compile's options; `pipeline` (pass pipeline
        text, as for `apply`) replaces attn-cpu-pipeline and must end in the
        LLVM dialect, e.g. ``"attn-tie-kv,attn-cpu-pipeline"``. Every
        parameter needs a value (see `missing_params`). Raises MLIRError
        when compilation fails."""
        if target != "cpu":
            raise ValueError(f"unknown target '{target}': only 'cpu' can be "
                             "compiled from Python")
        if self.missing_params:
            raise ValueError("parameters without values: " +
                             ", ".join(self.missing_params) +
                             " (see Model.randomize)")
        keep = None
        if path is None:
            keep = tempfile.TemporaryDirectory(prefix="attn_mlir-")
            path = Path(keep.name) / "model.so"
        if pipeline and not pipeline.strip().startswith("builtin.module("):
            pipeline = f"builtin.module({pipeline})"
        module = self._module.clone()
        extra = {}
        if attend_block_size is not None:
            extra["attend_block_size"] = attend_block_size
        module.compile(os.fspath(path), threads=threads, lowering=lowering,
                       pass_pipeline=pipeline or "", cpu=cpu,
                       features=features, opt_level=opt_level, **extra)
        lib = CompiledModel(path, _keep=keep)
        lib.set_params(self._params_for(lib))
        return lib

    def _params_for(self, lib: CompiledModel) -> Dict[str, np.ndarray]:
        """Values of the parameters `lib` declares: this model's, or, for
        parameters a compile `pipeline` created, derived from their
        attn.init like `apply` does (seeded random values need `apply`)."""
        params = check_params(self.params, self._infos)
        values = {}
        for entry in lib.manifest["params"]:
            name = entry["name"]
            if name in params:
                values[name] = params[name]
                continue
            init = entry.get("init") or ""
            value = None
            if init.partition(":")[0] in ("copy", "mean-heads", "zeros",
                                          "ones"):
                value = derive_value(name, tuple(entry["shape"]), init,
                                     params, lambda: {})
            if value is None:
                raise ValueError(
                    f"the compile pipeline created parameter '{name}' "
                    f"(attn.init \"{init}\") without a value: run that "
                    "rewrite with Model.apply first")
            values[name] = value
        return values


def _params_from(params: Params) -> Dict[str, np.ndarray]:
    if params is None:
        return {}
    if isinstance(params, (str, os.PathLike)):
        return read_safetensors(params)[0]
    return dict(params)


def build_encoder(layers: int = 16, d_model: int = 256, heads: int = 4,
                  ffn: int = 1024, activation: str = "silu",
                  norm: str = "post", causal: bool = False, batch: int = 1,
                  seq_len: int = 0, seed: Optional[int] = None,
                  bias: bool = True, layer_norm_eps: float = 1e-5,
                  mask: str = "none") -> Model:
    """A Transformer encoder stack, exactly as ``attn-model`` builds it, with
    seeded random parameters (``seed=None`` means 0, attn-model's default:
    the values equal ``attn-model --params-out --seed=0``).

    `activation`: relu, gelu (exact erf), silu or leaky_relu (slope 0.01);
    `norm`: "post" (PyTorch's default) or "pre" (no final norm);
    `seq_len` 0 = dynamic; `mask`: the run-time masks the model takes after
    x, "none", "additive" (``mask`` [T, T]), "key_padding"
    (``key_padding_mask`` [B, T]) or "both" (attn-model's --mask). Raises
    MLIRError naming an invalid field."""
    if norm not in ("post", "pre"):
        raise ValueError(f"unknown norm '{norm}' (expected post or pre)")
    module = native.build_encoder(
        context(), layers=layers, d_model=d_model, heads=heads, ffn=ffn,
        activation=activation, pre_norm=norm == "pre", causal=causal,
        bias=bias, batch=batch, seq_len=seq_len,
        layer_norm_eps=layer_norm_eps, mask=mask)
    seed = 0 if seed is None else int(seed)
    return Model(module, module.random_params(seed), seed=seed)


def parse(text: str, params: Params = None, *,
          source_name: str = "<string>", seed: int = 0) -> Model:
    """A model from MLIR text. `params`: a dict name -> array, a safetensors
    path, or None (no values: see `Model.missing_params` and
    `Model.randomize`). Raises MLIRError with the parser's or verifier's
    diagnostics."""
    module = native.parse(context(), text, source_name)
    return Model(module, _params_from(params), seed=seed)


def load(path: PathLike, params_path: Optional[PathLike] = None) -> Model:
    """A model saved by `Model.save` (or written by attn-model): the MLIR
    file `path` and the parameters in `params_path`, by default the
    .safetensors file beside it when there is one."""
    path = Path(path)
    if params_path is None:
        beside = path.with_suffix(".safetensors")
        params_path = beside if beside.exists() else None
    params, metadata = ({}, {}) if params_path is None else \
        read_safetensors(params_path)
    seed = metadata.pop("seed", "0")
    module = native.parse(context(), path.read_text(), str(path))
    return Model(module, params, seed=int(seed) if seed.isdigit() else 0,
                 metadata=metadata)


__all__ = ["Model", "MLIRError", "build_encoder", "parse", "load"]
