//===- Diagnostics.cpp - C API: capturing diagnostics ---------------------===//

#include "attn-c/Diagnostics.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

using namespace mlir;

namespace {
/// A ScopedDiagnosticHandler that formats every diagnostic into `text`.
class Capture {
public:
  explicit Capture(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          append(diag, /*indent=*/0);
          return success();
        }) {}

  std::string text;
  intptr_t numErrors = 0;

private:
  void append(Diagnostic &diag, unsigned indent) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++numErrors;
    llvm::raw_string_ostream os(text);
    os.indent(indent);
    std::string loc = formatLocation(diag.getLocation());
    if (!loc.empty())
      os << loc << ": ";
    os << severityName(diag.getSeverity()) << ": " << abbreviate(diag.str())
       << "\n";
    for (Diagnostic &note : diag.getNotes())
      append(note, indent + 2);
  }

  /// The first kMaxLines lines of a long message: MLIR attaches the failing
  /// op to its errors ("see current operation: ..."), which for an error on
  /// the module is the whole model.
  static std::string abbreviate(StringRef message) {
    constexpr size_t kMaxLines = 40;
    SmallVector<StringRef> lines;
    message.split(lines, '\n');
    if (lines.size() <= kMaxLines)
      return message.str();
    std::string text;
    for (size_t i = 0; i < kMaxLines; ++i)
      text += (lines[i] + "\n").str();
    text += "... (" + std::to_string(lines.size() - kMaxLines) + " more lines)";
    return text;
  }

  static StringRef severityName(DiagnosticSeverity severity) {
    switch (severity) {
    case DiagnosticSeverity::Error:
      return "error";
    case DiagnosticSeverity::Warning:
      return "warning";
    case DiagnosticSeverity::Note:
      return "note";
    case DiagnosticSeverity::Remark:
      return "remark";
    }
    return "diagnostic";
  }

  /// `file:line:col` for file locations, the name for named ones (the
  /// encoder builder names each layer's ops `layers.{i}`), nothing when
  /// unknown, MLIR's own syntax otherwise.
  static std::string formatLocation(Location loc) {
    if (isa<UnknownLoc>(loc))
      return "";
    if (auto file = dyn_cast<FileLineColLoc>(loc))
      return (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
              ":" + Twine(file.getColumn()))
          .str();
    if (auto name = dyn_cast<NameLoc>(loc)) {
      std::string child = formatLocation(name.getChildLoc());
      return child.empty()
                 ? name.getName().str()
                 : (name.getName().getValue() + " (" + child + ")").str();
    }
    if (auto callSite = dyn_cast<CallSiteLoc>(loc))
      return formatLocation(callSite.getCallee());
    if (auto fused = dyn_cast<FusedLoc>(loc)) {
      for (Location inner : fused.getLocations()) {
        std::string text = formatLocation(inner);
        if (!text.empty())
          return text;
      }
      return "";
    }
    std::string text;
    llvm::raw_string_ostream os(text);
    os << loc;
    return text;
  }

  ScopedDiagnosticHandler handler;
};
} // namespace

static Capture *unwrap(MlirAttnDiagnosticCapture capture) {
  return static_cast<Capture *>(capture.ptr);
}

MlirAttnDiagnosticCapture mlirAttnDiagnosticCaptureCreate(MlirContext context) {
  return {new Capture(unwrap(context))};
}

void mlirAttnDiagnosticCaptureDestroy(MlirAttnDiagnosticCapture capture) {
  delete unwrap(capture);
}

MlirStringRef
mlirAttnDiagnosticCaptureGetText(MlirAttnDiagnosticCapture capture) {
  return wrap(StringRef(unwrap(capture)->text));
}

intptr_t
mlirAttnDiagnosticCaptureGetNumErrors(MlirAttnDiagnosticCapture capture) {
  return unwrap(capture)->numErrors;
}
