//===- JSONLimits.cpp - bounds on untrusted JSON --------------------------===//

#include "attn/Runtime/JSONLimits.h"

bool attn::rt::jsonNestingWithin(llvm::StringRef json, unsigned limit) {
  unsigned depth = 0;
  bool inString = false;
  for (size_t i = 0, e = json.size(); i < e; ++i) {
    char c = json[i];
    if (inString) {
      if (c == '\\')
        ++i; // The escaped character cannot end the string.
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit)
        return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}
