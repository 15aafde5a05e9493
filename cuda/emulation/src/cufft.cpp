// Emulated cuFFT (GTZAN_CUDA=EMULATE): rank-1 batched transforms on the CPU with kissfft.
//
// Every transform is computed in double precision with kissfft's complex FFT of the full
// length n (real inputs are widened to complex, Hermitian inputs are completed to all n
// coefficients), so one code path serves every type and every n, odd or prime included.
// Single-precision types (R2C, C2R, C2C) are widened to double on load and rounded to float on
// store: the emulation is then more accurate than a GPU, whose float cuFFT computes in float and
// rounds differently, so tests comparing float results need float tolerances, not equality.
//
// Memory: each plan reserves a work area of emulated device memory (the size of the batch's
// complex data) so that the emulator's memory cap reaches cuFFT as CUFFT_ALLOC_FAILED, as it
// does on a GPU when the work area does not fit. Exec checks that the whole extent its layout
// touches lies inside device memory: a host pointer or a short buffer is CUFFT_INVALID_VALUE
// with a line on stderr, where a GPU would fault or silently read past the end.
// Standard and kissfft headers come before <cufft.h>: the emulated cuda_runtime.h defines
// CUDA's keyword macros (__noinline__, __shared__, ...), which must not reach library headers.
#include <kissfft/kissfft.hh>

#include <complex>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include <cufft.h>

#include "gtzan_emu/memory.hpp"

namespace {

using Complex = std::complex<double>;
using Fft = kissfft<double>;

enum class Kind { RealToComplex, ComplexToReal, ComplexToComplex };

Kind kind_of(cufftType type) {
  switch (type) {
    case CUFFT_R2C:
    case CUFFT_D2Z: return Kind::RealToComplex;
    case CUFFT_C2R:
    case CUFFT_Z2D: return Kind::ComplexToReal;
    default: return Kind::ComplexToComplex;
  }
}

bool is_known_type(int type) {
  return type == CUFFT_R2C || type == CUFFT_C2R || type == CUFFT_C2C || type == CUFFT_D2Z ||
         type == CUFFT_Z2D || type == CUFFT_Z2Z;
}

bool is_double(cufftType type) { return type == CUFFT_D2Z || type == CUFFT_Z2D || type == CUFFT_Z2Z; }

const char* type_name(cufftType type) {
  switch (type) {
    case CUFFT_R2C: return "CUFFT_R2C";
    case CUFFT_C2R: return "CUFFT_C2R";
    case CUFFT_C2C: return "CUFFT_C2C";
    case CUFFT_D2Z: return "CUFFT_D2Z";
    case CUFFT_Z2D: return "CUFFT_Z2D";
    case CUFFT_Z2Z: return "CUFFT_Z2Z";
  }
  return "an unknown type";
}

void report(const std::string& what) {
  std::fprintf(stderr, "emulated cuFFT: %s\n", what.c_str());
  std::fflush(stderr);
}

// Where the elements of one side (input or output) of a batched rank-1 transform live, in
// elements of that side's type: element x of transform b is at b * dist + x * stride.
struct Side {
  long long length;  // elements per transform: n reals, n/2+1 Hermitian coefficients, or n
  long long stride;
  long long dist;
  long long extent(long long batch) const { return (batch - 1) * dist + (length - 1) * stride + 1; }
};

struct Plan {
  cufftType type;
  long long n;
  long long batch;
  bool basic_layout;  // inembed or onembed was NULL: the advanced parameters are ignored
  long long istride, idist, ostride, odist;
  cudaStream_t stream = nullptr;
  void* work_area = nullptr;
  std::size_t work_bytes = 0;
  Fft forward, inverse;
  // kissfft keeps scratch space for odd radices inside the object, and a cuFFT plan is not
  // re-entrant either (one work area): executions of one plan take turns.
  std::mutex exec_mutex;

  Plan(cufftType t, long long n_, long long batch_)
      : type(t), n(n_), batch(batch_), forward(static_cast<std::size_t>(n_), false),
        inverse(static_cast<std::size_t>(n_), true) {}
  ~Plan() {
    if (work_area) gtzan_emu::release(work_area, gtzan_emu::MemKind::Device);
  }

  long long complex_length() const { return kind_of(type) == Kind::ComplexToComplex ? n : n / 2 + 1; }

