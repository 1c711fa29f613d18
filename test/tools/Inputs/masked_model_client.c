/* A C client of a compiled model with run-time masks (attn-model
   --mask=both --batch=2 --d-model=8, dynamic T): introspection of its three
   inputs, attn_model_run with good and bad inputs, and attn_model_forward,
   which such a model refuses (masked-model-abi.test). */

#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B 2
#define T 5
#define D 8

static void report(const char *what, int32_t status, const char *err) {
  printf("%s: %s: %s\n", what, attn_model_status_string(status), err);
}

static int set_all(attn_model *m) {
  char err[256];
  for (int32_t i = 0; i < attn_model_num_params(); ++i) {
    attn_param_info info;
    attn_model_param_info(i, &info);
    float *data = malloc(sizeof(float) * (size_t)(info.num_elements + 1));
    for (int64_t k = 0; k < info.num_elements; ++k)
      data[k] = 0.05f * (float)((k * 7 + i) % 13) - 0.3f;
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
  int32_t n = attn_model_num_inputs();
  printf("inputs %d\n", n);
  for (int32_t i = 0; i < n; ++i) {
    attn_tensor_info info;
    attn_model_input_info_at(i, &info);
    printf("input %d: %s %s rank %d mask '%s' dims", i, info.name, info.dtype,
           info.rank, info.mask);
    for (int32_t k = 0; k < info.rank; ++k)
      printf(" %lld(%s)", (long long)info.shape[k],
             info.dims ? info.dims[k] : "?");
    printf("\n");
  }
  attn_tensor_info info;
  report("input_info_at(3)", attn_model_input_info_at(n, &info), "");
  report("input_info_at(-1)", attn_model_input_info_at(-1, &info), "");
  report("input_info_at(0, NULL)", attn_model_input_info_at(0, NULL), "");

  attn_model *m = NULL;
  attn_model_create(&m, err, sizeof(err));
  if (set_all(m))
    return 1;

  float x[B * T * D], mask[T * T], pad[B * T], y[B * T * D], y2[B * T * D];
  for (int i = 0; i < B * T * D; ++i)
    x[i] = (float)((i * 5) % 11) / 11.0f - 0.5f;
  for (int i = 0; i < T; ++i)
    for (int j = 0; j < T; ++j)
      mask[i * T + j] = j <= i ? 0.0f : -INFINITY; /* causal */
  for (int b = 0; b < B; ++b)
    for (int j = 0; j < T; ++j)
      pad[b * T + j] = j < T - b ? 0.0f : -INFINITY; /* row 1: last padded */
  int64_t x_shape[3] = {B, T, D}, mask_shape[2] = {T, T}, pad_shape[2] = {B, T};
  int64_t y_shape[3];
  const float *inputs[3] = {x, mask, pad};
  const int64_t *shapes[3] = {x_shape, mask_shape, pad_shape};
  int32_t ranks[3] = {3, 2, 2};

  int32_t s = attn_model_run(m, inputs, shapes, ranks, 3, y, B * T * D, y_shape,
                             err, sizeof(err));
  report("run", s, err);
  int finite = 1;
  for (int i = 0; i < B * T * D; ++i)
    finite &= isfinite(y[i]) != 0;
  printf("y shape %lld %lld %lld, finite %d\n", (long long)y_shape[0],
         (long long)y_shape[1], (long long)y_shape[2], finite);

  /* The masks matter: without them (all zeros) the output differs. */
  float zero_mask[T * T] = {0}, zero_pad[B * T] = {0};
  const float *unmasked[3] = {x, zero_mask, zero_pad};
  s = attn_model_run(m, unmasked, shapes, ranks, 3, y2, B * T * D, y_shape, err,
                     sizeof(err));
  report("run(zero masks)", s, err);
  printf("masks change y: %d\n", memcmp(y, y2, sizeof(y)) != 0);
  /* Query 0 sees key 0 only under the causal mask: its row does not depend
     on x at later positions. */
  float x_changed[B * T * D];
  memcpy(x_changed, x, sizeof(x));
  for (int k = 0; k < D; ++k)
    x_changed[(T - 1) * D + k] += 1.0f;
  const float *changed[3] = {x_changed, mask, pad};
  attn_model_run(m, changed, shapes, ranks, 3, y2, B * T * D, y_shape, err,
                 sizeof(err));
  printf("causal: row 0 unchanged %d, row %d changed %d\n",
         memcmp(y, y2, sizeof(float) * D) == 0, T - 1,
         memcmp(y + (T - 1) * D, y2 + (T - 1) * D, sizeof(float) * D) != 0);

  /* Errors. */
  report("run(2 inputs)", attn_model_run(m, inputs, shapes, ranks, 2, y,
                                         B * T * D, y_shape, err, sizeof(err)),
         err);
  report("run(NULL inputs)", attn_model_run(m, NULL, shapes, ranks, 3, y,
                                            B * T * D, y_shape, err,
                                            sizeof(err)),
         err);
  const float *null_mask[3] = {x, NULL, pad};
  report("run(NULL mask)", attn_model_run(m, null_mask, shapes, ranks, 3, y,
                                          B * T * D, y_shape, err, sizeof(err)),
         err);
  int64_t mask_t4[2] = {4, 4};
  const int64_t *t4[3] = {x_shape, mask_t4, pad_shape};
  report("run(mask T=4)", attn_model_run(m, inputs, t4, ranks, 3, y, B * T * D,
                                         y_shape, err, sizeof(err)),
         err);
  int64_t mask_rect[2] = {T, 4};
  const int64_t *rect[3] = {x_shape, mask_rect, pad_shape};
  report("run(mask 5x4)", attn_model_run(m, inputs, rect, ranks, 3, y,
                                         B * T * D, y_shape, err, sizeof(err)),
         err);
  int64_t pad_b1[2] = {1, T};
  const int64_t *b1[3] = {x_shape, mask_shape, pad_b1};
  report("run(padding B=1)", attn_model_run(m, inputs, b1, ranks, 3, y,
                                            B * T * D, y_shape, err,
                                            sizeof(err)),
         err);
  int32_t bad_ranks[3] = {3, 3, 2};
  int64_t mask3[3] = {1, T, T};
  const int64_t *rank3[3] = {x_shape, mask3, pad_shape};
  report("run(mask rank 3)", attn_model_run(m, inputs, rank3, bad_ranks, 3, y,
                                            B * T * D, y_shape, err,
                                            sizeof(err)),
         err);
  report("forward", attn_model_forward(m, x, x_shape, 3, y, B * T * D, y_shape,
                                       err, sizeof(err)),
         err);
  attn_model_destroy(m);
  printf("done\n");
  return 0;
}
