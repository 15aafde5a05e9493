// The emulated cuFFT (cuda/emulation/src/cufft.cpp) against the cuFFT documentation: every
// result is compared with a plain O(n^2) DFT written from the definition in long double,
//   forward X[k] = sum_j x[j] exp(-2 pi i j k / n),  inverse y[j] = sum_k X[k] exp(+2 pi i j k / n),
// unscaled in both directions, with the layouts the documentation gives for batches and for
// cufftPlanMany's advanced parameters.
//
// Tolerances (why they are what they are): every coefficient of a DFT is a sum of n terms whose
// magnitudes are the inputs', so sum_j |x[j]| bounds it. A correct FFT in precision u errs by
// O(u log2 n) relative to that bound. The checks allow 1e-12 of it for double transforms
// (u = 1.1e-16, log2 2048 = 11: a correct result is ~1000x inside) and 1e-6 for float ones
// (u = 6e-8, which a GPU's float cuFFT also meets); an indexing, sign or scaling mistake is
// O(1) of the bound and fails by many orders of magnitude.
#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstring>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include <cuda_runtime.h>
#include <cufft.h>

#include "emu_test_util.hpp"
#include "gtzan_emu/memory.hpp"

namespace {

using gtzan::emu_test::DeviceArray;

using Exact = std::complex<long double>;


std::vector<double> random_reals(std::size_t count, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<double> v(count);
  for (double& x : v) x = uniform(rng);
  return v;
}

// The DFT by its definition; sign -1 is cuFFT's forward direction, +1 its inverse.
std::vector<Exact> dft(const std::vector<Exact>& x, int sign) {
  const std::size_t n = x.size();
  const long double pi = std::acos(-1.0L);
  std::vector<Exact> twiddle(n);  // exp(sign 2 pi i m / n); j k is reduced mod n exactly
  for (std::size_t m = 0; m < n; ++m)
    twiddle[m] = std::polar(1.0L, sign * 2.0L * pi * static_cast<long double>(m) / static_cast<long double>(n));
  std::vector<Exact> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    Exact sum = 0;
    for (std::size_t j = 0; j < n; ++j) sum += x[j] * twiddle[(j * k) % n];
    out[k] = sum;
  }
  return out;
}

long double l1_norm(const std::vector<Exact>& x) {
  long double s = 0;
  for (const Exact& v : x) s += std::abs(v);
  return s;
}

std::vector<Exact> signal_of(const std::vector<double>& reals, std::size_t offset, std::size_t n) {
  std::vector<Exact> x(n);
  for (std::size_t j = 0; j < n; ++j) x[j] = reals[offset + j];
  return x;
}

template <typename C>
void check_close(const C& got, const Exact& want, long double tolerance) {
  CHECK(std::abs(static_cast<long double>(got.x) - want.real()) <= tolerance);
  CHECK(std::abs(static_cast<long double>(got.y) - want.imag()) <= tolerance);
}

// A random Hermitian half-spectrum of a real n-point signal: bins 0..n/2, with the DC term
// (and the Nyquist term for even n) real, as a real signal's spectrum has them.
std::vector<cufftDoubleComplex> random_half_spectrum(int n, unsigned seed) {
  const int bins = n / 2 + 1;
  const std::vector<double> v = random_reals(2 * bins, seed);
  std::vector<cufftDoubleComplex> half(bins);
  for (int k = 0; k < bins; ++k) half[k] = make_cuDoubleComplex(v[2 * k], v[2 * k + 1]);
  half[0].y = 0;
  if (n % 2 == 0) half[bins - 1].y = 0;
  return half;
}

std::vector<Exact> complete_hermitian(const std::vector<cufftDoubleComplex>& half, int n) {
  std::vector<Exact> full(n);
  for (int k = 0; k < n; ++k) {
    const cufftDoubleComplex& z = half[k <= n / 2 ? k : n - k];
    full[k] = k <= n / 2 ? Exact(z.x, z.y) : Exact(z.x, -z.y);
  }
  return full;
}

