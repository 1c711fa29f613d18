/*===- RuntimeErrors.h - errors raised inside the compiled code -*- C -*-===*\
|*                                                                            *|
|* A failed check or allocation inside the compiled code returns from         *|
|* attn_model_forward with a status instead of aborting (ModelGlue.c).        *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef ATTN_LIB_RUNTIME_MODELGLUE_RUNTIMEERRORS_H
#define ATTN_LIB_RUNTIME_MODELGLUE_RUNTIMEERRORS_H

#include <stdint.h>

/* The longest message of a run-time error, with its NUL. */
#define ATTN_RUNTIME_ERROR_BYTES 1024

/* Returns to the innermost attn_model_forward on this thread with `status`
   and `message`; aborts where there is none (an OpenMP worker thread of a
   multi-threaded model: nowhere to return to). */
__attribute__((noreturn, visibility("hidden"))) void
attn_raise_runtime_error(int32_t status, const char *message);

#endif /* ATTN_LIB_RUNTIME_MODELGLUE_RUNTIMEERRORS_H */
