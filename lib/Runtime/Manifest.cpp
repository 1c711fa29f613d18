//===- Manifest.cpp - the manifest of a compiled model --------------------===//

#include "attn/Runtime/Manifest.h"
#include "attn/Runtime/JSONLimits.h"
#include "attn/Runtime/Tensor.h"
#include "attn/Support/ModelDims.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace attn::rt;
using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;
using mlir::attn::kBatchDim;
using mlir::attn::sequenceDim;

int64_t ManifestParam::numElements() const {
  return checkedNumElements(shape).value_or(-1);
}

const ManifestTensor *Manifest::lookupInput(llvm::StringRef name) const {
  for (const ManifestTensor &t : inputs)
    if (t.name == name)
      return &t;
  return nullptr;
}

const ManifestParam *Manifest::lookupParam(llvm::StringRef name) const {
  for (const ManifestParam &p : params)
    if (p.name == name)
      return &p;
  return nullptr;
}

std::optional<double>
Manifest::flopsFor(llvm::ArrayRef<int64_t> inputShape) const {
  if (flops.empty())
    return std::nullopt;
  size_t seqDim = sequenceDim(inputShape.size());
  double batch = inputShape.size() > 0 ? double(inputShape[kBatchDim]) : 1.0;
  double seq = inputShape.size() > seqDim ? double(inputShape[seqDim]) : 1.0;
  double total = 0;
  for (const FlopTerm &term : flops)
    total += term.coeff * std::pow(batch, double(term.b)) *
             std::pow(seq, double(term.t));
  return total;
}

static Value shapeJSON(const std::vector<int64_t> &shape) {
  Array dims;
  for (int64_t d : shape)
    dims.push_back(d);
  return dims;
}

static Value tensorJSON(const ManifestTensor &t) {
  Object o{{"name", t.name}, {"dtype", t.dtype}, {"shape", shapeJSON(t.shape)}};
  if (!t.dims.empty()) {
    Array dims;
    for (const std::string &d : t.dims)
      dims.push_back(d);
    o["dims"] = std::move(dims);
  }
  if (!t.mask.empty())
    o["mask"] = t.mask;
  return o;
}

Value Manifest::toJSON() const {
  Array ins, outs, ps, fl;
  for (const ManifestTensor &t : inputs)
    ins.push_back(tensorJSON(t));
  for (const ManifestTensor &t : outputs)
    outs.push_back(tensorJSON(t));
  for (const ManifestParam &p : params) {
    Object o{{"name", p.name},
             {"dtype", p.dtype},
             {"shape", shapeJSON(p.shape)},
             {"offset", p.offset}};
    if (!p.init.empty())
      o["init"] = p.init;
    ps.push_back(std::move(o));
  }
  for (const FlopTerm &t : flops)
    fl.push_back(Object{{"coeff", t.coeff}, {"b", t.b}, {"t", t.t}});
  return Object{
      {"format", kManifestFormat},
      {"version", version},
      {"abi_version", abiVersion},
      {"entry", entry},
      {"target", Object{{"kind", target.kind},
                        {"triple", target.triple},
                        {"cpu", target.cpu},
                        {"features", target.features},
                        {"threads", target.threads}}},
      {"inputs", std::move(ins)},
      {"outputs", std::move(outs)},
      {"param_size", paramSize},
      {"param_alignment", paramAlignment},
      {"params", std::move(ps)},
      {"flops",
       Object{{"variables",
               Object{{"B", "input dim " + std::to_string(kBatchDim)},
                      {"T",
                       "input dim " +
                           std::to_string(sequenceDim(
                               inputs.empty() ? 3 : inputs[0].shape.size()))}}},
              {"terms", std::move(fl)}}},
  };
}

namespace {
/// Reads fields with paths for messages.
class Reader {
public:
  explicit Reader(llvm::StringRef source) : source(source) {}