// D2Z of `batch` packed signals of length n, planned as gtzan's stft_f64 plans it.
std::vector<cufftDoubleComplex> d2z_packed(const std::vector<double>& reals, int n, int batch) {
  const int bins = n / 2 + 1;
  DeviceArray<double> in(reals);
  DeviceArray<cufftDoubleComplex> out(static_cast<std::size_t>(batch) * bins);
  cufftHandle plan;
  int dims[1] = {n};
  REQUIRE(cufftPlanMany(&plan, 1, dims, nullptr, 1, n, nullptr, 1, bins, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  REQUIRE(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_SUCCESS);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  return out.download();
}

void check_d2z_against_dft(int n, int batch) {
  const int bins = n / 2 + 1;
  const std::vector<double> reals = random_reals(static_cast<std::size_t>(n) * batch, 1000u + n);
  const std::vector<cufftDoubleComplex> got = d2z_packed(reals, n, batch);
  for (int b = 0; b < batch; ++b) {
    const std::vector<Exact> x = signal_of(reals, static_cast<std::size_t>(b) * n, n);
    const std::vector<Exact> want = dft(x, -1);
    const long double tolerance = 1e-12L * l1_norm(x);
    for (int k = 0; k < bins; ++k) check_close(got[static_cast<std::size_t>(b) * bins + k], want[k], tolerance);
  }
}

}  // namespace

TEST_CASE("emulated cuFFT: D2Z of a batch of 2048-point frames matches the DFT", "[emulation][cufft]") {
  check_d2z_against_dft(2048, 3);
}

TEST_CASE("emulated cuFFT: D2Z of odd, prime and tiny lengths matches the DFT", "[emulation][cufft]") {
  for (int n : {1, 2, 3, 15, 211, 999}) {
    INFO("n = " << n);
    check_d2z_against_dft(n, 2);
  }
}

TEST_CASE("emulated cuFFT: cufftPlan1d is the packed batched layout", "[emulation][cufft]") {
  const int n = 12, batch = 4, bins = n / 2 + 1;
  const std::vector<double> reals = random_reals(n * batch, 7);
  DeviceArray<double> in(reals);
  DeviceArray<cufftDoubleComplex> out(batch * bins);
  cufftHandle plan;
  REQUIRE(cufftPlan1d(&plan, n, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  REQUIRE(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_SUCCESS);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  const auto got = out.download();
  const auto want = d2z_packed(reals, n, batch);
  for (int i = 0; i < batch * bins; ++i) {
    CHECK(got[i].x == want[i].x);
    CHECK(got[i].y == want[i].y);
  }
}

TEST_CASE("emulated cuFFT: Z2D is the unscaled inverse, Z2D(D2Z(x)) = n x", "[emulation][cufft]") {
  for (int n : {2048, 999}) {
    INFO("n = " << n);
    const int batch = 2, bins = n / 2 + 1;
    const std::vector<double> reals = random_reals(static_cast<std::size_t>(n) * batch, 55);
    DeviceArray<cufftDoubleComplex> spectra(d2z_packed(reals, n, batch));
    DeviceArray<double> back(static_cast<std::size_t>(n) * batch);
    cufftHandle plan;
    int dims[1] = {n};
    REQUIRE(cufftPlanMany(&plan, 1, dims, nullptr, 1, bins, nullptr, 1, n, CUFFT_Z2D, batch) == CUFFT_SUCCESS);
    REQUIRE(cufftExecZ2D(plan, spectra.data(), back.data()) == CUFFT_SUCCESS);
    REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
    const std::vector<double> got = back.download();
    for (int b = 0; b < batch; ++b) {
      // Each output is a sum over the n coefficients, whose magnitudes are at most ||x||_1.
      const long double tolerance = 1e-12L * n * l1_norm(signal_of(reals, static_cast<std::size_t>(b) * n, n));
      for (int j = 0; j < n; ++j) {
        const std::size_t i = static_cast<std::size_t>(b) * n + j;
        CHECK(std::abs(got[i] - static_cast<long double>(n) * reals[i]) <= tolerance);
      }
    }
  }
}

TEST_CASE("emulated cuFFT: Z2D of a Hermitian half-spectrum matches the inverse DFT, input not preserved",
          "[emulation][cufft]") {
  for (int n : {16, 17}) {
    INFO("n = " << n);
    const int bins = n / 2 + 1;
    const std::vector<cufftDoubleComplex> half = random_half_spectrum(n, 99u + n);
    const std::vector<Exact> full = complete_hermitian(half, n);
    const std::vector<Exact> want = dft(full, +1);
    DeviceArray<cufftDoubleComplex> in(half);
    DeviceArray<double> out(n);
    cufftHandle plan;
    REQUIRE(cufftPlan1d(&plan, n, CUFFT_Z2D, 1) == CUFFT_SUCCESS);
    REQUIRE(cufftExecZ2D(plan, in.data(), out.data()) == CUFFT_SUCCESS);
    REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
    const std::vector<double> got = out.download();
    const long double tolerance = 1e-12L * l1_norm(full);
    for (int j = 0; j < n; ++j) {
      CHECK(std::abs(want[j].imag()) <= tolerance);  // the reference itself is real
      CHECK(std::abs(got[j] - want[j].real()) <= tolerance);
    }
    // cuFFT documents that complex-to-real transforms overwrite their input; the emulation
    // does so with NaN, so code that reuses the spectrum fails in CI.
    const std::vector<cufftDoubleComplex> after = in.download();
    for (int k = 0; k < bins; ++k) CHECK(std::isnan(after[k].x));
  }
}

TEST_CASE("emulated cuFFT: advanced layout with strides and distances matches the packed result",
          "[emulation][cufft]") {
  const int n = 16, batch = 3, bins = n / 2 + 1;
  const std::vector<double> packed = random_reals(n * batch, 4242);
  // Input interleaved across the batch: element x of signal b at b * 1 + x * batch.
  std::vector<double> interleaved(n * batch);
  for (int b = 0; b < batch; ++b)
    for (int x = 0; x < n; ++x) interleaved[b + x * batch] = packed[b * n + x];
  // Output: every second element, signals 2 * bins + 3 apart; the gaps must stay untouched.
  const int ostride = 2, odist = 2 * bins + 3;
  const double sentinel = 12345.0;
  std::vector<cufftDoubleComplex> out_host((batch - 1) * odist + (bins - 1) * ostride + 1,
                                           make_cuDoubleComplex(sentinel, sentinel));
  DeviceArray<double> in(interleaved);
  DeviceArray<cufftDoubleComplex> out(out_host);
  cufftHandle plan;
  int dims[1] = {n}, inembed[1] = {n}, onembed[1] = {bins * ostride};
  REQUIRE(cufftPlanMany(&plan, 1, dims, inembed, batch, 1, onembed, ostride, odist, CUFFT_D2Z, batch) ==
          CUFFT_SUCCESS);
  REQUIRE(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_SUCCESS);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  const auto got = out.download();
  const auto want = d2z_packed(packed, n, batch);
  std::vector<bool> written(got.size(), false);
  for (int b = 0; b < batch; ++b)
    for (int k = 0; k < bins; ++k) {
      const std::size_t i = static_cast<std::size_t>(b) * odist + static_cast<std::size_t>(k) * ostride;
      written[i] = true;
      CHECK(got[i].x == want[b * bins + k].x);
      CHECK(got[i].y == want[b * bins + k].y);
    }
  for (std::size_t i = 0; i < got.size(); ++i)
    if (!written[i]) CHECK(got[i].x == sentinel);
}

TEST_CASE("emulated cuFFT: NULL inembed/onembed selects the packed layout, strides ignored",
          "[emulation][cufft]") {
  const int n = 10, batch = 3, bins = n / 2 + 1;
  const std::vector<double> reals = random_reals(n * batch, 31);
  DeviceArray<double> in(reals);
  DeviceArray<cufftDoubleComplex> out(batch * bins);
  cufftHandle plan;
  int dims[1] = {n};
  // Nonsense strides and distances: the documentation says they are ignored here.
  REQUIRE(cufftPlanMany(&plan, 1, dims, nullptr, 7, 1000, nullptr, 5, 3, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  REQUIRE(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_SUCCESS);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  const auto got = out.download();
  const auto want = d2z_packed(reals, n, batch);
  for (int i = 0; i < batch * bins; ++i) CHECK(got[i].x == want[i].x);
}

TEST_CASE("emulated cuFFT: in-place D2Z uses the padded real layout", "[emulation][cufft]") {
  const int n = 8, batch = 2, bins = n / 2 + 1, padded = 2 * bins;
  const std::vector<double> packed = random_reals(n * batch, 8);
  std::vector<double> host(padded * batch, 0.0);
  for (int b = 0; b < batch; ++b)
    for (int x = 0; x < n; ++x) host[b * padded + x] = packed[b * n + x];
  DeviceArray<double> buffer(host);
  cufftHandle plan;
  REQUIRE(cufftPlan1d(&plan, n, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  REQUIRE(cufftExecD2Z(plan, buffer.data(), reinterpret_cast<cufftDoubleComplex*>(buffer.data())) ==
          CUFFT_SUCCESS);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  const std::vector<double> raw = buffer.download();
  const auto want = d2z_packed(packed, n, batch);
  for (int i = 0; i < batch * bins; ++i) {
    CHECK(raw[2 * i] == want[i].x);
    CHECK(raw[2 * i + 1] == want[i].y);
  }
}

TEST_CASE("emulated cuFFT: float R2C and C2R, C2C and Z2Z in both directions match the DFT",
          "[emulation][cufft]") {
  const int n = 30, bins = n / 2 + 1;
  const std::vector<double> v = random_reals(2 * n, 77);
  std::vector<Exact> x(n);
  std::vector<float> reals(n);
  std::vector<cufftComplex> cf(n);
  std::vector<cufftDoubleComplex> cd(n);
  for (int j = 0; j < n; ++j) {
    reals[j] = static_cast<float>(v[j]);
    cf[j] = make_cuComplex(static_cast<float>(v[j]), static_cast<float>(v[n + j]));
  }
  // A separate pass: GCC 12.2 at -O2 miscompiles the double -> float -> double chain when it
  // sits in one loop body (its SLP vectorizer stores the unrounded doubles).
  for (int j = 0; j < n; ++j) {
    cd[j] = make_cuDoubleComplex(cf[j].x, cf[j].y);  // the same values as cf, exactly
    x[j] = Exact(cf[j].x, cf[j].y);
  }
  const long double float_tolerance = 1e-6L * l1_norm(x), double_tolerance = 1e-12L * l1_norm(x);
  cufftHandle plan;

  SECTION("R2C") {
    std::vector<Exact> xr(n);
    for (int j = 0; j < n; ++j) xr[j] = reals[j];
    const auto want = dft(xr, -1);
    DeviceArray<float> in(reals);
    DeviceArray<cufftComplex> out(bins);
    REQUIRE(cufftPlan1d(&plan, n, CUFFT_R2C, 1) == CUFFT_SUCCESS);
    REQUIRE(cufftExecR2C(plan, in.data(), out.data()) == CUFFT_SUCCESS);
    REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
    const auto got = out.download();
    for (int k = 0; k < bins; ++k) check_close(got[k], want[k], float_tolerance);
  }
  SECTION("C2R") {
    std::vector<cufftComplex> half(bins);
    const auto half_d = random_half_spectrum(n, 5);
    for (int k = 0; k < bins; ++k) half[k] = cuComplexDoubleToFloat(half_d[k]);
    std::vector<cufftDoubleComplex> exact_half(bins);
    for (int k = 0; k < bins; ++k) exact_half[k] = cuComplexFloatToDouble(half[k]);
    const auto full = complete_hermitian(exact_half, n);
    const auto want = dft(full, +1);
    DeviceArray<cufftComplex> in(half);
    DeviceArray<float> out(n);
    REQUIRE(cufftPlan1d(&plan, n, CUFFT_C2R, 1) == CUFFT_SUCCESS);
    REQUIRE(cufftExecC2R(plan, in.data(), out.data()) == CUFFT_SUCCESS);
    REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
    const auto got = out.download();
    for (int j = 0; j < n; ++j) CHECK(std::abs(got[j] - want[j].real()) <= 1e-6L * l1_norm(full));
  }
  SECTION("C2C and Z2Z") {
    for (int direction : {CUFFT_FORWARD, CUFFT_INVERSE}) {
      INFO("direction " << direction);
      const auto want = dft(x, direction);
      DeviceArray<cufftComplex> in_f(cf), out_f(n);
      REQUIRE(cufftPlan1d(&plan, n, CUFFT_C2C, 1) == CUFFT_SUCCESS);
      REQUIRE(cufftExecC2C(plan, in_f.data(), out_f.data(), direction) == CUFFT_SUCCESS);
      REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
      const auto got_f = out_f.download();
      DeviceArray<cufftDoubleComplex> in_d(cd), out_d(n);
      REQUIRE(cufftPlan1d(&plan, n, CUFFT_Z2Z, 1) == CUFFT_SUCCESS);
      REQUIRE(cufftExecZ2Z(plan, in_d.data(), out_d.data(), direction) == CUFFT_SUCCESS);
      REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
      const auto got_d = out_d.download();
      for (int k = 0; k < n; ++k) {
        check_close(got_f[k], want[k], float_tolerance);
        check_close(got_d[k], want[k], double_tolerance);
      }
    }
  }
}

TEST_CASE("emulated cuFFT: plan parameters are validated", "[emulation][cufft]") {
  cufftHandle plan = 0;
  int dims[1] = {16}, zero[1] = {0}, embed[1] = {16};
  CHECK(cufftPlan1d(nullptr, 16, CUFFT_D2Z, 1) == CUFFT_INVALID_VALUE);
  CHECK(cufftPlan1d(&plan, 0, CUFFT_D2Z, 1) == CUFFT_INVALID_SIZE);
  CHECK(cufftPlan1d(&plan, 16, CUFFT_D2Z, 0) == CUFFT_INVALID_SIZE);
  CHECK(cufftPlan1d(&plan, 16, static_cast<cufftType>(0x7), 1) == CUFFT_INVALID_TYPE);
  CHECK(cufftPlanMany(&plan, 0, dims, nullptr, 1, 16, nullptr, 1, 9, CUFFT_D2Z, 1) == CUFFT_INVALID_SIZE);
  CHECK(cufftPlanMany(&plan, 4, dims, nullptr, 1, 16, nullptr, 1, 9, CUFFT_D2Z, 1) == CUFFT_INVALID_SIZE);
  CHECK(cufftPlanMany(&plan, 1, zero, nullptr, 1, 16, nullptr, 1, 9, CUFFT_D2Z, 1) == CUFFT_INVALID_SIZE);
  CHECK(cufftPlanMany(&plan, 1, nullptr, nullptr, 1, 16, nullptr, 1, 9, CUFFT_D2Z, 1) == CUFFT_INVALID_VALUE);
  CHECK(cufftPlanMany(&plan, 1, dims, embed, 0, 16, embed, 1, 9, CUFFT_D2Z, 1) == CUFFT_INVALID_VALUE);
  int dims2[2] = {4, 4};
  CHECK(cufftPlanMany(&plan, 2, dims2, nullptr, 1, 16, nullptr, 1, 12, CUFFT_Z2Z, 1) == CUFFT_NOT_IMPLEMENTED);
}

TEST_CASE("emulated cuFFT: an invalid plan handle is CUFFT_INVALID_PLAN", "[emulation][cufft]") {
  DeviceArray<double> in(16);
  DeviceArray<cufftDoubleComplex> out(9);
  const cufftHandle never_made = 987654;
  std::size_t work = 0;
  CHECK(cufftExecD2Z(never_made, in.data(), out.data()) == CUFFT_INVALID_PLAN);
  CHECK(cufftSetStream(never_made, nullptr) == CUFFT_INVALID_PLAN);
  CHECK(cufftGetSize(never_made, &work) == CUFFT_INVALID_PLAN);
  CHECK(cufftDestroy(never_made) == CUFFT_INVALID_PLAN);

  cufftHandle plan;
  REQUIRE(cufftPlan1d(&plan, 16, CUFFT_D2Z, 1) == CUFFT_SUCCESS);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  CHECK(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_INVALID_PLAN);  // used after destroy
  CHECK(cufftDestroy(plan) == CUFFT_INVALID_PLAN);                         // destroyed twice
  CHECK(cufftDestroy(CUFFT_PLAN_NULL) == CUFFT_SUCCESS);

  // A plan of another type: the emulation refuses it as an invalid plan for this call.
  REQUIRE(cufftPlan1d(&plan, 16, CUFFT_R2C, 1) == CUFFT_SUCCESS);
  CHECK(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_INVALID_PLAN);
  CHECK(cufftDestroy(plan) == CUFFT_SUCCESS);
}

TEST_CASE("emulated cuFFT: exec pointers must hold the layout in device memory", "[emulation][cufft]") {
  const int n = 16, batch = 2, bins = n / 2 + 1;
  cufftHandle plan;
  REQUIRE(cufftPlan1d(&plan, n, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  DeviceArray<double> in(n * batch), short_in(n * batch - 1);
  DeviceArray<cufftDoubleComplex> out(bins * batch), short_out(bins * batch - 1);
  std::vector<double> host_in(n * batch, 0.0);
  std::vector<cufftDoubleComplex> host_out(bins * batch);
  CHECK(cufftExecD2Z(plan, host_in.data(), out.data()) == CUFFT_INVALID_VALUE);
  CHECK(cufftExecD2Z(plan, in.data(), host_out.data()) == CUFFT_INVALID_VALUE);
  CHECK(cufftExecD2Z(plan, short_in.data(), out.data()) == CUFFT_INVALID_VALUE);
  CHECK(cufftExecD2Z(plan, in.data(), short_out.data()) == CUFFT_INVALID_VALUE);
  CHECK(cufftExecD2Z(plan, nullptr, out.data()) == CUFFT_INVALID_VALUE);
  CHECK(cufftExecD2Z(plan, in.data(), out.data()) == CUFFT_SUCCESS);
  CHECK(cufftDestroy(plan) == CUFFT_SUCCESS);

  REQUIRE(cufftPlan1d(&plan, n, CUFFT_Z2Z, 1) == CUFFT_SUCCESS);
  DeviceArray<cufftDoubleComplex> z(n);
  CHECK(cufftExecZ2Z(plan, z.data(), z.data(), 0) == CUFFT_INVALID_VALUE);  // no such direction
  CHECK(cufftDestroy(plan) == CUFFT_SUCCESS);
}

TEST_CASE("emulated cuFFT: a plan holds a device work area until destroyed", "[emulation][cufft]") {
  const int n = 2048, batch = 5, bins = n / 2 + 1;
  const std::size_t before = gtzan_emu::device_bytes_in_use();
  cufftHandle plan;
  REQUIRE(cufftPlan1d(&plan, n, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  std::size_t work = 0;
  REQUIRE(cufftGetSize(plan, &work) == CUFFT_SUCCESS);
  CHECK(work >= static_cast<std::size_t>(batch) * bins * sizeof(cufftDoubleComplex));
  CHECK(gtzan_emu::device_bytes_in_use() >= before + work);
  REQUIRE(cufftDestroy(plan) == CUFFT_SUCCESS);
  CHECK(gtzan_emu::device_bytes_in_use() == before);
}

TEST_CASE("emulated cuFFT: plans can be made and run from several host threads", "[emulation][cufft]") {
  const int n = 256, batch = 4, bins = n / 2 + 1, threads = 8, rounds = 10;
  const std::vector<double> reals = random_reals(n * batch, 2024);
  const auto want = d2z_packed(reals, n, batch);
  DeviceArray<double> in(reals);
  cufftHandle shared_plan;
  REQUIRE(cufftPlan1d(&shared_plan, n, CUFFT_D2Z, batch) == CUFFT_SUCCESS);
  std::vector<int> mismatches(threads, 0), failures(threads, 0);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      cufftDoubleComplex* out = nullptr;
      if (cudaMalloc(reinterpret_cast<void**>(&out), sizeof(cufftDoubleComplex) * bins * batch) != cudaSuccess) {
        ++failures[t];
        return;
      }
      std::vector<cufftDoubleComplex> got(bins * batch);
      for (int r = 0; r < rounds; ++r) {
        cufftHandle own;
        // Alternate between a plan of this thread's own and one shared by all threads.
        const bool use_own = r % 2 == 0;
        if (use_own && cufftPlan1d(&own, n, CUFFT_D2Z, batch) != CUFFT_SUCCESS) ++failures[t];
        const cufftHandle plan = use_own ? own : shared_plan;
        if (cufftExecD2Z(plan, in.data(), out) != CUFFT_SUCCESS) ++failures[t];
        if (use_own && cufftDestroy(own) != CUFFT_SUCCESS) ++failures[t];
        cudaMemcpy(got.data(), out, sizeof(cufftDoubleComplex) * got.size(), cudaMemcpyDeviceToHost);
        for (int i = 0; i < bins * batch; ++i)
          if (got[i].x != want[i].x || got[i].y != want[i].y) ++mismatches[t];
      }
      cudaFree(out);
    });
  for (std::thread& th : pool) th.join();
  REQUIRE(cufftDestroy(shared_plan) == CUFFT_SUCCESS);
  for (int t = 0; t < threads; ++t) {
    CHECK(failures[t] == 0);
    CHECK(mismatches[t] == 0);
  }
}
