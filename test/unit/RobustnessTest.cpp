//===- RobustnessTest.cpp - readers on hostile and fuzzer-found inputs ----===//
//
// The readers of untrusted files (safetensors, .npy, model manifests) on the
// inputs that once crashed them (test/fuzz/regressions/<fuzzer>/, replayed
// here so that every build checks them, with or without libFuzzer) and on
// hand-made hostile inputs: each must give a clean error, never a crash.
// docs/robustness.md lists the findings.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/JSONLimits.h"
#include "attn/Runtime/Manifest.h"
#include "attn/Runtime/Npy.h"
#include "attn/Runtime/SafeTensors.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace attn::rt;

namespace {

/// Every file in test/fuzz/regressions/<fuzzer>/ (sorted).
std::vector<std::string> regressionInputs(llvm::StringRef fuzzer) {
  llvm::SmallString<256> dir(ATTN_FUZZ_REGRESSIONS_DIR);
  llvm::sys::path::append(dir, fuzzer);
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    if (it->type() == llvm::sys::fs::file_type::regular_file)
      files.push_back(it->path());
  llvm::sort(files);
  return files;
}

std::unique_ptr<llvm::MemoryBuffer> readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  EXPECT_TRUE(bool(buffer)) << path;
  return buffer ? std::move(*buffer) : nullptr;
}

/// A safetensors file whose header is `header`.
std::unique_ptr<llvm::MemoryBuffer> safetensors(llvm::StringRef header) {
  char length[8];
  llvm::support::endian::write64le(length, header.size());
  std::string bytes(length, 8);
  bytes += header.str();
  return llvm::MemoryBuffer::getMemBufferCopy(bytes, "hostile.safetensors");
}

std::string nested(size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(FuzzRegressions, SafeTensors) {
  for (const std::string &path : regressionInputs("attn-safetensors-fuzzer")) {
    SCOPED_TRACE(path);
    auto file = SafeTensorsFile::parse(readFile(path));
    if (!file)
      llvm::consumeError(file.takeError());
  }
}

TEST(FuzzRegressions, Npy) {
  for (const std::string &path : regressionInputs("attn-npy-fuzzer")) {
    SCOPED_TRACE(path);
    auto buffer = readFile(path);
    auto tensor = parseNpy(buffer->getMemBufferRef(), path);
    if (!tensor)
      llvm::consumeError(tensor.takeError());
  }
}

TEST(FuzzRegressions, Manifest) {
  for (const std::string &path : regressionInputs("attn-manifest-fuzzer")) {
    SCOPED_TRACE(path);
    auto manifest = Manifest::parse(readFile(path)->getBuffer(), path);
    if (!manifest)
      llvm::consumeError(manifest.takeError());
  }
}

// llvm::json::parse recurses per nesting level: a header of 40000 '['
// overflowed the stack of attn-run (found while fuzzing; a million levels
// here). The readers now refuse more than kMaxJSONDepth levels first.
TEST(HostileJSON, DeepSafeTensorsHeaderIsAnError) {
  auto file = SafeTensorsFile::parse(safetensors(nested(1000000)));
  ASSERT_FALSE(bool(file));
  EXPECT_NE(llvm::toString(file.takeError()).find("nests deeper than 64"),
            std::string::npos);
  auto objects = SafeTensorsFile::parse(safetensors(
      std::string(1000000, '{') + "}"));
  ASSERT_FALSE(bool(objects));
  llvm::consumeError(objects.takeError());
}

TEST(HostileJSON, DeepManifestIsAnError) {
  auto manifest = Manifest::parse(nested(1000000), "deep.json");
  ASSERT_FALSE(bool(manifest));
  EXPECT_NE(llvm::toString(manifest.takeError()).find("nests deeper than 64"),
            std::string::npos);
}

// 1e400 parses as an infinite double, which JSON cannot print: a manifest
// with such a FLOP coefficient printed back as invalid JSON (found by the
// round-trip check of attn-manifest-fuzzer). It is refused now.
TEST(HostileJSON, InfiniteFlopCoefficientIsAnError) {
  std::string text = R"({"format": "attn-model-manifest", "version": 1,
    "abi_version": 1, "entry": "forward", "param_size": 0,
    "param_alignment": 64, "params": [],
    "inputs": [{"name": "x", "dtype": "f32", "shape": [1, -1, 8]}],
    "outputs": [{"name": "y", "dtype": "f32", "shape": [1, -1, 8]}],
    "flops": {"terms": [{"coeff": COEFF, "b": 0, "t": 1}]}})";
  std::string finite = text, infinite = text;
  finite.replace(finite.find("COEFF"), 5, "1e300");
  infinite.replace(infinite.find("COEFF"), 5, "1e400");
  auto ok = Manifest::parse(finite, "finite.json");
  ASSERT_TRUE(bool(ok)) << llvm::toString(ok.takeError());
  auto bad = Manifest::parse(infinite, "infinite.json");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(llvm::toString(bad.takeError()).find("finite coeff"),
            std::string::npos);
}

TEST(HostileJSON, NestingScan) {
  EXPECT_TRUE(jsonNestingWithin(nested(64)));
  EXPECT_FALSE(jsonNestingWithin(nested(65)));
  EXPECT_TRUE(jsonNestingWithin("{\"a\": {\"b\": [1, 2]}}", 3));
  EXPECT_FALSE(jsonNestingWithin("{\"a\": {\"b\": [1, 2]}}", 2));
  // Brackets in strings do not count, escaped quotes do not end them.
  EXPECT_TRUE(jsonNestingWithin("[\"[[[[\\\"[[[[\"]", 1));
  // Unbalanced or invalid text is left to the parser.
  EXPECT_TRUE(jsonNestingWithin("]]]]", 1));
  EXPECT_TRUE(jsonNestingWithin("\"unterminated [[[[", 1));
  // A legitimate header stays well inside the limit.
  auto ok = SafeTensorsFile::parse(safetensors(
      "{\"__metadata__\": {\"k\": \"[[[[\"}, \"t\": {\"dtype\": \"F32\", "
      "\"shape\": [0], \"data_offsets\": [0, 0]}}"));
  ASSERT_TRUE(bool(ok)) << llvm::toString(ok.takeError());
  EXPECT_EQ(ok->tensors().size(), 1u);
}

} // namespace
