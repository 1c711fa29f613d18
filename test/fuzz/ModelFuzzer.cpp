//===- ModelFuzzer.cpp - libFuzzer target: a compiled model's C API -------===//
//
// Calls the entry points of a compiled model library (ModelApi.h) with shapes,
// ranks, input counts, capacities, NULL pointers and parameter names taken
// from the fuzz input. The library is the one $ATTN_FUZZ_MODEL names
// (attn-compile output; test/fuzz/short-run.test and scripts/fuzz.sh build
// one). Every call must return a defined status with a NUL-terminated
// message, and never read or write outside the buffers the caller gave: each
// buffer ends at a PROT_NONE page, so a read past the end of an input or a
// write past `y_capacity` is a SIGSEGV, which libFuzzer reports, even though
// the library itself is not instrumented (model libraries load into
// uninstrumented hosts, docs/robustness.md).
//
// The fuzzer keeps the caller's side of the contract: a buffer always holds
// as many floats as the shape passed with it says. Shapes whose size does not
// fit in int64 are passed with a one-page buffer: the library must refuse
// them before reading.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/ModelApi.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <string>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace {

/// The library's API, looked up once.
struct ModelLib {
  decltype(&attn_model_abi_version) abiVersion;
  decltype(&attn_model_num_params) numParams;
  decltype(&attn_model_param_info) paramInfo;
  decltype(&attn_model_num_inputs) numInputs;
  decltype(&attn_model_input_info_at) inputInfoAt;
  decltype(&attn_model_output_info) outputInfo;
  decltype(&attn_model_create) create;
  decltype(&attn_model_set_param) setParam;
  decltype(&attn_model_run) run;
  decltype(&attn_model_forward) forward;
  decltype(&attn_model_status_string) statusString;
  attn_model *model = nullptr;
};

ModelLib lib;

[[noreturn]] void die(const char *what) {
  fprintf(stderr, "attn-model-fuzzer: %s\n", what);
  abort();
}

template <typename F> void lookup(void *handle, const char *name, F &fn) {
  fn = reinterpret_cast<F>(dlsym(handle, name));
  if (!fn) {
    fprintf(stderr, "attn-model-fuzzer: %s: %s\n", name, dlerror());
    abort();
  }
}

/// `count` elements of T that end exactly at a PROT_NONE page.
template <typename T> class GuardedArray {
public:
  explicit GuardedArray(size_t count) : count(count) {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    size_t bytes = count * sizeof(T);
    dataPages = (bytes + page - 1) / page * page;
    mapping = mmap(nullptr, dataPages + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED)
      die("mmap failed");
    char *base = static_cast<char *>(mapping);
    if (mprotect(base + dataPages, page, PROT_NONE) != 0)
      die("mprotect failed");
    mappedBytes = dataPages + page;
    first = reinterpret_cast<T *>(base + dataPages - bytes);
  }
  ~GuardedArray() { munmap(mapping, mappedBytes); }
  GuardedArray(const GuardedArray &) = delete;
  GuardedArray &operator=(const GuardedArray &) = delete;
  T *data() { return first; }
  size_t size() const { return count; }

private:
  size_t count, dataPages = 0, mappedBytes = 0;
  void *mapping = nullptr;
  T *first = nullptr;
};

/// Largest buffer the fuzzer hands over (floats).
constexpr int64_t kMaxElements = int64_t{1} << 18;

/// A dim for a tensor whose manifest dim is `expected` (-1: dynamic).
int64_t pickDim(FuzzedDataProvider &fdp, int64_t expected) {
  switch (fdp.ConsumeIntegralInRange<int>(0, 9)) {
  case 0:
    return 0;
  case 1:
    return -fdp.ConsumeIntegralInRange<int64_t>(1, 3);
  case 2:
    return fdp.PickValueInArray<int64_t>(
        {int64_t{1} << 31, int64_t{1} << 40, int64_t{1} << 62, INT64_MAX});
  case 3:
    return fdp.ConsumeIntegralInRange<int64_t>(1, 40);
  default:
    return expected >= 0 ? expected : fdp.ConsumeIntegralInRange<int64_t>(1, 24);
  }
}

/// Elements of `shape`, or -1 if a dim is negative or the product does not
/// fit in int64.
int64_t elements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return -1;
    if (d != 0 && n > INT64_MAX / d)
      return -1;
    n *= d;
  }
  return n;
}

struct FuzzedTensor {
  std::vector<int64_t> shape;
  std::unique_ptr<GuardedArray<float>> buffer;
  bool passNull = false;
};

