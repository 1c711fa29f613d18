//===- SafeTensors.cpp - safetensors reader and writer --------------------===//
//
// Format: https://github.com/huggingface/safetensors (8-byte little-endian
// header length N, N bytes of JSON, then the data section). The reader checks
// every field before it trusts it; the writer emits what the reader accepts.
//
//===----------------------------------------------------------------------===//

#include "attn/Runtime/SafeTensors.h"
#include "attn/Runtime/JSONLimits.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <numeric>

using namespace attn::rt;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

// Tensor bytes are copied as they are stored: little-endian.
static_assert(llvm::sys::IsLittleEndianHost,
              "the runtime assumes a little-endian host");

namespace {

/// Larger headers are refused before parsing (the reference reader's limit).
constexpr uint64_t kMaxHeaderBytes = 100 * 1024 * 1024;
constexpr StringRef kMetadataKey = "__metadata__";

Error fileError(StringRef file, const Twine &message) {
  return llvm::createStringError(Twine(file) + ": " + message);
}

std::string describe(StringRef name) { return ("tensor '" + name + "'").str(); }

/// Top-level keys of an already validated JSON object, in text order, with
/// repeats. llvm::json::Object is a hash map: it loses both.
std::vector<std::string> topLevelKeys(StringRef json) {
  std::vector<std::string> keys;
  int depth = 0;
  bool expectKey = false;
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') {
      size_t end = i + 1;
      while (end < json.size() && json[end] != '"')
        end += json[end] == '\\' ? 2 : 1;
      if (depth == 1 && expectKey) {
        // Let the JSON parser decode escapes so keys match the object's.
        Expected<llvm::json::Value> key =
            llvm::json::parse(json.slice(i, end + 1));
        if (key && key->getAsString())
          keys.push_back(key->getAsString()->str());
        else
          llvm::consumeError(key.takeError());
        expectKey = false;
      }
      i = end;
    } else if (c == '{' || c == '[') {
      ++depth;
      expectKey = depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expectKey = true;
    }
  }
  return keys;
}

Error parseMetadata(StringRef file, const llvm::json::Value &value,
                    std::map<std::string, std::string> &meta) {
  const llvm::json::Object *object = value.getAsObject();
  if (!object)
    return fileError(file, "__metadata__ is not a JSON object");
  for (const auto &[key, entry] : *object) {
    std::optional<StringRef> text = entry.getAsString();
    if (!text)
      return fileError(file, "__metadata__ value for key '" + StringRef(key) +
                                 "' is not a string");
    meta[key.str()] = text->str();
  }
  return Error::success();
}

/// Checks one header entry against the data section of `dataSize` bytes.
Expected<SafeTensorInfo> parseEntry(StringRef file, StringRef name,
                                    const llvm::json::Value &value,
                                    uint64_t dataSize) {
  std::string what = describe(name);
  const llvm::json::Object *object = value.getAsObject();
  if (!object)
    return fileError(file, what + " is not a JSON object");

  SafeTensorInfo info;
  info.name = name.str();
  std::optional<StringRef> dtypeText = object->getString("dtype");
  if (!dtypeText)
    return fileError(file, what + " has no string \"dtype\"");
  std::optional<DType> dtype = parseDType(*dtypeText);
  if (!dtype)
    return fileError(file, what + " has unknown dtype '" + *dtypeText + "'");
  info.dtype = *dtype;

  const llvm::json::Array *shape = object->getArray("shape");
  if (!shape)
    return fileError(file, what + " has no array \"shape\"");
  for (const llvm::json::Value &dim : *shape) {
    std::optional<int64_t> size = dim.getAsInteger();
    if (!size || *size < 0)
      return fileError(file, what +
                                 " has a shape entry that is not a "
                                 "non-negative integer: " +
                                 llvm::formatv("{0}", dim).str());
    info.shape.push_back(*size);
  }
  std::optional<uint64_t> byteSize = checkedByteSize(info.dtype, info.shape);
  if (!byteSize)
    return fileError(file, llvm::formatv("{0} has shape {1} x {2}, whose byte "
                                         "size overflows",
                                         what, formatShape(info.shape),
                                         dtypeName(info.dtype)));

  const llvm::json::Array *offsets = object->getArray("data_offsets");
  std::optional<uint64_t> begin, end;
  if (offsets && offsets->size() == 2) {
    begin = (*offsets)[0].getAsUINT64();
    end = (*offsets)[1].getAsUINT64();
  }
  if (!begin || !end)
    return fileError(file, what + " needs \"data_offsets\": [begin, end] "
                                  "with non-negative integers");
  info.begin = *begin;
  info.end = *end;
  std::string range = llvm::formatv("[{0}, {1}]", info.begin, info.end).str();
  if (info.begin > info.end)
    return fileError(file,
                     what + " data_offsets " + range + " begin after they end");
  if (info.end > dataSize)
    return fileError(file, llvm::formatv("{0} data_offsets {1} exceed the "
                                         "data section of {2} bytes",
                                         what, range, dataSize));
  if (info.end - info.begin != *byteSize)
    return fileError(file, llvm::formatv("{0} data_offsets {1} do not match "
                                         "shape {2} x {3} = {4} bytes",
                                         what, range, formatShape(info.shape),
                                         dtypeName(info.dtype), *byteSize));
  return info;
}

