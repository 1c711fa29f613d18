//===- EncoderConfigBindings.cpp - encoder configs from Python -----------===//
//
// MlirAttnEncoderConfig (attn-c/Model.h) from keyword arguments, and its
// defaults as a dict.
//
//===----------------------------------------------------------------------===//

#include "Bindings.h"

#include "attn-c/Model.h"

#include <string>

namespace py = pybind11;

namespace attn_python {

//===----------------------------------------------------------------------===//
// Encoder configs
//===----------------------------------------------------------------------===//

/// An encoder config from keyword arguments; unknown keys are errors.
MlirAttnEncoderConfig configFromKwargs(const py::kwargs &kwargs,
                                       std::string &activationStorage,
                                       std::string &maskStorage) {
  MlirAttnEncoderConfig config = mlirAttnEncoderConfigGetDefault();
  for (auto item : kwargs) {
    std::string key = py::str(item.first);
    py::handle value = item.second;
    if (key == "layers")
      config.layers = value.cast<int64_t>();
    else if (key == "d_model")
      config.dModel = value.cast<int64_t>();
    else if (key == "heads")
      config.heads = value.cast<int64_t>();
    else if (key == "ffn")
      config.ffn = value.cast<int64_t>();
    else if (key == "activation") {
      activationStorage = value.cast<std::string>();
      config.activation = toRef(activationStorage);
    } else if (key == "pre_norm")
      config.preNorm = value.cast<bool>();
    else if (key == "causal")
      config.causal = value.cast<bool>();
    else if (key == "mask") {
      maskStorage = value.cast<std::string>();
      config.mask = toRef(maskStorage);
    } else if (key == "bias")
      config.bias = value.cast<bool>();
    else if (key == "batch")
      config.batch = value.cast<int64_t>();
    else if (key == "seq_len")
      config.seqLen = value.cast<int64_t>();
    else if (key == "layer_norm_eps")
      config.layerNormEpsilon = value.cast<double>();
    else
      throw py::type_error("unknown encoder config field '" + key + "'");
  }
  return config;
}

py::dict encoderDefaults() {
  MlirAttnEncoderConfig config = mlirAttnEncoderConfigGetDefault();
  py::dict d;
  d["layers"] = config.layers;
  d["d_model"] = config.dModel;
  d["heads"] = config.heads;
  d["ffn"] = config.ffn;
  d["activation"] = toString(config.activation);
  d["pre_norm"] = config.preNorm;
  d["causal"] = config.causal;
  d["mask"] = toString(config.mask);
  d["bias"] = config.bias;
  d["batch"] = config.batch;
  d["seq_len"] = config.seqLen;
  d["layer_norm_eps"] = config.layerNormEpsilon;
  return d;
}

} // namespace attn_python
