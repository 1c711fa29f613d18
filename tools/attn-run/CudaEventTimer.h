//===- CudaEventTimer.h - GPU-side time of a call, by CUDA events -*- C++ -*-===//
//
// attn-run times a CUDA model library's calls on the GPU's clock too: an
// event on the legacy default stream before and after each call. The call
// returns when its GPU work is done, so the span holds its copies, kernels
// and the launch gaps between them (attn_cuda_elapsed_ms, CudaRuntime.h).
// attn-run's own copy of the CUDA runtime records the events; the driver's
// primary context is shared with the library's copy.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_TOOLS_ATTN_RUN_CUDAEVENTTIMER_H
#define ATTN_TOOLS_ATTN_RUN_CUDAEVENTTIMER_H

#include "attn/Runtime/CudaRuntime.h"

#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace attn::run {

class CudaEventTimer {
public:
  static llvm::Expected<CudaEventTimer> create() {
    char err[512] = "";
    if (attn_cuda_init(err, sizeof(err)) != 0)
      return llvm::createStringError(std::string("CUDA events: ") + err);
    CudaEventTimer timer;
    timer.start = attn_cuda_timing_event();
    timer.end = attn_cuda_timing_event();
    if (!timer.start || !timer.end)
      return timer.error();
    return timer;
  }
  CudaEventTimer(CudaEventTimer &&other) noexcept
      : start(other.start), end(other.end) {
    other.start = other.end = nullptr;
  }
  CudaEventTimer(const CudaEventTimer &) = delete;
  ~CudaEventTimer() {
    mgpuEventDestroy(start);
    mgpuEventDestroy(end);
  }

  llvm::Error begin() {
    return attn_cuda_record_event(start) == 0 ? llvm::Error::success()
                                              : error();
  }
  /// Milliseconds on the GPU since begin().
  llvm::Expected<double> finish() {
    float ms = 0;
    if (attn_cuda_record_event(end) != 0 ||
        attn_cuda_elapsed_ms(start, end, &ms) != 0)
      return error();
    return static_cast<double>(ms);
  }

private:
  CudaEventTimer() = default;
  llvm::Error error() const {
    return llvm::createStringError(std::string("CUDA events: ") +
                                   attn_cuda_last_error());
  }

  void *start = nullptr, *end = nullptr;
};

} // namespace attn::run

#endif // ATTN_TOOLS_ATTN_RUN_CUDAEVENTTIMER_H