/// Two tensors may not share a byte (empty tensors share none).
Error checkDisjoint(StringRef file, llvm::ArrayRef<SafeTensorInfo> entries) {
  std::vector<const SafeTensorInfo *> sorted;
  for (const SafeTensorInfo &info : entries)
    if (info.begin != info.end)
      sorted.push_back(&info);
  llvm::sort(sorted, [](const SafeTensorInfo *a, const SafeTensorInfo *b) {
    return std::tie(a->begin, a->end) < std::tie(b->begin, b->end);
  });
  const SafeTensorInfo *last = nullptr; // The one reaching furthest so far.
  for (const SafeTensorInfo *info : sorted) {
    if (last && info->begin < last->end)
      return fileError(
          file, llvm::formatv("tensors '{0}' [{1}, {2}] and '{3}' [{4}, {5}] "
                              "overlap",
                              last->name, last->begin, last->end, info->name,
                              info->begin, info->end));
    if (!last || info->end > last->end)
      last = info;
  }
  return Error::success();
}

} // namespace

Expected<SafeTensorsFile> SafeTensorsFile::open(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fileError(path, "cannot open: " + buffer.getError().message());
  return parse(std::move(*buffer));
}

Expected<SafeTensorsFile>
SafeTensorsFile::parse(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  StringRef file = buffer->getBufferIdentifier();
  StringRef bytes = buffer->getBuffer();
  if (bytes.size() < 8)
    return fileError(file, llvm::formatv("file is {0} bytes, too short for "
                                         "the 8-byte header length",
                                         bytes.size()));
  uint64_t headerSize = llvm::support::endian::read64le(bytes.data());
  if (headerSize > kMaxHeaderBytes)
    return fileError(file, llvm::formatv("header length {0} exceeds the limit "
                                         "of {1} bytes",
                                         headerSize, kMaxHeaderBytes));
  if (headerSize > bytes.size() - 8)
    return fileError(file, llvm::formatv("header length {0} extends beyond "
                                         "the end of the file ({1} bytes)",
                                         headerSize, bytes.size()));
  StringRef header = bytes.substr(8, headerSize);
  // llvm::json::parse recurses per level: bound the depth before parsing.
  if (!jsonNestingWithin(header))
    return fileError(file, llvm::formatv("JSON header nests deeper than {0} "
                                         "levels",
                                         kMaxJSONDepth));

  Expected<llvm::json::Value> root = llvm::json::parse(header);
  if (!root)
    return fileError(file, "invalid JSON header: " +
                               llvm::toString(root.takeError()));
  const llvm::json::Object *object = root->getAsObject();
  if (!object)
    return fileError(file, "JSON header is not an object");

  SafeTensorsFile result;
  result.dataStart = 8 + headerSize;
  uint64_t dataSize = bytes.size() - result.dataStart;
  llvm::StringSet<> seen;
  for (const std::string &name : topLevelKeys(header)) {
    if (!seen.insert(name).second)
      return fileError(file, "header names '" + name + "' more than once");
    const llvm::json::Value *value = object->get(name);
    if (!value) // The key scan and the parser disagree: never trust it.
      return fileError(file, "cannot read header key '" + name + "'");
    if (name == kMetadataKey) {
      if (Error err = parseMetadata(file, *value, result.meta))
        return std::move(err);
      continue;
    }
    Expected<SafeTensorInfo> info = parseEntry(file, name, *value, dataSize);
    if (!info)
      return info.takeError();
    result.index[name] = result.entries.size();
    result.entries.push_back(std::move(*info));
  }
  if (seen.size() != object->size())
    return fileError(file, "cannot read the header's keys");
  if (Error err = checkDisjoint(file, result.entries))
    return std::move(err);
  result.buffer = std::move(buffer);
  return std::move(result);
}