/// A shape and a buffer that holds it, shaped after `info` most of the time.
/// Returns false if the shape needs a buffer larger than kMaxElements (the
/// fuzzer cannot keep the contract then).
bool makeTensor(FuzzedDataProvider &fdp, const attn_tensor_info &info,
                FuzzedTensor &t) {
  int32_t rank = info.rank;
  if (fdp.ConsumeIntegralInRange<int>(0, 15) == 0)
    rank = fdp.ConsumeIntegralInRange<int32_t>(0, ATTN_MODEL_MAX_RANK);
  for (int32_t i = 0; i < rank; ++i)
    t.shape.push_back(pickDim(fdp, i < info.rank ? info.shape[i] : -1));
  int64_t n = elements(t.shape);
  if (n > kMaxElements)
    return false;
  // An empty tensor gets a pointer to the guard page itself: the library
  // must not read it.
  t.buffer = std::make_unique<GuardedArray<float>>(
      n < 0 ? 1 : static_cast<size_t>(n));
  float *data = t.buffer->data();
  for (size_t i = 0; i < t.buffer->size(); ++i)
    data[i] = fdp.remaining_bytes() ? fdp.ConsumeFloatingPointInRange<float>(
                                          -4.0f, 4.0f)
                                    : 0.5f;
  if (t.buffer->size() && fdp.ConsumeIntegralInRange<int>(0, 63) == 0)
    data[0] = fdp.ConsumeBool() ? NAN : INFINITY;
  t.passNull = fdp.ConsumeIntegralInRange<int>(0, 63) == 0;
  return true;
}

void checkStatus(int32_t status, const char *err, size_t errlen) {
  if (status < ATTN_OK || status > ATTN_ERR_INTERNAL)
    die("status out of range");
  if (status == ATTN_ERR_INTERNAL)
    die("ATTN_ERR_INTERNAL: the library broke its own contract");
  if (errlen && !memchr(err, '\0', errlen))
    die("message not NUL-terminated within errlen");
  if (!lib.statusString(status))
    die("no status string");
}

/// set_param with a fuzzed name, rank and shape.
void fuzzSetParam(FuzzedDataProvider &fdp) {
  int32_t count = lib.numParams();
  attn_param_info p{};
  std::string name;
  std::vector<int64_t> shape;
  int32_t index = fdp.ConsumeIntegralInRange<int32_t>(-1, count);
  if (lib.paramInfo(index, &p) == ATTN_OK) {
    name = p.name;
    for (int32_t i = 0; i < p.rank; ++i)
      shape.push_back(p.shape[i]);
    if (fdp.ConsumeBool() && !shape.empty())
      shape[fdp.ConsumeIntegralInRange<size_t>(0, shape.size() - 1)] =
          pickDim(fdp, -1);
  } else {
    name = fdp.ConsumeRandomLengthString(32);
    for (int i = fdp.ConsumeIntegralInRange<int>(0, 3); i > 0; --i)
      shape.push_back(pickDim(fdp, -1));
  }
  int64_t n = elements(shape);
  if (n > kMaxElements)
    return;
  GuardedArray<float> data(n < 0 ? 1 : static_cast<size_t>(n));
  for (size_t i = 0; i < data.size(); ++i)
    data.data()[i] = 0.01f * static_cast<float>(i % 97);
  size_t errlen = fdp.ConsumeIntegralInRange<size_t>(0, 200);
  GuardedArray<char> err(errlen ? errlen : 1);
  int32_t status = lib.setParam(lib.model, name.c_str(), data.data(),
                                shape.data(),
                                static_cast<int32_t>(shape.size()),
                                errlen ? err.data() : nullptr, errlen);
  checkStatus(status, err.data(), errlen);
}

