//===- SafeTensorsTest.cpp - safetensors reader and writer ----------------===//
//
// Round trips through real files, and one test per way an untrusted file can
// be wrong: each checks the message names the file and the problem.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/SafeTensors.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace attn::rt;

namespace {

class SafeTensorsTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("attn-safetensors", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  /// Writes raw bytes to `name` in the temp dir and returns the path.
  std::string writeRaw(llvm::StringRef name, llvm::StringRef bytes) {
    std::string file = path(name);
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    EXPECT_FALSE(ec) << ec.message();
    os << bytes;
    return file;
  }

  /// A file with the given header text and `dataSize` zero data bytes.
  std::string writeWithHeader(llvm::StringRef name, llvm::StringRef header,
                              size_t dataSize = 0) {
    char length[8];
    llvm::support::endian::write64le(length, header.size());
    std::string bytes(length, 8);
    bytes += header.str();
    bytes.append(dataSize, '\0');
    return writeRaw(name, bytes);
  }

  /// Opens `file` expecting an error that names it and contains `expected`.
  void expectOpenError(const std::string &file, llvm::StringRef expected) {
    llvm::Expected<SafeTensorsFile> st = SafeTensorsFile::open(file);
    ASSERT_FALSE(static_cast<bool>(st)) << "accepted " << file;
    std::string message = llvm::toString(st.takeError());
    EXPECT_EQ(message.find(file + ": "), 0u) << message;
    EXPECT_NE(message.find(expected.str()), std::string::npos)
        << "message: " << message << "\nexpected: " << expected.str();
  }

  llvm::SmallString<128> dir;
};

template <typename T>
Tensor makeTensor(DType dtype, std::vector<int64_t> shape,
                  std::vector<T> values) {
  Tensor tensor = Tensor::zeros(dtype, std::move(shape));
  EXPECT_EQ(tensor.data.size(), values.size() * sizeof(T));
  std::memcpy(tensor.data.data(), values.data(), tensor.data.size());
  return tensor;
}

TEST(TensorTest, HelpersAreExact) {
  EXPECT_EQ(dtypeSize(DType::BF16), 2u);
  EXPECT_EQ(dtypeSize(DType::I64), 8u);
  EXPECT_EQ(dtypeName(DType::Bool), "BOOL");
  EXPECT_EQ(parseDType("BF16"), DType::BF16);
  EXPECT_EQ(parseDType("F8_E4M3"), std::nullopt);
  EXPECT_EQ(formatShape({16, 16}), "[16, 16]");
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(checkedNumElements({2, 3, 4}), 24);
  EXPECT_EQ(checkedNumElements({}), 1);
  EXPECT_EQ(checkedNumElements({-1}), std::nullopt);
  EXPECT_EQ(checkedNumElements({int64_t(1) << 32, int64_t(1) << 32}),
            std::nullopt);
  EXPECT_EQ(checkedByteSize(DType::F32, {int64_t(1) << 62}), std::nullopt);
  Tensor zeros = Tensor::zeros(DType::F64, {2, 0, 3});
  EXPECT_EQ(zeros.numElements(), 0);
  EXPECT_TRUE(zeros.data.empty());
}

TEST_F(SafeTensorsTest, RoundTripSeveralDTypesAndShapes) {
  Tensor w = makeTensor<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, -6.5f});
  Tensor scalar = makeTensor<int64_t>(DType::I64, {}, {-42});
  Tensor empty = Tensor::zeros(DType::U8, {0, 4});
  Tensor half = makeTensor<uint16_t>(DType::F16, {3}, {0x3c00, 0x4000, 0xc000});
  Tensor mask = makeTensor<uint8_t>(DType::Bool, {2, 2}, {1, 0, 0, 1});
  Tensor brain = makeTensor<uint16_t>(DType::BF16, {1}, {0x3f80});
  Tensor wide = makeTensor<double>(DType::F64, {1, 1}, {3.25});
  std::vector<NamedTensor> tensors = {
      {"layers.0.attn.wq", &w}, {"step", &scalar}, {"empty", &empty},
      {"half", &half},          {"mask", &mask},   {"brain", &brain},
      {"wide", &wide}};
  std::string file = path("p.safetensors");
  ASSERT_FALSE(llvm::errorToBool(writeSafeTensors(file, tensors)));

  llvm::Expected<SafeTensorsFile> st = SafeTensorsFile::open(file);
  ASSERT_TRUE(static_cast<bool>(st)) << llvm::toString(st.takeError());
  ASSERT_EQ(st->tensors().size(), tensors.size());
  uint64_t offset = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const SafeTensorInfo &info = st->tensors()[i];
    const Tensor &expected = *tensors[i].tensor;
    EXPECT_EQ(info.name, tensors[i].name);
    EXPECT_EQ(info.dtype, expected.dtype);
    EXPECT_EQ(info.shape, expected.shape);
    // Data is contiguous in the given order.
    EXPECT_EQ(info.begin, offset);
    EXPECT_EQ(info.end, offset + expected.data.size());
    offset = info.end;
    llvm::Expected<Tensor> loaded = st->load(info.name);
    ASSERT_TRUE(static_cast<bool>(loaded))
        << llvm::toString(loaded.takeError());
    EXPECT_EQ(loaded->dtype, expected.dtype);
    EXPECT_EQ(loaded->shape, expected.shape);
    EXPECT_EQ(loaded->data, expected.data) << info.name;
  }
  EXPECT_EQ(st->load("layers.0.attn.wq")->f32()[5], -6.5f);
  EXPECT_TRUE(st->metadata().empty());
  ASSERT_NE(st->lookup("step"), nullptr);
  EXPECT_EQ(st->lookup("step")->shape, std::vector<int64_t>{});
  EXPECT_EQ(st->lookup("missing"), nullptr);

  // The header is space-padded so the data section starts 8-byte aligned.
  auto raw = llvm::MemoryBuffer::getFile(file);
  ASSERT_TRUE(static_cast<bool>(raw));
  uint64_t headerSize =
      llvm::support::endian::read64le((*raw)->getBufferStart());
  EXPECT_EQ(headerSize % 8, 0u);
  EXPECT_EQ((*raw)->getBufferSize(), 8 + headerSize + offset);
}

