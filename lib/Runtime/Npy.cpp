//===- Npy.cpp - NumPy .npy reader and writer -----------------------------===//
//
// Format:
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
// "\x93NUMPY", major and minor version bytes, a little-endian header length
// (2 bytes in 1.0, 4 bytes in 2.0 and 3.0), the header, then the data. The
// header is a Python dict literal that numpy writes as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a newline so the data starts 64-byte aligned.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace attn::rt;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

static_assert(llvm::sys::IsLittleEndianHost,
              "the runtime assumes a little-endian host");

namespace {

constexpr StringRef kMagic = "\x93NUMPY";
/// A sane bound for untrusted files (numpy itself refuses 10000 by default).
constexpr uint64_t kMaxHeaderBytes = 100 * 1024 * 1024;
constexpr StringRef kSupported = "<f4, <f2, <f8, <i8, <i4, |i1, |u1, |b1";

Error fileError(StringRef file, const Twine &message) {
  return llvm::createStringError(Twine(file) + ": " + message);
}

std::optional<DType> parseDescr(StringRef descr) {
  return llvm::StringSwitch<std::optional<DType>>(descr)
      .Case("<f4", DType::F32)
      .Case("<f2", DType::F16)
      .Case("<f8", DType::F64)
      .Case("<i8", DType::I64)
      .Case("<i4", DType::I32)
      .Cases({"|i1", "<i1"}, DType::I8)
      .Cases({"|u1", "<u1"}, DType::U8)
      .Cases({"|b1", "<b1"}, DType::Bool)
      .Default(std::nullopt);
}

struct NpyHeader {
  std::optional<std::string> descr;
  std::optional<bool> fortranOrder;
  std::optional<std::vector<int64_t>> shape;
};

/// Parses the dict literal numpy writes; anything else is an error. Only the
/// three keys and their literal forms are accepted: this is not Python.
class HeaderParser {
public:
  HeaderParser(StringRef text, StringRef file) : rest(text), file(file) {}

  Expected<NpyHeader> parse() {
    NpyHeader header;
    if (!consume('{'))
      return error("header does not start with '{'");
    while (!consume('}')) {
      std::string key;
      if (Error err = parseString(key))
        return std::move(err);
      if (!consume(':'))
        return error("expected ':' after '" + key + "'");
      if (Error err = parseValue(key, header))
        return std::move(err);
      if (!consume(',') && !peek('}'))
        return error("expected ',' or '}' after the value of '" + key + "'");
    }
    if (!rest.trim().empty())
      return error("unexpected text after the header dict");
    return header;
  }

private:
  Error error(const Twine &message) {
    return fileError(file, "malformed .npy header: " + message);
  }
  void skipSpace() { rest = rest.ltrim(); }
  bool peek(char c) {
    skipSpace();
    return rest.starts_with(StringRef(&c, 1));
  }
  bool consume(char c) {
    if (!peek(c))
      return false;
    rest = rest.drop_front();
    return true;
  }

  /// A quoted string without escapes ('...' or "...").
  Error parseString(std::string &out) {
    skipSpace();
    if (rest.empty() || (rest.front() != '\'' && rest.front() != '"'))
      return error("expected a quoted string");
    char quote = rest.front();
    size_t end = rest.find(quote, 1);
    if (end == StringRef::npos)
      return error("unterminated string");
    StringRef body = rest.slice(1, end);
    if (body.contains('\\'))
      return error("escapes in strings are not supported");
    out = body.str();
    rest = rest.drop_front(end + 1);
    return Error::success();
  }

  Error parseValue(StringRef key, NpyHeader &header) {
    if (key == "descr") {
      if (header.descr)
        return error("'descr' appears twice");
      if (peek('['))
        return fileError(file, "unsupported dtype: structured arrays are not "
                               "supported");
      std::string descr;
      if (Error err = parseString(descr))
        return err;
      header.descr = std::move(descr);
      return Error::success();
    }
    if (key == "fortran_order") {
      if (header.fortranOrder)
        return error("'fortran_order' appears twice");
      skipSpace();
      if (rest.consume_front("True"))
        header.fortranOrder = true;
      else if (rest.consume_front("False"))
        header.fortranOrder = false;
      else
        return error("'fortran_order' must be True or False");
      return Error::success();
    }
    if (key == "shape") {
      if (header.shape)
        return error("'shape' appears twice");
      std::vector<int64_t> shape;
      if (Error err = parseShape(shape))
        return err;
      header.shape = std::move(shape);
      return Error::success();
    }
    return error("unexpected key '" + key + "'");
  }

  /// `()`, `(5,)`, `(2, 3)`; Python 2 writers may append `L` to an int.
  Error parseShape(std::vector<int64_t> &shape) {
    if (!consume('('))
      return error("'shape' must be a tuple");
    while (!consume(')')) {
      skipSpace();
      size_t digits = 0;
      while (digits < rest.size() && llvm::isDigit(rest[digits]))
        ++digits;
      if (digits == 0)
        return error("'shape' must hold non-negative integers");
      int64_t dim = 0;
      for (char c : rest.take_front(digits))
        if (llvm::MulOverflow<int64_t>(dim, 10, dim) ||
            llvm::AddOverflow<int64_t>(dim, c - '0', dim))
          return fileError(file, "shape dimension " + rest.take_front(digits) +
                                     " is too large");
      rest = rest.drop_front(digits);
      rest.consume_front("L");
      shape.push_back(dim);
      if (!consume(',') && !peek(')'))
        return error("expected ',' or ')' in 'shape'");
    }
    return Error::success();
  }

  StringRef rest;
  StringRef file;
};

} // namespace

