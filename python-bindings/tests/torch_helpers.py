"""PyTorch helpers shared by the tests that compare with PyTorch (import it
after ``pytest.importorskip("torch")``)."""

import torch


def randomize(module):
    """Different, non-trivial values in every parameter (TransformerEncoder
    deep-copies one layer, so its layers start out equal)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("weight") and p.dim() == 1:      # LayerNorm gamma
                p.uniform_(0.8, 1.2)
            else:
                p.uniform_(-0.3, 0.3)
    return module
