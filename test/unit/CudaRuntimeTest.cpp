//===- CudaRuntimeTest.cpp - the GPU runtime without (and with) a GPU -----===//
//
// libAttnCudaRuntime must load and fail cleanly where there is no driver or
// no GPU: every mgpu* call then reports why and returns NULL or does
// nothing. The stub libcuda.so of the toolkit stands in for a driver whose
// cuInit fails. With a real driver and GPU the last test also checks a
// device round trip; elsewhere it is skipped and says why.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/CudaRuntime.h"

#include "gtest/gtest.h"

#include <cstring>
#include <string>
#include <vector>

namespace {

std::string initError() {
  char err[1024];
  EXPECT_NE(attn_cuda_init(err, sizeof(err)), 0);
  return err;
}

TEST(CudaRuntime, MissingDriverIsReported) {
  ASSERT_EQ(attn_cuda_set_driver_library("/nonexistent/libcuda.so.1"), 0);
  std::string err = initError();
  EXPECT_NE(err.find("cannot load the CUDA driver '/nonexistent/libcuda.so.1'"),
            std::string::npos)
      << err;
  char buf[256];
  EXPECT_EQ(attn_cuda_device_count(buf, sizeof(buf)), -1);
  EXPECT_STREQ(buf, err.c_str());
}

TEST(CudaRuntime, CallsWithoutDriverFailCleanly) {
  ASSERT_EQ(attn_cuda_set_driver_library("/nonexistent/libcuda.so.1"), 0);
  attn_cuda_clear_error();
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  EXPECT_NE(std::string(attn_cuda_last_error()).find("CUDA is not available"),
            std::string::npos)
      << attn_cuda_last_error();
  EXPECT_EQ(mgpuEventCreate(), nullptr);
  EXPECT_EQ(mgpuMemAlloc(1024, nullptr, false), nullptr);
  EXPECT_EQ(mgpuMemAlloc(1024, nullptr, true), nullptr);

  // Module loading (a model library's constructor) only records the error;
  // the first launch reports it with the kernel's name.
  char blob[16] = {};
  EXPECT_EQ(mgpuModuleLoad(blob, sizeof(blob)), nullptr);
  EXPECT_EQ(mgpuModuleLoadJIT(blob, 2), nullptr);
  attn_cuda_clear_error();
  EXPECT_EQ(mgpuModuleGetFunction(nullptr, "attn_attend_kernel"), nullptr);
  std::string launch = attn_cuda_last_error();
  EXPECT_NE(launch.find("cannot launch kernel 'attn_attend_kernel': CUDA is "
                        "not available: cannot load the CUDA driver"),
            std::string::npos)
      << launch;

  // Nothing below may crash.
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  float host[4] = {1, 2, 3, 4};
  mgpuMemcpy(nullptr, host, sizeof(host), nullptr);
  mgpuMemcpy(host, host, 0, nullptr);
  mgpuMemset32(nullptr, 0, 4, nullptr);
  mgpuMemFree(nullptr, nullptr);
  mgpuStreamSynchronize(nullptr);
  mgpuStreamDestroy(nullptr);
  mgpuEventRecord(nullptr, nullptr);
  mgpuEventSynchronize(nullptr);
  mgpuEventDestroy(nullptr);
  mgpuModuleUnload(nullptr);
  mgpuMemHostRegister(host, sizeof(host));
  mgpuMemHostUnregister(host);
}

TEST(CudaRuntime, EmptyBuffersNeedNoDevice) {
  ASSERT_EQ(attn_cuda_set_driver_library("/nonexistent/libcuda.so.1"), 0);
  attn_cuda_clear_error();
  // A model without parameters allocates 0 bytes: no error.
  EXPECT_EQ(mgpuMemAlloc(0, nullptr, false), nullptr);
  EXPECT_STREQ(attn_cuda_last_error(), "");
}

#ifdef ATTN_CUDA_STUB_DRIVER
// The toolkit's stub driver resolves every function, but its cuInit fails:
// what a machine with the toolkit and no driver or GPU sees.
TEST(CudaRuntime, StubDriverFailsInCuInit) {
  ASSERT_EQ(attn_cuda_set_driver_library(ATTN_CUDA_STUB_DRIVER), 0);
  std::string err = initError();
  EXPECT_EQ(err.rfind("cuInit failed: CUDA_ERROR_STUB_LIBRARY (", 0), 0u)
      << err;
  EXPECT_NE(err.find("no usable GPU or driver"), std::string::npos) << err;
  attn_cuda_clear_error();
  EXPECT_EQ(mgpuStreamCreate(), nullptr);
  EXPECT_NE(std::string(attn_cuda_last_error()).find("cuInit failed"),
            std::string::npos)
      << attn_cuda_last_error();
}
#endif

// Last: a successful initialisation keeps its driver for the process.
TEST(CudaRuntime, DeviceRoundTripWhereAGpuAnswers) {
  ASSERT_EQ(attn_cuda_set_driver_library(nullptr), 0);
  char err[1024];
  if (attn_cuda_init(err, sizeof(err)) != 0)
    GTEST_SKIP() << "no GPU here: " << err;
  EXPECT_GT(attn_cuda_device_count(err, sizeof(err)), 0);
  std::vector<float> in = {1, 2, 3, 4}, out(4, 0);
  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr) << attn_cuda_last_error();
  void *device = mgpuMemAlloc(in.size() * sizeof(float), stream, false);
  ASSERT_NE(device, nullptr) << attn_cuda_last_error();
  mgpuMemcpy(device, in.data(), in.size() * sizeof(float), stream);
  mgpuMemset32(device, 0x40000000u /* 2.0f */, 2, stream);
  mgpuMemcpy(out.data(), device, out.size() * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  mgpuMemFree(device, stream);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(out, (std::vector<float>{2, 2, 3, 4}));
  EXPECT_EQ(attn_cuda_set_driver_library("/other/libcuda.so.1"), -1);
}

} // namespace
