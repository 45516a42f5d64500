// File: tools/validate/operator_graphs.h
//
// One-operator graphs shaped like the kernels the reference tables timed, so
// the simulator runs exactly what was measured and nothing around it.
//
// Example:
//   v1::OperatorGraph g = GemmGraph(8192, 4096, 4096, v1::DTYPE_FP16);
//   Execution e = workloads::ExecuteGraph(g, chip, {});
//
// Placement mirrors the measurement: the GEMM's B operand is a weight (it
// lives in HBM, as a PyTorch parameter does); A, C and the inputs and outputs
// of the memory-bound operators are activations, which the memory plan keeps
// in the shared SRAM (GPU L2) when they fit and in HBM otherwise — the same
// rule a 40 MB L2 applies to a benchmark that re-runs one kernel.
#pragma once

#include <cstdint>

#include "dsasim/v1/graph.pb.h"

namespace dsasim::validate {

// C[m,n] = A[m,k] · B[k,n], all in `dtype`.
v1::OperatorGraph GemmGraph(int64_t m, int64_t k, int64_t n, v1::DType dtype);
// Softmax over the last dimension of an [m,n] tensor.
v1::OperatorGraph SoftmaxGraph(int64_t m, int64_t n, v1::DType dtype);
// LayerNorm over the last dimension of an [m,n] tensor, with [n] gamma/beta.
v1::OperatorGraph LayerNormGraph(int64_t m, int64_t n, v1::DType dtype);
// GELU over a 1-D tensor of `elements`.
v1::OperatorGraph GeluGraph(int64_t elements, v1::DType dtype);

}  // namespace dsasim::validate