const SafeTensorInfo *SafeTensorsFile::lookup(StringRef name) const {
  auto it = index.find(name);
  return it == index.end() ? nullptr : &entries[it->second];
}

llvm::ArrayRef<uint8_t>
SafeTensorsFile::bytes(const SafeTensorInfo &info) const {
  uint64_t dataSize = buffer->getBufferSize() - dataStart;
  // Guards against an info that did not come from this file.
  if (info.begin > info.end || info.end > dataSize)
    return {};
  const auto *data =
      reinterpret_cast<const uint8_t *>(buffer->getBufferStart());
  return llvm::ArrayRef(data + dataStart + info.begin, info.end - info.begin);
}

Expected<Tensor> SafeTensorsFile::load(StringRef name) const {
  const SafeTensorInfo *info = lookup(name);
  if (!info)
    return fileError(buffer->getBufferIdentifier(), "has no " + describe(name));
  Tensor tensor;
  tensor.dtype = info->dtype;
  tensor.shape = info->shape;
  llvm::ArrayRef<uint8_t> data = bytes(*info);
  tensor.data.assign(data.begin(), data.end());
  return tensor;
}

Error attn::rt::writeSafeTensors(
    StringRef path, llvm::ArrayRef<NamedTensor> tensors,
    const std::map<std::string, std::string> &metadata) {
  llvm::StringSet<> seen;
  for (const NamedTensor &named : tensors) {
    std::string what = describe(named.name);
    if (named.name == kMetadataKey || !llvm::json::isUTF8(named.name))
      return fileError(path, "cannot name a tensor '" + named.name + "'");
    if (!seen.insert(named.name).second)
      return fileError(path, "duplicate " + what);
    if (!named.tensor)
      return fileError(path, what + " has no data");
    const Tensor &tensor = *named.tensor;
    std::optional<uint64_t> size = checkedByteSize(tensor.dtype, tensor.shape);
    if (!size)
      return fileError(path, what + " has invalid shape " +
                                 formatShape(tensor.shape));
    if (*size != tensor.data.size())
      return fileError(path, llvm::formatv("{0} holds {1} bytes but shape {2} "
                                           "x {3} needs {4}",
                                           what, tensor.data.size(),
                                           formatShape(tensor.shape),
                                           dtypeName(tensor.dtype), *size));
  }
  for (const auto &[key, value] : metadata)
    if (!llvm::json::isUTF8(key) || !llvm::json::isUTF8(value))
      return fileError(path,
                       "__metadata__ entry '" + key + "' is not valid UTF-8");

  // json::OStream keeps the order we write in; json::Object would not.
  std::string header;
  llvm::raw_string_ostream headerStream(header);
  llvm::json::OStream json(headerStream);
  json.object([&] {
    if (!metadata.empty())
      json.attributeObject(kMetadataKey, [&] {
        for (const auto &[key, value] : metadata)
          json.attribute(key, value);
      });
    int64_t offset = 0;
    for (const NamedTensor &named : tensors) {
      const Tensor &tensor = *named.tensor;
      int64_t end = offset + static_cast<int64_t>(tensor.data.size());
      json.attributeObject(named.name, [&] {
        json.attribute("dtype", dtypeName(tensor.dtype));
        json.attributeArray("shape", [&] {
          for (int64_t dim : tensor.shape)
            json.value(dim);
        });
        json.attributeArray("data_offsets", [&] {
          json.value(offset);
          json.value(end);
        });
      });
      offset = end;
    }
  });
  // The format recommends 8-byte alignment of the data section.
  header.append((8 - header.size() % 8) % 8, ' ');

  Error err = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
    char length[8];
    llvm::support::endian::write64le(length, header.size());
    os.write(length, sizeof(length));
    os << header;
    for (const NamedTensor &named : tensors)
      os.write(reinterpret_cast<const char *>(named.tensor->data.data()),
               named.tensor->data.size());
    return Error::success();
  });
  if (err)
    return fileError(path, "cannot write: " + llvm::toString(std::move(err)));
  return Error::success();
}
