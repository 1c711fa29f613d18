//===- ToolOptions.h - command-line options the attn tools share -*- C++ -*-===//

#ifndef ATTN_SUPPORT_TOOLOPTIONS_H
#define ATTN_SUPPORT_TOOLOPTIONS_H

#include "llvm/Support/CommandLine.h"

namespace mlir::attn {

/// libMLIR registers a hidden --threads of its own (unrelated to the code a
/// tool generates); the tools that define --threads drop it first.
inline void releaseMLIRThreadsOption() {
  if (llvm::cl::Option *other =
          llvm::cl::getRegisteredOptions().lookup("threads"))
    other->removeArgument();
}

} // namespace mlir::attn

#endif // ATTN_SUPPORT_TOOLOPTIONS_H