TEST_F(SafeTensorsTest, MetadataRoundTrip) {
  Tensor w = makeTensor<float>(DType::F32, {1}, {7});
  std::map<std::string, std::string> metadata = {
      {"format", "pt"}, {"model", "encoder \"small\""}, {"empty", ""}};
  std::string file = path("meta.safetensors");
  ASSERT_FALSE(
      llvm::errorToBool(writeSafeTensors(file, {{"w", &w}}, metadata)));
  llvm::Expected<SafeTensorsFile> st = SafeTensorsFile::open(file);
  ASSERT_TRUE(static_cast<bool>(st)) << llvm::toString(st.takeError());
  EXPECT_EQ(st->metadata(), metadata);
  ASSERT_EQ(st->tensors().size(), 1u);
  EXPECT_EQ(st->tensors()[0].name, "w");
}

TEST_F(SafeTensorsTest, AcceptsForeignHeaderOrderAndEscapedNames) {
  // Header order differs from data order; an empty tensor shares an offset.
  std::string file = writeWithHeader(
      "order.safetensors",
      R"({"b\"q": {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]},
          "__metadata__": {"k": "v"},
          "a": {"dtype": "I32", "shape": [2, 2], "data_offsets": [0, 16]},
          "z": {"dtype": "F32", "shape": [0], "data_offsets": [8, 8]}})",
      32);
  llvm::Expected<SafeTensorsFile> st = SafeTensorsFile::open(file);
  ASSERT_TRUE(static_cast<bool>(st)) << llvm::toString(st.takeError());
  ASSERT_EQ(st->tensors().size(), 3u);
  EXPECT_EQ(st->tensors()[0].name, "b\"q");
  EXPECT_EQ(st->tensors()[1].name, "a");
  EXPECT_EQ(st->tensors()[2].name, "z");
  EXPECT_EQ(st->bytes(*st->lookup("b\"q")).size(), 16u);
  EXPECT_EQ(st->metadata().at("k"), "v");
  // An entry that is not from this file yields no bytes.
  SafeTensorInfo foreign{"x", DType::F32, {1}, 100, 104};
  EXPECT_TRUE(st->bytes(foreign).empty());
}