std::optional<StringRef> attn::rt::npyDescr(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return StringRef("<f4");
  case DType::F16:
    return StringRef("<f2");
  case DType::F64:
    return StringRef("<f8");
  case DType::I64:
    return StringRef("<i8");
  case DType::I32:
    return StringRef("<i4");
  case DType::I8:
    return StringRef("|i1");
  case DType::U8:
    return StringRef("|u1");
  case DType::Bool:
    return StringRef("|b1");
  case DType::BF16:
    return std::nullopt;
  }
  return std::nullopt;
}

Expected<Tensor> attn::rt::parseNpy(llvm::MemoryBufferRef buffer,
                                    StringRef file) {
  StringRef bytes = buffer.getBuffer();
  if (!bytes.starts_with(kMagic))
    return fileError(file, "not a .npy file (bad magic)");
  if (bytes.size() < 8)
    return fileError(file, "truncated: file ends inside the version");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  unsigned minor = static_cast<uint8_t>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return fileError(file, llvm::formatv("unsupported .npy format version "
                                         "{0}.{1}",
                                         major, minor));
  size_t prefix = major == 1 ? 10 : 12;
  if (bytes.size() < prefix)
    return fileError(file, "truncated: file ends inside the header length");
  uint64_t headerSize = major == 1
                            ? llvm::support::endian::read16le(bytes.data() + 8)
                            : llvm::support::endian::read32le(bytes.data() + 8);
  if (headerSize > kMaxHeaderBytes)
    return fileError(file, llvm::formatv("header length {0} exceeds the limit "
                                         "of {1} bytes",
                                         headerSize, kMaxHeaderBytes));
  if (headerSize > bytes.size() - prefix)
    return fileError(file, llvm::formatv("truncated: header length {0} extends "
                                         "beyond the end of the file ({1} "
                                         "bytes)",
                                         headerSize, bytes.size()));

  HeaderParser parser(bytes.substr(prefix, headerSize), file);
  Expected<NpyHeader> header = parser.parse();
  if (!header)
    return header.takeError();
  for (auto [present, key] :
       {std::pair(header->descr.has_value(), "descr"),
        std::pair(header->fortranOrder.has_value(), "fortran_order"),
        std::pair(header->shape.has_value(), "shape")})
    if (!present)
      return fileError(file, Twine("header is missing '") + key + "'");
  std::optional<DType> dtype = parseDescr(*header->descr);
  if (!dtype)
    return fileError(file, "unsupported dtype '" + *header->descr +
                               "' (supported: " + kSupported + ")");
  if (*header->fortranOrder)
    return fileError(file, "Fortran-order arrays are not supported; save a "
                           "C-order array (numpy.ascontiguousarray)");

  Tensor tensor;
  tensor.dtype = *dtype;
  tensor.shape = std::move(*header->shape);
  std::optional<uint64_t> size = checkedByteSize(tensor.dtype, tensor.shape);
  if (!size)
    return fileError(file, "shape " + formatShape(tensor.shape) + " x " +
                               *header->descr + " overflows");
  StringRef data = bytes.drop_front(prefix + headerSize);
  if (data.size() != *size)
    return fileError(file, llvm::formatv("data is {0} bytes but shape {1} x "
                                         "{2} needs {3}",
                                         data.size(), formatShape(tensor.shape),
                                         *header->descr, *size));
  tensor.data.assign(data.bytes_begin(), data.bytes_end());
  return tensor;
}

Expected<Tensor> attn::rt::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot open: " + buffer.getError().message());
  return parseNpy((*buffer)->getMemBufferRef(), path);
}

Error attn::rt::writeNpy(StringRef path, const Tensor &tensor) {
  std::optional<StringRef> descr = npyDescr(tensor.dtype);
  if (!descr)
    return fileError(path,
                     Twine(dtypeName(tensor.dtype)) + " has no .npy dtype");
  std::optional<uint64_t> size = checkedByteSize(tensor.dtype, tensor.shape);
  if (!size)
    return fileError(path, "invalid shape " + formatShape(tensor.shape));
  if (*size != tensor.data.size())
    return fileError(path, llvm::formatv("tensor holds {0} bytes but shape {1} "
                                         "x {2} needs {3}",
                                         tensor.data.size(),
                                         formatShape(tensor.shape),
                                         dtypeName(tensor.dtype), *size));

  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << *descr << "', 'fortran_order': False, 'shape': (";
  llvm::interleaveComma(tensor.shape, os);
  os << (tensor.shape.size() == 1 ? ",), }" : "), }");
  // Pad with spaces and end with '\n' so the data is 64-byte aligned.
  auto paddedSize = [&](size_t prefix) {
    size_t unpadded = prefix + header.size() + 1;
    return header.size() + 1 + (64 - unpadded % 64) % 64;
  };
  unsigned major = paddedSize(10) <= UINT16_MAX ? 1 : 2;
  size_t headerSize = paddedSize(major == 1 ? 10 : 12);
  header.resize(headerSize - 1, ' ');
  header.push_back('\n');

  Error err = llvm::writeToOutput(path, [&](llvm::raw_ostream &out) {
    out << kMagic;
    out << static_cast<char>(major) << '\0';
    char length[4];
    if (major == 1) {
      llvm::support::endian::write16le(length, headerSize);
      out.write(length, 2);
    } else {
      llvm::support::endian::write32le(length, headerSize);
      out.write(length, 4);
    }
    out << header;
    out.write(reinterpret_cast<const char *>(tensor.data.data()),
              tensor.data.size());
    return Error::success();
  });
  if (err)
    return fileError(path, "cannot write: " + llvm::toString(std::move(err)));
  return Error::success();
}
