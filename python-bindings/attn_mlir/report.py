"""`Model.report()`: the cost model behind attn-report as Python objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List


@dataclass(frozen=True)
class LayerReport:
    """The cost of one attention sublayer (or its feed-forward replacement)."""

    #: i of ``layers.{i}``.
    index: int
    #: "mha", "reuse" (applies an earlier layer's map), "tied", "mhe",
    #: "mgk", "seq_mlp" or "head_seq_mlp".
    kind: str
    #: Parameter elements the layer reads.
    params: int
    #: Attention state kept per position (Irie et al.; the KV cache).
    state_per_position: int
    flops: int
    bytes: int
    #: Bytes of the attention map the layer materialises (0 when fused or
    #: reused).
    map_bytes: int


@dataclass(frozen=True)
class Report:
    """Per-layer and total cost of a model at one sequence length, as
    `attn-report` computes it (see attn/Dialect/Attn/Analysis/CostModel.h
    for every formula). ``str(report)`` is attn-report's table."""

    seq_len: int
    batch: int
    layers: List[LayerReport]
    #: Every parameter element of the model.
    params: int
    #: Parameter elements of the attention layers.
    attention_params: int
    state_per_position: int
    flops: int
    bytes: int
    map_bytes: int
    table: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        return self.table.rstrip("\n")

    def saving(self, other: "Report") -> dict:
        """Relative saving of `other` (a rewritten model) against this
        report, per total: ``1 - other / self`` (0.25 = a quarter less)."""
        keys = ("params", "attention_params", "state_per_position", "flops",
                "bytes", "map_bytes")
        return {key: (1.0 - getattr(other, key) / getattr(self, key))
                if getattr(self, key) else 0.0 for key in keys}


def make_report(totals: dict, layers: list, table: str) -> Report:
    return Report(layers=[LayerReport(**layer) for layer in layers],
                  table=table, **totals)
