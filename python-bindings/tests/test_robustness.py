"""Hostile input through Python (docs/robustness.md): an error, never a
crash of the interpreter."""

import pytest

import attn_mlir as am


def test_deeply_nested_mlir_is_an_error():
    # MLIR's parser recurses per level; 20000 levels overflowed the stack.
    text = ("func.func @f() attributes {a = " + "[" * 20000 + "]" * 20000 +
            "} { return }")
    with pytest.raises(am.MLIRError, match="nests deeper than 512 levels"):
        am.parse(text)


def test_nesting_at_the_limit_parses():
    text = ("func.func @f() attributes {a = " + "[" * 500 + "]" * 500 +
            "} { return }")
    assert "func.func @f" in str(am.parse(text))
