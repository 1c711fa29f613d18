//===- CostReport.cpp - the cost model as a table or as JSON --------------===//

#include "attn/Dialect/Attn/Analysis/CostModel.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <cstdlib>

using namespace mlir;
using namespace mlir::attn;

namespace {
/// 999 -> "999", 2720 -> "2.72K", 1234567 -> "1.23M": three significant
/// digits beyond 999, exact below.
std::string humanCount(int64_t value) {
  if (std::llabs(value) < 1000)
    return std::to_string(value);
  static constexpr std::array<const char *, 6> kUnits = {"",  "K", "M",
                                                         "G", "T", "P"};
  double scaled = static_cast<double>(value);
  size_t unit = 0;
  // 999.5 rounds to 1000 at three digits: move to the next unit instead.
  while (std::abs(scaled) >= 999.5 && unit + 1 < kUnits.size()) {
    scaled /= 1000.0;
    ++unit;
  }
  const char *format = std::abs(scaled) < 9.995   ? "%.2f%s"
                       : std::abs(scaled) < 99.95 ? "%.1f%s"
                                                  : "%.0f%s";
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format(format, scaled, kUnits[unit]);
  return text;
}

using Row = std::array<std::string, 7>;
} // namespace

void mlir::attn::printModelCostTable(const ModelCost &cost,
                                     llvm::raw_ostream &os) {
  SmallVector<Row> rows;
  rows.push_back(
      {"layer", "kind", "params", "state/pos", "FLOPs", "bytes", "map bytes"});
  for (const LayerCost &layer : cost.layers)
    rows.push_back({std::to_string(layer.index), layer.kind,
                    humanCount(layer.params),
                    humanCount(layer.statePerPosition), humanCount(layer.flops),
                    humanCount(layer.bytes), humanCount(layer.mapBytes)});
  rows.push_back({"total", "", humanCount(cost.params),
                  humanCount(cost.statePerPosition), humanCount(cost.flops),
                  humanCount(cost.bytes), humanCount(cost.mapBytes)});

  std::array<size_t, 7> widths = {};
  for (const Row &row : rows)
    for (size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());

  os << "attn-report: seq-len " << cost.seqLen << ", batch " << cost.batch
     << "\n";
  for (const Row &row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i)
        os << "  ";
      // The kind is text: left-aligned; every other column right-aligned.
      if (i == 1)
        os << llvm::left_justify(row[i], widths[i]);
      else
        os << llvm::right_justify(row[i], widths[i]);
    }
    os << "\n";
  }
  os << "attention parameters: " << humanCount(cost.attentionParams) << " of "
     << humanCount(cost.params) << "\n"
     << "total FLOPs and bytes count every op (attention, feed-forward, "
        "LayerNorm, residuals); K/M/G/T = 10^3/10^6/10^9/10^12\n";
}

void mlir::attn::printModelCostJson(const ModelCost &cost,
                                    llvm::raw_ostream &os) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("seq_len", cost.seqLen);
    json.attribute("batch", cost.batch);
    json.attributeArray("layers", [&] {
      for (const LayerCost &layer : cost.layers)
        json.object([&] {
          json.attribute("index", layer.index);
          json.attribute("kind", layer.kind);
          json.attribute("params", layer.params);
          json.attribute("state_per_position", layer.statePerPosition);
          json.attribute("flops", layer.flops);
          json.attribute("bytes", layer.bytes);
          json.attribute("map_bytes", layer.mapBytes);
        });
    });
    json.attributeObject("total", [&] {
      json.attribute("params", cost.params);
      json.attribute("attention_params", cost.attentionParams);
      json.attribute("state_per_position", cost.statePerPosition);
      json.attribute("flops", cost.flops);
      json.attribute("bytes", cost.bytes);
      json.attribute("map_bytes", cost.mapBytes);
    });
  });
  os << "\n";
}
