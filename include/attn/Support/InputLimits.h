//===- InputLimits.h - bounds checked before parsing MLIR -------*- C++ -*-===//
//
// MLIR's parser recurses once per nested region, attribute, type and
// parenthesis, so a hand-written or generated file nested a few thousand
// levels deep overflows the stack of any tool that parses it (about 4000
// nested regions or 8000 nested brackets crash a Release build; far fewer
// under AddressSanitizer). Every attn tool that parses MLIR text (attn-opt,
// attn-compile, attn-run, the C API and so Python) checks the nesting first
// and reports a clean error instead (docs/robustness.md).
//
// Header-only so that each tool and library can use it without a new link
// dependency.
//
//===----------------------------------------------------------------------===//

#ifndef ATTN_SUPPORT_INPUTLIMITS_H
#define ATTN_SUPPORT_INPUTLIMITS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

#include <cstddef>

namespace mlir::attn {

/// Deepest nesting of (), [], {} and <> accepted in MLIR text. Real models
/// stay below 50; 512 is far from where the parser runs out of stack, also
/// in sanitizer builds.
constexpr unsigned kMaxMLIRNesting = 512;

/// The offset at which `text` first nests deeper than `limit`, or
/// StringRef::npos. A lexer-level scan: strings (with escapes) and `//`
/// comments are skipped, `->` and `>=` are not closers. It need not agree
/// with the parser on invalid text; it only has to count every level the
/// parser would recurse into.
inline size_t findExcessiveNesting(llvm::StringRef text,
                                   unsigned limit = kMaxMLIRNesting) {
  unsigned depth = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    switch (c) {
    case '"':
      // A string literal: skip to its unescaped end.
      for (++i; i < e && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      break;
    case '/':
      if (i + 1 < e && text[i + 1] == '/')
        while (i < e && text[i] != '\n')
          ++i;
      break;
    case '(':
    case '[':
    case '{':
    case '<':
      if (++depth > limit)
        return i;
      break;
    case '>':
      if ((i > 0 && text[i - 1] == '-') || (i + 1 < e && text[i + 1] == '='))
        break; // `->` and `>=` close nothing.
      [[fallthrough]];
    case ')':
    case ']':
    case '}':
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  return llvm::StringRef::npos;
}

/// Emits "the input nests deeper than ..." at the offending line and column
/// of `buffer` (a FileLineColLoc named by the buffer's identifier, so that a
/// SourceMgrDiagnosticHandler shows the line) and fails, when `buffer` nests
/// deeper than `limit`.
inline LogicalResult checkMLIRNesting(const llvm::MemoryBuffer &buffer,
                                      MLIRContext *context,
                                      unsigned limit = kMaxMLIRNesting) {
  llvm::StringRef text = buffer.getBuffer();
  size_t at = findExcessiveNesting(text, limit);
  if (at == llvm::StringRef::npos)
    return success();
  llvm::StringRef before = text.take_front(at);
  unsigned line = before.count('\n') + 1;
  size_t lineStart = before.rfind('\n');
  unsigned column =
      at - (lineStart == llvm::StringRef::npos ? 0 : lineStart + 1) + 1;
  return emitError(FileLineColLoc::get(context, buffer.getBufferIdentifier(),
                                       line, column))
         << "the input nests deeper than " << limit
         << " levels of (), [], {} or <>; MLIR's parser is recursive and "
            "would run out of stack";
}

/// Reads `path` ("-": stdin) into `sourceMgr` and parses it as a module once
/// its nesting is checked: the way every attn tool reads a model. Returns
/// null with `error` set when the file cannot be read; parse and nesting
/// errors go to the context's diagnostic handler (a
/// SourceMgrDiagnosticHandler on `sourceMgr` shows their lines).
inline OwningOpRef<ModuleOp> parseModelFile(llvm::StringRef path,
                                            llvm::SourceMgr &sourceMgr,
                                            MLIRContext &context,
                                            std::string &error) {
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file)
    return nullptr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (failed(checkMLIRNesting(
          *sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID()), &context)))
    return nullptr;
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}

} // namespace mlir::attn

#endif // ATTN_SUPPORT_INPUTLIMITS_H
