// convert-attn-to-linalg rejects a key block size that is not positive.
//
// RUN: attn-opt %s --convert-attn-to-linalg=attend-block-size=0 \
// RUN:   -verify-diagnostics

// expected-error @below {{convert-attn-to-linalg: 'attend-block-size' must be positive but is 0}}
module {
}
