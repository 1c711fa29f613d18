# The CUDA toolkit, for the GPU runtime (lib/Runtime/Cuda) and the GPU tests.
#
#   ATTN_ENABLE_CUDA = AUTO (default): use the toolkit when it is found
#                      ON:   require it        OFF: never use it
#   CUDAToolkit_ROOT / CUDA_HOME / CUDA_ROOT / CUDA_PATH: where to look first
#                      (then /usr/local/cuda)
#
# Sets ATTN_HAS_CUDA (ON when the runtime is built), ATTN_CUDA_TOOLKIT_DIR,
# ATTN_CUDA_INCLUDE_DIR and ATTN_PTXAS. Only cuda.h is needed to build: the
# runtime opens the driver (libcuda.so.1) with dlopen at run time, so
# nothing links against libcuda and everything builds and loads without a
# GPU. The MLIR side of the GPU path (attn-nvvm-pipeline) needs no toolkit
# to build; it looks for one at compile time (docs/gpu.md).
set(ATTN_ENABLE_CUDA AUTO CACHE STRING
  "Build the CUDA runtime: AUTO (when the toolkit is found), ON or OFF")
set_property(CACHE ATTN_ENABLE_CUDA PROPERTY STRINGS AUTO ON OFF)

set(ATTN_HAS_CUDA OFF)
set(ATTN_CUDA_TOOLKIT_DIR "")
if(NOT ATTN_ENABLE_CUDA STREQUAL "OFF")
  find_path(ATTN_CUDA_INCLUDE_DIR cuda.h
    HINTS ${CUDAToolkit_ROOT} $ENV{CUDA_HOME} $ENV{CUDA_ROOT} $ENV{CUDA_PATH}
      /usr/local/cuda
    PATH_SUFFIXES include
    NO_DEFAULT_PATH)
  if(ATTN_CUDA_INCLUDE_DIR)
    get_filename_component(ATTN_CUDA_TOOLKIT_DIR "${ATTN_CUDA_INCLUDE_DIR}"
      DIRECTORY)
    find_program(ATTN_PTXAS ptxas HINTS "${ATTN_CUDA_TOOLKIT_DIR}/bin"
      NO_DEFAULT_PATH)
    set(ATTN_HAS_CUDA ON)
    message(STATUS "CUDA toolkit: ${ATTN_CUDA_TOOLKIT_DIR} (ptxas: ${ATTN_PTXAS})")
  elseif(ATTN_ENABLE_CUDA STREQUAL "ON")
    message(FATAL_ERROR "ATTN_ENABLE_CUDA=ON but no CUDA toolkit (cuda.h) was "
      "found; set CUDAToolkit_ROOT or CUDA_HOME")
  else()
    message(STATUS "CUDA toolkit not found: the GPU runtime and GPU tests are "
      "skipped (ATTN_ENABLE_CUDA=AUTO)")
  endif()
endif()
