//===- NpyTest.cpp - NumPy .npy reader and writer -------------------------===//
//
// Round trips through real files, headers as numpy writes them (versions 1.0,
// 2.0, 3.0), and one test per way an untrusted file can be wrong.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Npy.h"

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

/// A .npy file with `header` verbatim (no padding added) and `data`.
std::string npyBytes(llvm::StringRef header, llvm::StringRef data,
                     unsigned major = 1) {
  std::string bytes = "\x93NUMPY";
  bytes += static_cast<char>(major);
  bytes += '\0';
  char length[4];
  if (major == 1) {
    llvm::support::endian::write16le(length, header.size());
    bytes.append(length, 2);
  } else {
    llvm::support::endian::write32le(length, header.size());
    bytes.append(length, 4);
  }
  return bytes + header.str() + data.str();
}

class NpyTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("attn-npy", dir));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(dir); }

  std::string path(llvm::StringRef name) {
    llvm::SmallString<128> result(dir);
    llvm::sys::path::append(result, name);
    return std::string(result);
  }

  std::string writeRaw(llvm::StringRef name, llvm::StringRef bytes) {
    std::string file = path(name);
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    EXPECT_FALSE(ec) << ec.message();
    os << bytes;
    return file;
  }

  /// Reads `file` expecting an error that names it and contains `expected`.
  void expectReadError(const std::string &file, llvm::StringRef expected) {
    llvm::Expected<Tensor> tensor = readNpy(file);
    ASSERT_FALSE(static_cast<bool>(tensor)) << "accepted " << file;
    std::string message = llvm::toString(tensor.takeError());
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

TEST_F(NpyTest, RoundTripSeveralDTypesAndShapes) {
  struct Case {
    Tensor tensor;
    const char *shapeText;
  };
  std::vector<Case> cases = {
      {makeTensor<float>(DType::F32, {2, 3}, {1, 2, 3, 4, 5, -6.5f}),
       "'shape': (2, 3), }"},
      {makeTensor<double>(DType::F64, {}, {2.75}), "'shape': (), }"},
      {makeTensor<int64_t>(DType::I64, {5}, {1, -2, 3, -4, 5}),
       "'shape': (5,), }"},
      {Tensor::zeros(DType::I32, {0, 3}), "'shape': (0, 3), }"},
      {makeTensor<int8_t>(DType::I8, {2}, {-128, 127}), "(2,)"},
      {makeTensor<uint8_t>(DType::U8, {1, 1, 2}, {0, 255}), "(1, 1, 2)"},
      {makeTensor<uint8_t>(DType::Bool, {3}, {1, 0, 1}), "(3,)"},
      {makeTensor<uint16_t>(DType::F16, {2}, {0x3c00, 0xbc00}), "(2,)"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const Tensor &expected = cases[i].tensor;
    std::string file = path("t" + std::to_string(i) + ".npy");
    ASSERT_FALSE(llvm::errorToBool(writeNpy(file, expected)));

    // Layout as numpy writes it: version 1.0, 64-byte aligned data.
    auto raw = llvm::MemoryBuffer::getFile(file);
    ASSERT_TRUE(static_cast<bool>(raw));
    llvm::StringRef bytes = (*raw)->getBuffer();
    ASSERT_GT(bytes.size(), 10u);
    EXPECT_EQ(bytes.take_front(8), llvm::StringRef("\x93NUMPY\x01\x00", 8));
    uint16_t headerSize = llvm::support::endian::read16le(bytes.data() + 8);
    EXPECT_EQ((10 + headerSize) % 64, 0u);
    EXPECT_EQ(bytes.size(), 10u + headerSize + expected.data.size());
    llvm::StringRef header = bytes.substr(10, headerSize);
    EXPECT_TRUE(header.starts_with("{'descr': '" +
                                   npyDescr(expected.dtype)->str() +
                                   "', 'fortran_order': False, "))
        << header.str();
    EXPECT_TRUE(header.contains(cases[i].shapeText)) << header.str();
    EXPECT_TRUE(header.ends_with("\n"));

    llvm::Expected<Tensor> loaded = readNpy(file);
    ASSERT_TRUE(static_cast<bool>(loaded))
        << llvm::toString(loaded.takeError());
    EXPECT_EQ(loaded->dtype, expected.dtype) << i;
    EXPECT_EQ(loaded->shape, expected.shape) << i;
    EXPECT_EQ(loaded->data, expected.data) << i;
  }
}

TEST_F(NpyTest, ReadsEveryFormatVersion) {
  float values[] = {1.5f, -2};
  llvm::StringRef data(reinterpret_cast<const char *>(values), sizeof(values));
  for (unsigned major : {1u, 2u, 3u}) {
    std::string header =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    header.resize(128 - (major == 1 ? 10 : 12) - 1, ' ');
    header += '\n';
    std::string file = writeRaw("v" + std::to_string(major) + ".npy",
                                npyBytes(header, data, major));
    llvm::Expected<Tensor> tensor = readNpy(file);
    ASSERT_TRUE(static_cast<bool>(tensor))
        << llvm::toString(tensor.takeError());
    EXPECT_EQ(tensor->dtype, DType::F32);
    EXPECT_EQ(tensor->shape, std::vector<int64_t>{2});
    EXPECT_EQ(tensor->f32()[0], 1.5f);
    EXPECT_EQ(tensor->f32()[1], -2.0f);
  }
}

TEST_F(NpyTest, AcceptsOtherSpellingsOfTheHeader) {
  // Key order, double quotes, no trailing comma, Python 2 longs, no newline.
  std::string bytes =
      npyBytes(R"({"shape": (2L, 1L), "fortran_order": False, "descr": "|b1"})",
               llvm::StringRef("\x01\x00", 2));
  llvm::Expected<Tensor> tensor =
      parseNpy(llvm::MemoryBufferRef(bytes, "mem.npy"), "mem.npy");
  ASSERT_TRUE(static_cast<bool>(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->dtype, DType::Bool);
  EXPECT_EQ(tensor->shape, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(tensor->data, (std::vector<uint8_t>{1, 0}));
}

TEST_F(NpyTest, WritesVersion2ForLongHeaders) {
  // 30000 unit dims make a header longer than the 1.0 format's 65535 bytes.
  Tensor tensor = makeTensor<float>(DType::F32, std::vector<int64_t>(30000, 1),
                                    std::vector<float>{4.0f});
  std::string file = path("long.npy");
  ASSERT_FALSE(llvm::errorToBool(writeNpy(file, tensor)));
  auto raw = llvm::MemoryBuffer::getFile(file);
  ASSERT_TRUE(static_cast<bool>(raw));
  llvm::StringRef bytes = (*raw)->getBuffer();
  EXPECT_EQ(bytes[6], 2);
  uint32_t headerSize = llvm::support::endian::read32le(bytes.data() + 8);
  EXPECT_GT(headerSize, 65535u);
  EXPECT_EQ((12 + headerSize) % 64, 0u);
  llvm::Expected<Tensor> loaded = readNpy(file);
  ASSERT_TRUE(static_cast<bool>(loaded)) << llvm::toString(loaded.takeError());
  EXPECT_EQ(loaded->shape.size(), 30000u);
  EXPECT_EQ(loaded->f32()[0], 4.0f);
}

TEST_F(NpyTest, WriteRejectsBF16AndBadSizes) {
  std::string file = path("bad.npy");
  Tensor brain = Tensor::zeros(DType::BF16, {2});
  EXPECT_EQ(llvm::toString(writeNpy(file, brain)),
            file + ": BF16 has no .npy dtype");
  Tensor wrong = Tensor::zeros(DType::F32, {2});
  wrong.shape = {3};
  EXPECT_EQ(llvm::toString(writeNpy(file, wrong)),
            file + ": tensor holds 8 bytes but shape [3] x F32 needs 12");
  EXPECT_FALSE(llvm::sys::fs::exists(file));
}

TEST_F(NpyTest, RejectsMissingFile) {
  expectReadError(path("absent.npy"), "cannot open");
}

TEST_F(NpyTest, RejectsBadMagic) {
  expectReadError(writeRaw("magic.npy", "PK\x03\x04 not numpy at all"),
                  "not a .npy file (bad magic)");
  expectReadError(writeRaw("empty.npy", ""), "not a .npy file (bad magic)");
}

TEST_F(NpyTest, RejectsTruncatedFiles) {
  expectReadError(writeRaw("t1.npy", "\x93NUMPY"),
                  "truncated: file ends inside the version");
  expectReadError(
      writeRaw("t2.npy", llvm::StringRef("\x93NUMPY\x01\x00\x10", 9)),
      "truncated: file ends inside the header length");
  std::string header =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
  std::string cut = npyBytes(header, "").substr(0, 30);
  expectReadError(writeRaw("t3.npy", cut),
                  "truncated: header length 58 extends beyond the end of the "
                  "file (30 bytes)");
}

TEST_F(NpyTest, RejectsUnsupportedVersion) {
  expectReadError(writeRaw("v4.npy", npyBytes("{}", "", 4)),
                  "unsupported .npy format version 4.0");
}

TEST_F(NpyTest, RejectsFortranOrder) {
  expectReadError(writeRaw("fortran.npy",
                           npyBytes("{'descr': '<f4', 'fortran_order': True, "
                                    "'shape': (2, 2), }\n",
                                    std::string(16, '\0'))),
                  "Fortran-order arrays are not supported");
}

TEST_F(NpyTest, RejectsUnsupportedDTypes) {
  for (const char *descr : {">f4", "<c8", "<U3", "<f16", "|O"}) {
    std::string header = std::string("{'descr': '") + descr +
                         "', 'fortran_order': False, 'shape': (1,), }\n";
    expectReadError(writeRaw("dtype.npy", npyBytes(header, "abcd")),
                    std::string("unsupported dtype '") + descr + "'");
  }
  expectReadError(
      writeRaw("struct.npy",
               npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, "
                        "'shape': (1,), }\n",
                        "abcd")),
      "unsupported dtype: structured arrays");
}

TEST_F(NpyTest, RejectsDataSizeMismatch) {
  std::string header =
      "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }\n";
  expectReadError(writeRaw("short.npy", npyBytes(header, std::string(40, 'x'))),
                  "data is 40 bytes but shape [2, 3] x <i8 needs 48");
  expectReadError(writeRaw("long.npy", npyBytes(header, std::string(49, 'x'))),
                  "data is 49 bytes but shape [2, 3] x <i8 needs 48");
}

TEST_F(NpyTest, RejectsShapeOverflowAndNegativeDims) {
  expectReadError(writeRaw("overflow.npy",
                           npyBytes("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (4294967296, 4294967296), }\n",
                                    "")),
                  "shape [4294967296, 4294967296] x <f4 overflows");
  expectReadError(
      writeRaw("huge.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (99999999999999999999,), }\n",
                                    "")),
      "shape dimension 99999999999999999999 is too large");
  expectReadError(writeRaw("negative.npy",
                           npyBytes("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (-1,), }\n",
                                    "")),
                  "'shape' must hold non-negative integers");
}

TEST_F(NpyTest, RejectsMalformedHeaders) {
  expectReadError(
      writeRaw("nokey.npy",
               npyBytes("{'descr': '<f4', 'fortran_order': False}\n", "")),
      "header is missing 'shape'");
  expectReadError(
      writeRaw("extra.npy", npyBytes("{'descr': '<f4', 'fortran_order': False, "
                                     "'shape': (), 'x': 1}\n",
                                     "abcd")),
      "malformed .npy header: unexpected key 'x'");
  expectReadError(writeRaw("notdict.npy", npyBytes("[1, 2]\n", "")),
                  "malformed .npy header: header does not start with '{'");
  expectReadError(writeRaw("unterminated.npy", npyBytes("{'descr: '<f4'", "")),
                  "malformed .npy header: expected ':' after 'descr: '");
  expectReadError(writeRaw("trailing.npy",
                           npyBytes("{'descr': '<f4', 'fortran_order': False, "
                                    "'shape': (), } junk\n",
                                    "abcd")),
                  "unexpected text after the header dict");
  expectReadError(
      writeRaw("bool.npy",
               npyBytes("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}\n",
                        "abcd")),
      "'fortran_order' must be True or False");
}

} // namespace