void fuzzRun(FuzzedDataProvider &fdp) {
  int32_t modelInputs = lib.numInputs();
  // Up to ATTN_MODEL_MAX_INPUTS + 2 inputs, each shaped after the model's
  // input of that index (or the first input, past the model's count).
  int32_t passed = modelInputs;
  if (fdp.ConsumeIntegralInRange<int>(0, 7) == 0)
    passed = fdp.ConsumeIntegralInRange<int32_t>(-1, ATTN_MODEL_MAX_INPUTS + 2);
  int32_t built = std::max(passed, 0);
  std::vector<FuzzedTensor> tensors(built);
  std::vector<const float *> inputs(built + 1, nullptr);
  std::vector<const int64_t *> shapes(built + 1, nullptr);
  std::vector<int32_t> ranks(built + 1, 0);
  for (int32_t i = 0; i < built; ++i) {
    attn_tensor_info info{};
    if (lib.inputInfoAt(i < modelInputs ? i : 0, &info) != ATTN_OK)
      die("input_info_at failed for a valid index");
    if (!makeTensor(fdp, info, tensors[i]))
      return;
    inputs[i] = tensors[i].passNull ? nullptr : tensors[i].buffer->data();
    shapes[i] = tensors[i].shape.data();
    ranks[i] = static_cast<int32_t>(tensors[i].shape.size());
  }

  attn_tensor_info out{};
  lib.outputInfo(&out);
  int64_t needed = 1;
  if (modelInputs > 0 && built > 0 && ranks[0] == out.rank)
    needed = elements(tensors[0].shape);
  int64_t capacity;
  switch (fdp.ConsumeIntegralInRange<int>(0, 3)) {
  case 0:
    capacity = 0;
    break;
  case 1:
    capacity = fdp.ConsumeIntegralInRange<int64_t>(0, 4096);
    break;
  default:
    capacity = needed < 0 ? 1 : std::min(needed, kMaxElements);
  }
  GuardedArray<float> y(capacity ? static_cast<size_t>(capacity) : 1);
  GuardedArray<int64_t> yShape(out.rank > 0 ? out.rank : 1);
  size_t errlen = fdp.ConsumeIntegralInRange<size_t>(0, 300);
  GuardedArray<char> err(errlen ? errlen : 1);
  bool nullY = fdp.ConsumeIntegralInRange<int>(0, 31) == 0;
  bool nullShape = fdp.ConsumeIntegralInRange<int>(0, 31) == 0;

  int32_t status;
  if (passed == 1 && fdp.ConsumeBool())
    status = lib.forward(lib.model, inputs[0], shapes[0], ranks[0],
                         nullY ? nullptr : y.data(), capacity,
                         nullShape ? nullptr : yShape.data(),
                         errlen ? err.data() : nullptr, errlen);
  else
    status = lib.run(lib.model, inputs.data(), shapes.data(), ranks.data(),
                     passed, nullY ? nullptr : y.data(), capacity,
                     nullShape ? nullptr : yShape.data(),
                     errlen ? err.data() : nullptr, errlen);
  checkStatus(status, err.data(), errlen);
  if (status == ATTN_OK) {
    // Success only for the inputs the manifest describes.
    if (passed != modelInputs)
      die("ATTN_OK for the wrong number of inputs");
    for (int32_t i = 0; i < passed; ++i)
      if (!inputs[i])
        die("ATTN_OK with a NULL input");
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *path = getenv("ATTN_FUZZ_MODEL");
  if (!path || !*path)
    die("set ATTN_FUZZ_MODEL to a compiled model library (attn-compile "
        "model.mlir -o model.so)");
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "attn-model-fuzzer: %s\n", dlerror());
    abort();
  }
  lookup(handle, "attn_model_abi_version", lib.abiVersion);
  if (lib.abiVersion() != ATTN_MODEL_ABI_VERSION)
    die("the library was built for another ABI version");
  lookup(handle, "attn_model_num_params", lib.numParams);
  lookup(handle, "attn_model_param_info", lib.paramInfo);
  lookup(handle, "attn_model_num_inputs", lib.numInputs);
  lookup(handle, "attn_model_input_info_at", lib.inputInfoAt);
  lookup(handle, "attn_model_output_info", lib.outputInfo);
  lookup(handle, "attn_model_create", lib.create);
  lookup(handle, "attn_model_set_param", lib.setParam);
  lookup(handle, "attn_model_run", lib.run);
  lookup(handle, "attn_model_forward", lib.forward);
  lookup(handle, "attn_model_status_string", lib.statusString);

  char err[256];
  if (lib.create(&lib.model, err, sizeof err) != ATTN_OK)
    die(err);
  // Every parameter set, with small values, so that runs get past the check.
  for (int32_t i = 0, e = lib.numParams(); i < e; ++i) {
    attn_param_info p{};
    if (lib.paramInfo(i, &p) != ATTN_OK)
      die("param_info failed for a valid index");
    std::vector<float> data(static_cast<size_t>(p.num_elements));
    for (size_t j = 0; j < data.size(); ++j)
      data[j] = 0.01f * static_cast<float>(j % 13);
    if (lib.setParam(lib.model, p.name, data.data(), p.shape, p.rank, err,
                     sizeof err) != ATTN_OK)
      die(err);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  // Mostly runs; now and then a parameter is rebound first.
  if (fdp.ConsumeIntegralInRange<int>(0, 7) == 0)
    fuzzSetParam(fdp);
  fuzzRun(fdp);
  return 0;
}