  llvm::Error error(const llvm::Twine &path, const llvm::Twine &what) {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        llvm::formatv("{0}: manifest {1}: {2}", source, path.str(), what.str())
            .str());
  }

  llvm::Error getString(const Object &o, llvm::StringRef key,
                        const llvm::Twine &path, std::string &out,
                        bool optional = false) {
    const Value *v = o.get(key);
    if (!v && optional)
      return llvm::Error::success();
    auto s = v ? v->getAsString() : std::nullopt;
    if (!s)
      return error(path + "." + key, "missing or not a string");
    out = s->str();
    return llvm::Error::success();
  }

  llvm::Error getInt(const Object &o, llvm::StringRef key,
                     const llvm::Twine &path, int64_t &out) {
    const Value *v = o.get(key);
    auto i = v ? v->getAsInteger() : std::nullopt;
    if (!i)
      return error(path + "." + key, "missing or not an integer");
    out = *i;
    return llvm::Error::success();
  }

  llvm::Error getShape(const Object &o, const llvm::Twine &path,
                       std::vector<int64_t> &out, bool allowDynamic) {
    const Array *dims = o.getArray("shape");
    if (!dims)
      return error(path + ".shape", "missing or not an array");
    if (dims->size() > 8)
      return error(path + ".shape", "rank above 8");
    for (const Value &d : *dims) {
      auto i = d.getAsInteger();
      if (!i || *i < (allowDynamic ? -1 : 0))
        return error(path + ".shape",
                     allowDynamic ? "dims must be integers >= -1"
                                  : "dims must be integers >= 0");
      out.push_back(*i);
    }
    return llvm::Error::success();
  }

  llvm::Error getTensors(const Object &o, llvm::StringRef key,
                         std::vector<ManifestTensor> &out) {
    const Array *list = o.getArray(key);
    if (!list)
      return error(key, "missing or not an array");
    for (auto [i, v] : llvm::enumerate(*list)) {
      std::string path = llvm::formatv("{0}[{1}]", key, i).str();
      const Object *t = v.getAsObject();
      if (!t)
        return error(path, "not an object");
      ManifestTensor tensor;
      if (auto err = getString(*t, "name", path, tensor.name))
        return err;
      if (auto err = getString(*t, "dtype", path, tensor.dtype))
        return err;
      if (auto err = getShape(*t, path, tensor.shape, /*allowDynamic=*/true))
        return err;
      if (const Value *dims = t->get("dims")) {
        const Array *list = dims->getAsArray();
        if (!list || list->size() != tensor.shape.size())
          return error(path + ".dims", "not an array of one string per dim");
        for (const Value &d : *list) {
          auto symbol = d.getAsString();
          if (!symbol)
            return error(path + ".dims", "not an array of one string per dim");
          tensor.dims.push_back(symbol->str());
        }
      }
      if (auto err = getString(*t, "mask", path, tensor.mask,
                               /*optional=*/true))
        return err;
      if (!tensor.mask.empty() && tensor.mask != "additive" &&
          tensor.mask != "key_padding")
        return error(path + ".mask", "'" + tensor.mask +
                                         "', expected additive or key_padding");
      for (const ManifestTensor &other : out)
        if (other.name == tensor.name)
          return error(path, "duplicate name '" + tensor.name + "'");
      out.push_back(std::move(tensor));
    }
    return llvm::Error::success();
  }

private:
  std::string source;
};
} // namespace