TEST_F(SafeTensorsTest, LoadOfMissingTensorFails) {
  Tensor w = makeTensor<float>(DType::F32, {1}, {1});
  std::string file = path("one.safetensors");
  ASSERT_FALSE(llvm::errorToBool(writeSafeTensors(file, {{"w", &w}})));
  llvm::Expected<SafeTensorsFile> st = SafeTensorsFile::open(file);
  ASSERT_TRUE(static_cast<bool>(st));
  llvm::Expected<Tensor> missing = st->load("nope");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_EQ(llvm::toString(missing.takeError()),
            file + ": has no tensor 'nope'");
}

TEST_F(SafeTensorsTest, RejectsMissingFile) {
  expectOpenError(path("absent.safetensors"), "cannot open");
}

TEST_F(SafeTensorsTest, RejectsFileShorterThan8Bytes) {
  expectOpenError(writeRaw("short.safetensors", "abcde"),
                  "file is 5 bytes, too short for the 8-byte header length");
}

TEST_F(SafeTensorsTest, RejectsHeaderLengthBeyondFile) {
  char length[8];
  llvm::support::endian::write64le(length, 1000);
  std::string bytes(length, 8);
  bytes += "{}";
  expectOpenError(writeRaw("long.safetensors", bytes),
                  "header length 1000 extends beyond the end of the file "
                  "(10 bytes)");
}

TEST_F(SafeTensorsTest, RejectsHugeHeaderLength) {
  char length[8];
  llvm::support::endian::write64le(length, ~uint64_t(0));
  expectOpenError(writeRaw("huge.safetensors", std::string(length, 8)),
                  "header length 18446744073709551615 exceeds the limit");
}

TEST_F(SafeTensorsTest, RejectsInvalidJson) {
  expectOpenError(writeWithHeader("json.safetensors", R"({"a": )"),
                  "invalid JSON header: ");
  expectOpenError(writeWithHeader("array.safetensors", "[1, 2]"),
                  "JSON header is not an object");
}

TEST_F(SafeTensorsTest, RejectsUnknownDType) {
  expectOpenError(
      writeWithHeader(
          "dtype.safetensors",
          R"({"w": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}})",
          1),
      "tensor 'w' has unknown dtype 'F8_E4M3'");
  expectOpenError(
      writeWithHeader("nodtype.safetensors",
                      R"({"w": {"shape": [1], "data_offsets": [0, 1]}})", 1),
      "tensor 'w' has no string \"dtype\"");
}

TEST_F(SafeTensorsTest, RejectsNegativeOrNonIntegerShape) {
  expectOpenError(
      writeWithHeader(
          "neg.safetensors",
          R"({"w": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}})"),
      "tensor 'w' has a shape entry that is not a non-negative integer: -1");
  expectOpenError(
      writeWithHeader(
          "frac.safetensors",
          R"({"w": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 0]}})"),
      "not a non-negative integer: 2.5");
  expectOpenError(
      writeWithHeader(
          "str.safetensors",
          R"({"w": {"dtype": "F32", "shape": ["2"], "data_offsets": [0, 0]}})"),
      "not a non-negative integer: \"2\"");
  expectOpenError(
      writeWithHeader("noshape.safetensors",
                      R"({"w": {"dtype": "F32", "data_offsets": [0, 0]}})"),
      "tensor 'w' has no array \"shape\"");
}

TEST_F(SafeTensorsTest, RejectsShapeOverflow) {
  expectOpenError(
      writeWithHeader("overflow.safetensors",
                      R"({"w": {"dtype": "F32", "shape": [4294967296, )"
                      R"(4294967296], "data_offsets": [0, 0]}})"),
      "tensor 'w' has shape [4294967296, 4294967296] x F32, whose byte size "
      "overflows");
}

