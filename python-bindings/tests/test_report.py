"""Model.report: the cost model of attn-report as Python objects."""

import json
import subprocess

import pytest

import attn_mlir as am


def test_report_matches_attn_report_json(small, tool):
    report = small.report(seq_len=64)
    out = subprocess.run(
        [tool("attn-opt"), "-o", "/dev/null",
         "--pass-pipeline=builtin.module(attn-report{seq-len=64 format=json})"],
        input=str(small), capture_output=True, text=True, check=True).stdout
    expected = json.loads(out)
    assert report.seq_len == expected["seq_len"] == 64
    assert report.batch == expected["batch"]
    assert [vars(layer) for layer in report.layers] == expected["layers"]
    for key, value in expected["total"].items():
        assert getattr(report, key) == value, key


def test_report_prints_attn_reports_table(small, tool):
    out = subprocess.run(
        [tool("attn-opt"), "-o", "/dev/null",
         "--pass-pipeline=builtin.module(attn-report{seq-len=128})"],
        input=str(small), capture_output=True, text=True, check=True).stdout
    assert str(small.report(seq_len=128)) == out.rstrip("\n")


def test_report_shows_what_reuse_saves():
    m = am.build_encoder(layers=4, d_model=64, heads=4, ffn=256)
    base = m.report(seq_len=256)
    reused = m.apply("attn-reuse-map{group-size=4}").report(seq_len=256)
    assert [layer.kind for layer in reused.layers] == \
        ["mha", "reuse", "reuse", "reuse"]
    assert reused.map_bytes == base.map_bytes // 4
    saving = base.saving(reused)
    assert saving["map_bytes"] == pytest.approx(0.75)
    assert 0 < saving["flops"] < 1


def test_report_default_and_static_lengths():
    dynamic = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16)
    assert dynamic.report().seq_len == 1024
    static = am.build_encoder(layers=1, d_model=8, heads=2, ffn=16,
                              seq_len=32)
    assert static.report().seq_len == 32
    with pytest.raises(am.MLIRError) as error:
        static.report(seq_len=64)
    assert "64" in error.value.diagnostics
