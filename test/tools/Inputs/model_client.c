/* A C client of a compiled model, built against the model.h that
   attn-compile writes and linked with the model library: exercises every
   entry point of the ABI and every error it reports (model-abi.test). */

#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(const char *what, int32_t status, const char *err) {
  printf("%s: %s: %s\n", what, attn_model_status_string(status), err);
}

/* Sets every parameter to small deterministic values. */
static int set_all(attn_model *m) {
  char err[256];
  for (int32_t i = 0; i < attn_model_num_params(); ++i) {
    attn_param_info info;
    attn_model_param_info(i, &info);
    float *data = malloc(sizeof(float) * (size_t)(info.num_elements + 1));
    for (int64_t k = 0; k < info.num_elements; ++k)
      data[k] = 0.01f * (float)((k * 7 + i) % 13) - 0.05f;
    int32_t s = attn_model_set_param(m, info.name, data, info.shape, info.rank,
                                     err, sizeof(err));
    free(data);
    if (s != ATTN_OK) {
      report("set_param", s, err);
      return 1;
    }
  }
  return 0;
}

int main(void) {
  char err[256];
  printf("abi version %d (header %d)\n", attn_model_abi_version(),
         ATTN_MODEL_ABI_VERSION);
  printf("manifest starts with %.1s\n", attn_model_manifest());

  attn_tensor_info in, out;
  attn_model_input_info(&in);
  attn_model_output_info(&out);
  printf("input %s rank %d dims %lld %lld %lld\n", in.name, in.rank,
         (long long)in.shape[0], (long long)in.shape[1], (long long)in.shape[2]);
  printf("output %s rank %d\n", out.name, out.rank);
  printf("params %d\n", attn_model_num_params());
  attn_param_info info;
  report("param_info(-1)", attn_model_param_info(-1, &info), "");
  report("param_info(n)", attn_model_param_info(attn_model_num_params(), &info), "");
  report("param_info(0, NULL)", attn_model_param_info(0, NULL), "");

  report("create(NULL)", attn_model_create(NULL, err, sizeof(err)), err);
  attn_model *m = NULL;
  int32_t s = attn_model_create(&m, err, sizeof(err));
  report("create", s, err);

  int64_t x_shape[3] = {1, 5, in.shape[2]};
  float x[1 * 5 * 8];
  for (int i = 0; i < 40; ++i)
    x[i] = (float)((i * 5) % 11) / 11.0f - 0.5f;
  float y[40];
  int64_t y_shape[3];

  s = attn_model_forward(m, x, x_shape, 3, y, 40, y_shape, err, sizeof(err));
  report("forward before set_param", s, err);

  int64_t wq_shape[2] = {8, 8};
  float zeros[64] = {0};
  report("set_param(NULL model)",
         attn_model_set_param(NULL, "layers.0.attn.wq", zeros, wq_shape, 2, err,
                              sizeof(err)), err);
  report("set_param(unknown)",
         attn_model_set_param(m, "layers.9.attn.wq", zeros, wq_shape, 2, err,
                              sizeof(err)), err);
  int64_t bad_shape[2] = {8, 4};
  report("set_param(bad shape)",
         attn_model_set_param(m, "layers.0.attn.wq", zeros, bad_shape, 2, err,
                              sizeof(err)), err);
  report("set_param(bad rank)",
         attn_model_set_param(m, "layers.0.attn.wq", zeros, wq_shape, 1, err,
                              sizeof(err)), err);
  report("set_param(NULL data)",
         attn_model_set_param(m, "layers.0.attn.wq", NULL, wq_shape, 2, err,
                              sizeof(err)), err);
  if (set_all(m))
    return 1;

  report("forward(NULL model)",
         attn_model_forward(NULL, x, x_shape, 3, y, 40, y_shape, err, sizeof(err)), err);
  report("forward(rank 2)",
         attn_model_forward(m, x, x_shape, 2, y, 40, y_shape, err, sizeof(err)), err);
  int64_t wide[3] = {1, 5, 16};
  report("forward(D=16)",
         attn_model_forward(m, x, wide, 3, y, 40, y_shape, err, sizeof(err)), err);
  int64_t batch2[3] = {2, 5, 8};
  report("forward(B=2)",
         attn_model_forward(m, x, batch2, 3, y, 40, y_shape, err, sizeof(err)), err);
  int64_t empty[3] = {1, 0, 8};
  report("forward(T=0)",
         attn_model_forward(m, x, empty, 3, y, 40, y_shape, err, sizeof(err)), err);
  report("forward(NULL x)",
         attn_model_forward(m, NULL, x_shape, 3, y, 40, y_shape, err, sizeof(err)), err);
  report("forward(NULL y_shape)",
         attn_model_forward(m, x, x_shape, 3, y, 40, NULL, err, sizeof(err)), err);
  y_shape[0] = y_shape[1] = y_shape[2] = 0;
  s = attn_model_forward(m, x, x_shape, 3, y, 39, y_shape, err, sizeof(err));
  report("forward(capacity 39)", s, err);
  printf("needed shape %lld %lld %lld\n", (long long)y_shape[0],
         (long long)y_shape[1], (long long)y_shape[2]);

  /* A one-byte error buffer is truncated, not overrun; NULL is fine. */
  char tiny[1] = {'x'};
  s = attn_model_forward(m, x, x_shape, 2, y, 40, y_shape, tiny, sizeof(tiny));
  printf("tiny buffer: %s, '%s'\n", attn_model_status_string(s), tiny);
  s = attn_model_forward(m, x, x_shape, 2, y, 40, y_shape, NULL, 0);
  printf("no buffer: %s\n", attn_model_status_string(s));

  s = attn_model_forward(m, x, x_shape, 3, y, 40, y_shape, err, sizeof(err));
  report("forward", s, err);
  int finite = 1;
  for (int i = 0; i < 40; ++i)
    finite &= isfinite(y[i]) != 0;
  printf("y shape %lld %lld %lld, finite %d\n", (long long)y_shape[0],
         (long long)y_shape[1], (long long)y_shape[2], finite);

  /* A second model is independent; the same inputs give the same outputs. */
  attn_model *m2 = NULL;
  attn_model_create(&m2, err, sizeof(err));
  if (set_all(m2))
    return 1;
  float y2[40];
  attn_model_forward(m2, x, x_shape, 3, y2, 40, y_shape, err, sizeof(err));
  printf("second model equal: %d\n", memcmp(y, y2, sizeof(y)) == 0);
  attn_model_destroy(m2);
  attn_model_destroy(m);
  attn_model_destroy(NULL);
  printf("done\n");
  return 0;
}