TEST_F(SafeTensorsTest, RejectsOffsetsOutOfRange) {
  expectOpenError(
      writeWithHeader(
          "range.safetensors",
          R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})",
          8),
      "tensor 'w' data_offsets [0, 16] exceed the data section of 8 bytes");
  expectOpenError(
      writeWithHeader(
          "reversed.safetensors",
          R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 4]}})",
          8),
      "tensor 'w' data_offsets [8, 4] begin after they end");
  expectOpenError(
      writeWithHeader(
          "negoff.safetensors",
          R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-4, 0]}})",
          8),
      "tensor 'w' needs \"data_offsets\": [begin, end]");
  expectOpenError(
      writeWithHeader(
          "three.safetensors",
          R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}})",
          8),
      "tensor 'w' needs \"data_offsets\"");
}

TEST_F(SafeTensorsTest, RejectsSizeMismatch) {
  expectOpenError(writeWithHeader("mismatch.safetensors",
                                  R"({"layers.0.attn.wq": {"dtype": "F32", )"
                                  R"("shape": [16, 16], "data_offsets": )"
                                  R"([0, 100]}})",
                                  100),
                  "tensor 'layers.0.attn.wq' data_offsets [0, 100] do not "
                  "match shape [16, 16] x F32 = 1024 bytes");
}

TEST_F(SafeTensorsTest, RejectsOverlappingEntries) {
  expectOpenError(
      writeWithHeader(
          "overlap.safetensors",
          R"({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]},
              "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}})",
          24),
      "tensors 'a' [0, 16] and 'b' [8, 24] overlap");
  // A later, short tensor inside an earlier long one.
  expectOpenError(
      writeWithHeader(
          "inside.safetensors",
          R"({"c": {"dtype": "U8", "shape": [1], "data_offsets": [20, 21]},
              "a": {"dtype": "F32", "shape": [8], "data_offsets": [0, 32]},
              "b": {"dtype": "U8", "shape": [4], "data_offsets": [4, 8]}})",
          32),
      "tensors 'a' [0, 32] and 'b' [4, 8] overlap");
}

TEST_F(SafeTensorsTest, RejectsDuplicateAndMalformedEntries) {
  expectOpenError(
      writeWithHeader(
          "dup.safetensors",
          R"({"a": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]},
              "a": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}})",
          2),
      "header names 'a' more than once");
  expectOpenError(writeWithHeader("entry.safetensors", R"({"a": [1]})"),
                  "tensor 'a' is not a JSON object");
  expectOpenError(
      writeWithHeader("meta.safetensors", R"({"__metadata__": {"k": 1}})"),
      "__metadata__ value for key 'k' is not a string");
  expectOpenError(
      writeWithHeader("metaarr.safetensors", R"({"__metadata__": []})"),
      "__metadata__ is not a JSON object");
}

TEST_F(SafeTensorsTest, WriteRejectsDuplicateNames) {
  Tensor w = makeTensor<float>(DType::F32, {1}, {1});
  std::string file = path("dup.safetensors");
  llvm::Error err = writeSafeTensors(file, {{"w", &w}, {"v", &w}, {"w", &w}});
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_EQ(llvm::toString(std::move(err)), file + ": duplicate tensor 'w'");
  EXPECT_FALSE(llvm::sys::fs::exists(file));
}

TEST_F(SafeTensorsTest, WriteRejectsBadTensors) {
  Tensor w = makeTensor<float>(DType::F32, {1}, {1});
  Tensor bad = w;
  bad.shape = {2};
  std::string file = path("bad.safetensors");
  EXPECT_EQ(llvm::toString(writeSafeTensors(file, {{"bad", &bad}})),
            file + ": tensor 'bad' holds 4 bytes but shape [2] x F32 needs 8");
  EXPECT_EQ(llvm::toString(writeSafeTensors(file, {{"__metadata__", &w}})),
            file + ": cannot name a tensor '__metadata__'");
  EXPECT_EQ(llvm::toString(writeSafeTensors(file, {{"null", nullptr}})),
            file + ": tensor 'null' has no data");
  EXPECT_FALSE(llvm::sys::fs::exists(file));
  std::string noDir = path("missing-dir/x.safetensors");
  llvm::Error err = writeSafeTensors(noDir, {{"w", &w}});
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_EQ(llvm::toString(std::move(err)).find(noDir + ": cannot write: "),
            0u);
}

} // namespace
