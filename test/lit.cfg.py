# -*- Python -*-
# lit configuration of the attn-mlir tests.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ATTN"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.attn_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%attn_src_root", config.attn_src_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%attn_tools_dir", config.attn_tools_dir))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not`, `count` and FileCheck at the start of a RUN line are found on PATH.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.attn_tools_dir, append_path=True)

tool_dirs = [config.attn_tools_dir, config.llvm_tools_dir]
tools = ["attn-opt", "attn-model", "attn-compile", "attn-run", "mlir-opt"]
llvm_config.add_tool_substitutions(
    [ToolSubst(t, unresolved="ignore") for t in tools], tool_dirs)

if config.attn_has_cuda:
    config.available_features.add("cuda")
# libFuzzer targets (ATTN_ENABLE_FUZZERS): test/fuzz runs them on their
# regression inputs.
if getattr(config, "attn_has_fuzzers", False):
    config.available_features.add("fuzzers")

# ptxas from the CUDA toolkit (CUDA_HOME, CUDA_ROOT, CUDA_PATH,
# /usr/local/cuda, PATH): the GPU tests assemble attn-nvvm-pipeline's PTX
# with it. Feature `ptxas`; substitutions %ptxas and %cuda_toolkit.
def _find_ptxas():
    import shutil
    for root in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_ROOT"),
                 os.environ.get("CUDA_PATH"), "/usr/local/cuda"):
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    return shutil.which("ptxas")


_ptxas = _find_ptxas()
if _ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", _ptxas))
    config.substitutions.append(
        ("%cuda_toolkit", os.path.dirname(os.path.dirname(_ptxas))))