llvm::Expected<Manifest> Manifest::parse(llvm::StringRef json,
                                         llvm::StringRef nameForErrors) {
  Reader r(nameForErrors);
  // llvm::json::parse recurses per level: bound the depth before parsing.
  if (!jsonNestingWithin(json))
    return r.error("", llvm::formatv("JSON nests deeper than {0} levels",
                                     kMaxJSONDepth)
                           .str());
  llvm::Expected<Value> parsed = llvm::json::parse(json);
  if (!parsed)
    return r.error("", llvm::toString(parsed.takeError()));
  const Object *root = parsed->getAsObject();
  if (!root)
    return r.error("", "not a JSON object");
  Manifest m;
  std::string format;
  if (auto err = r.getString(*root, "format", "", format))
    return std::move(err);
  if (format != kManifestFormat)
    return r.error("format", "'" + format + "', expected '" + kManifestFormat +
                                 "'");
  if (auto err = r.getInt(*root, "version", "", m.version))
    return std::move(err);
  if (m.version != kManifestVersion)
    return r.error("version", llvm::formatv("{0}, this tool reads {1}",
                                            m.version, kManifestVersion));
  if (auto err = r.getInt(*root, "abi_version", "", m.abiVersion))
    return std::move(err);
  if (auto err = r.getString(*root, "entry", "", m.entry))
    return std::move(err);
  if (auto err = r.getTensors(*root, "inputs", m.inputs))
    return std::move(err);
  if (auto err = r.getTensors(*root, "outputs", m.outputs))
    return std::move(err);
  if (auto err = r.getInt(*root, "param_size", "", m.paramSize))
    return std::move(err);
  if (auto err = r.getInt(*root, "param_alignment", "", m.paramAlignment))
    return std::move(err);
  if (m.paramSize < 0)
    return r.error("param_size", "negative");

  if (const Object *target = root->getObject("target")) {
    (void)r.getString(*target, "kind", "target", m.target.kind, true);
    (void)r.getString(*target, "triple", "target", m.target.triple, true);
    (void)r.getString(*target, "cpu", "target", m.target.cpu, true);
    (void)r.getString(*target, "features", "target", m.target.features, true);
    if (auto threads = target->getInteger("threads"))
      m.target.threads = *threads;
  }

  const Array *params = root->getArray("params");
  if (!params)
    return r.error("params", "missing or not an array");
  llvm::StringSet<> names;
  for (auto [i, v] : llvm::enumerate(*params)) {
    std::string path = llvm::formatv("params[{0}]", i).str();
    const Object *o = v.getAsObject();
    if (!o)
      return r.error(path, "not an object");
    ManifestParam p;
    if (auto err = r.getString(*o, "name", path, p.name))
      return std::move(err);
    if (auto err = r.getString(*o, "dtype", path, p.dtype))
      return std::move(err);
    if (auto err = r.getShape(*o, path, p.shape, /*allowDynamic=*/false))
      return std::move(err);
    if (auto err = r.getInt(*o, "offset", path, p.offset))
      return std::move(err);
    if (auto err = r.getString(*o, "init", path, p.init, /*optional=*/true))
      return std::move(err);
    int64_t n = p.numElements();
    if (n < 0 || p.offset < 0 || p.offset > m.paramSize - n)
      return r.error(path, "does not lie inside the parameter buffer");
    if (!names.insert(p.name).second)
      return r.error(path, "duplicate name '" + p.name + "'");
    m.params.push_back(std::move(p));
  }

  if (const Object *flops = root->getObject("flops")) {
    if (const Array *terms = flops->getArray("terms")) {
      for (auto [i, v] : llvm::enumerate(*terms)) {
        std::string path = llvm::formatv("flops.terms[{0}]", i).str();
        const Object *o = v.getAsObject();
        auto coeff = o ? o->getNumber("coeff") : std::nullopt;
        auto b = o ? o->getInteger("b") : std::nullopt;
        auto t = o ? o->getInteger("t") : std::nullopt;
        // A coefficient beyond double (1e400 parses as inf) would print
        // back as invalid JSON (found by attn-manifest-fuzzer).
        if (!coeff || !std::isfinite(*coeff) || !b || !t || *b < 0 ||
            *t < 0 || *b > 4 || *t > 4)
          return r.error(path, "expected {coeff, b, t} with a finite coeff "
                               "and small powers");
        m.flops.push_back({*coeff, *b, *t});
      }
    }
  }
  return m;
}