  // cuFFT's basic layout is packed, except that an in-place real transform pads each real
  // signal to 2 * (n/2 + 1) values so that the complex result fits over it.
  Side input_side(bool in_place) const {
    const Kind kind = kind_of(type);
    const long long length = kind == Kind::RealToComplex ? n : complex_length();
    if (!basic_layout) return {length, istride, idist};
    if (kind == Kind::RealToComplex && in_place) return {length, 1, 2 * (n / 2 + 1)};
    return {length, 1, length};
  }
  Side output_side(bool in_place) const {
    const Kind kind = kind_of(type);
    const long long length = kind == Kind::ComplexToReal ? n : complex_length();
    if (!basic_layout) return {length, ostride, odist};
    if (kind == Kind::ComplexToReal && in_place) return {length, 1, 2 * (n / 2 + 1)};
    return {length, 1, length};
  }
};

struct PlanTable {
  std::mutex mutex;
  std::map<cufftHandle, std::shared_ptr<Plan>> plans;
  cufftHandle next_handle = 1;
};

PlanTable& plan_table() {
  static PlanTable table;
  return table;
}

std::shared_ptr<Plan> find_plan(cufftHandle handle) {
  PlanTable& table = plan_table();
  std::lock_guard lock(table.mutex);
  const auto it = table.plans.find(handle);
  return it == table.plans.end() ? nullptr : it->second;
}

// ---- element conversions: every type is widened to std::complex<double> and back ----
template <typename T>
Complex load(const T& v) {
  if constexpr (std::is_floating_point_v<T>)
    return {static_cast<double>(v), 0.0};
  else
    return {static_cast<double>(v.x), static_cast<double>(v.y)};
}

template <typename T>
void store(const Complex& z, T& out) {
  if constexpr (std::is_floating_point_v<T>) {
    out = static_cast<T>(z.real());
  } else {
    using Scalar = decltype(out.x);
    out.x = static_cast<Scalar>(z.real());
    out.y = static_cast<Scalar>(z.imag());
  }
}

template <typename T>
void poison(T& v) {
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  store(Complex(nan, nan), v);
}

bool ranges_overlap(const void* a, std::size_t a_bytes, const void* b, std::size_t b_bytes) {
  const auto a0 = reinterpret_cast<std::uintptr_t>(a), b0 = reinterpret_cast<std::uintptr_t>(b);
  return a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

template <typename T>
bool check_device_extent(const char* call, const char* name, const T* p, long long elements) {
  const std::size_t bytes = static_cast<std::size_t>(elements) * sizeof(T);
  if (p && gtzan_emu::is_device(p, bytes)) return true;
  char where[64];
  std::snprintf(where, sizeof where, "%p", static_cast<const void*>(p));
  report(std::string(call) + ": " + name + " = " + where + " does not hold the " +
         std::to_string(bytes) + " bytes of device memory the plan's layout reads or writes " +
         "(a host pointer, or a buffer too small for the batch)");
  return false;
}

// One batched execution. `direction` is CUFFT_FORWARD or CUFFT_INVERSE (fixed by the type for
// real transforms).
template <typename In, typename Out>
cufftResult execute(const char* call, cufftHandle handle, cufftType expected, In* idata, Out* odata,
                    int direction) {
  const std::shared_ptr<Plan> plan = find_plan(handle);
  if (!plan) {
    report(std::string(call) + ": plan " + std::to_string(handle) + " is not a live plan");
    return CUFFT_INVALID_PLAN;
  }
  if (plan->type != expected) {
    report(std::string(call) + ": plan " + std::to_string(handle) + " was made for " +
           type_name(plan->type) + ", not " + type_name(expected));
    return CUFFT_INVALID_PLAN;
  }
  if (direction != CUFFT_FORWARD && direction != CUFFT_INVERSE) {
    report(std::string(call) + ": direction " + std::to_string(direction) +
           " is neither CUFFT_FORWARD nor CUFFT_INVERSE");
    return CUFFT_INVALID_VALUE;
  }
  std::lock_guard exec_lock(plan->exec_mutex);
  const bool in_place = static_cast<void*>(idata) == static_cast<void*>(odata);
  const Side in = plan->input_side(in_place), out = plan->output_side(in_place);
  const long long batch = plan->batch, n = plan->n;
  const long long in_extent = in.extent(batch), out_extent = out.extent(batch);
  if (!check_device_extent(call, "idata", idata, in_extent) ||
      !check_device_extent(call, "odata", odata, out_extent))
    return CUFFT_INVALID_VALUE;

  const Kind kind = kind_of(plan->type);
  const Fft& fft = direction == CUFFT_FORWARD ? plan->forward : plan->inverse;
  // Signal b of the input, widened and completed to all n coefficients.
  auto gather = [&](long long b, Complex* dst) {
    const In* src = idata + b * in.dist;
    for (long long x = 0; x < in.length; ++x) dst[x] = load(src[x * in.stride]);
    if (kind == Kind::ComplexToReal) {
      // Hermitian symmetry X[n-k] = conj(X[k]) gives the coefficients cuFFT does not store.
      // Taking the real part of the inverse below then ignores the imaginary parts of the DC
      // and (even n) Nyquist terms, which a real signal's spectrum cannot have.
      for (long long k = in.length; k < n; ++k) dst[k] = std::conj(dst[n - k]);
    }
  };
  auto scatter = [&](long long b, const Complex* spectrum) {
    Out* dst = odata + b * out.dist;
    for (long long x = 0; x < out.length; ++x) store(spectrum[x], dst[x * out.stride]);
  };

  std::vector<Complex> signal(static_cast<std::size_t>(n)), result(static_cast<std::size_t>(n));
  const bool overlapping = ranges_overlap(idata, static_cast<std::size_t>(in_extent) * sizeof(In),
                                          odata, static_cast<std::size_t>(out_extent) * sizeof(Out));
  if (overlapping) {
    // In place (or partly overlapping): read every input before the first output lands on it.
    std::vector<Complex> all(static_cast<std::size_t>(batch * n));
    for (long long b = 0; b < batch; ++b) gather(b, all.data() + b * n);
    for (long long b = 0; b < batch; ++b) {
      fft.transform(all.data() + b * n, result.data());
      scatter(b, result.data());
    }
  } else {
    for (long long b = 0; b < batch; ++b) {
      gather(b, signal.data());
      fft.transform(signal.data(), result.data());
      scatter(b, result.data());
    }
  }
  if (kind == Kind::ComplexToReal && !overlapping) {
    // cuFFT documents that a complex-to-real transform does not preserve its input; clobber it
    // so that code which reads it afterwards fails here rather than only on some GPUs.
    for (long long b = 0; b < batch; ++b)
      for (long long x = 0; x < in.length; ++x) poison(idata[b * in.dist + x * in.stride]);
  }
  return CUFFT_SUCCESS;
}

}  // namespace

cufftResult cufftPlanMany(cufftHandle* plan, int rank, int* n, int* inembed, int istride, int idist,
                          int* onembed, int ostride, int odist, cufftType type, int batch) {
  if (!plan) return CUFFT_INVALID_VALUE;
  if (!is_known_type(type)) return CUFFT_INVALID_TYPE;
  if (rank < 1 || rank > 3) return CUFFT_INVALID_SIZE;
  if (!n) return CUFFT_INVALID_VALUE;
  for (int d = 0; d < rank; ++d)
    if (n[d] < 1) return CUFFT_INVALID_SIZE;
  if (batch < 1) return CUFFT_INVALID_SIZE;
  if (rank > 1) {
    report("cufftPlanMany: rank " + std::to_string(rank) + " transforms are not emulated (rank 1 only)");
    return CUFFT_NOT_IMPLEMENTED;
  }
  // The documentation: inembed or onembed NULL selects the basic layout and the other advanced
  // parameters are ignored. For rank 1, inembed[0]/onembed[0] (the outermost storage size) are
  // ignored too: idist/odist carry that information.
  const bool basic_layout = inembed == nullptr || onembed == nullptr;
  if (!basic_layout && (istride < 1 || ostride < 1 || idist < 0 || odist < 0)) {
    report("cufftPlanMany: strides must be >= 1 and distances >= 0 (istride " + std::to_string(istride) +
           ", idist " + std::to_string(idist) + ", ostride " + std::to_string(ostride) + ", odist " +
           std::to_string(odist) + ")");
    return CUFFT_INVALID_VALUE;
  }

  auto made = std::make_shared<Plan>(type, n[0], batch);
  made->basic_layout = basic_layout;
  made->istride = istride;
  made->idist = idist;
  made->ostride = ostride;
  made->odist = odist;
  // A work area of the batch's complex data, as large as what cuFFT typically asks for.
  const std::size_t complex_bytes = is_double(type) ? sizeof(cufftDoubleComplex) : sizeof(cufftComplex);
  made->work_bytes = static_cast<std::size_t>(made->batch * made->complex_length()) * complex_bytes;
  made->work_area = gtzan_emu::allocate(made->work_bytes, gtzan_emu::MemKind::Device);
  if (!made->work_area) return CUFFT_ALLOC_FAILED;

  PlanTable& table = plan_table();
  std::lock_guard lock(table.mutex);
  const cufftHandle handle = table.next_handle++;
  table.plans.emplace(handle, std::move(made));
  *plan = handle;
  return CUFFT_SUCCESS;
}

cufftResult cufftPlan1d(cufftHandle* plan, int nx, cufftType type, int batch) {
  int n[1] = {nx};
  return cufftPlanMany(plan, 1, n, nullptr, 1, nx, nullptr, 1, nx, type, batch);
}

cufftResult cufftGetSize(cufftHandle handle, std::size_t* workSize) {
  const std::shared_ptr<Plan> plan = find_plan(handle);
  if (!plan) return CUFFT_INVALID_PLAN;
  if (!workSize) return CUFFT_INVALID_VALUE;
  *workSize = plan->work_bytes;
  return CUFFT_SUCCESS;
}

cufftResult cufftExecC2C(cufftHandle plan, cufftComplex* idata, cufftComplex* odata, int direction) {
  return execute("cufftExecC2C", plan, CUFFT_C2C, idata, odata, direction);
}
cufftResult cufftExecR2C(cufftHandle plan, cufftReal* idata, cufftComplex* odata) {
  return execute("cufftExecR2C", plan, CUFFT_R2C, idata, odata, CUFFT_FORWARD);
}
cufftResult cufftExecC2R(cufftHandle plan, cufftComplex* idata, cufftReal* odata) {
  return execute("cufftExecC2R", plan, CUFFT_C2R, idata, odata, CUFFT_INVERSE);
}
cufftResult cufftExecZ2Z(cufftHandle plan, cufftDoubleComplex* idata, cufftDoubleComplex* odata,
                         int direction) {
  return execute("cufftExecZ2Z", plan, CUFFT_Z2Z, idata, odata, direction);
}
cufftResult cufftExecD2Z(cufftHandle plan, cufftDoubleReal* idata, cufftDoubleComplex* odata) {
  return execute("cufftExecD2Z", plan, CUFFT_D2Z, idata, odata, CUFFT_FORWARD);
}
cufftResult cufftExecZ2D(cufftHandle plan, cufftDoubleComplex* idata, cufftDoubleReal* odata) {
  return execute("cufftExecZ2D", plan, CUFFT_Z2D, idata, odata, CUFFT_INVERSE);
}

cufftResult cufftSetStream(cufftHandle handle, cudaStream_t stream) {
  // Emulated streams run their work synchronously, in call order, so the plan only records it.
  const std::shared_ptr<Plan> plan = find_plan(handle);
  if (!plan) return CUFFT_INVALID_PLAN;
  std::lock_guard exec_lock(plan->exec_mutex);
  plan->stream = stream;
  return CUFFT_SUCCESS;
}

cufftResult cufftDestroy(cufftHandle handle) {
  if (handle == CUFFT_PLAN_NULL) return CUFFT_SUCCESS;
  std::shared_ptr<Plan> plan;
  {
    PlanTable& table = plan_table();
    std::lock_guard lock(table.mutex);
    const auto it = table.plans.find(handle);
    if (it == table.plans.end()) return CUFFT_INVALID_PLAN;
    plan = std::move(it->second);
    table.plans.erase(it);
  }
  // The work area goes back when the last user (an exec still running on another host thread)
  // lets go of the plan.
  return CUFFT_SUCCESS;
}

cufftResult cufftGetVersion(int* version) {
  if (!version) return CUFFT_INVALID_VALUE;
  *version = CUFFT_VERSION;
  return CUFFT_SUCCESS;
}
