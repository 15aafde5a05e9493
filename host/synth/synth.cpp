// The built-in synthetic GTZAN. Every track is rendered from a self-contained PRNG
// (splitmix64-seeded xoshiro256**) so it is bit-identical for (genre, index, seed) with the
// same binary; no std:: distributions (their output is implementation-defined).
//
// Building blocks: band-limited wavetable oscillators (harmonic spectra built by integer
// indexing into one sine table, so cheap), Karplus-Strong plucked strings, pre-rendered drum
// sounds per track, hard-clip distortion, a small Schroeder reverb. Each genre composes from
// them with its own tempo range, grid (straight 16ths or triplet swing), drum patterns, chord
// progressions, bass lines and timbres; pop borrows disco's chords and kit, rock and metal
// share distorted guitars, blues and jazz share swing and 7th chords.
#include "synth/synth.hpp"

#include "core/rng.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "audio/audio_io.hpp"
#include "audio/dataset.hpp"

namespace gtzan::synth {
namespace {

constexpr double kSR = 22050.0;
constexpr double kPi = 3.14159265358979323846;
constexpr int kTable = 2048;  // wavetable length (power of two)

// ---------------------------------------------------------------- random numbers
using gtzan::splitmix64;

// The project's xoshiro256** with the helpers the instruments use.
class Rng : public Xoshiro256 {
 public:
  explicit Rng(uint64_t seed) : Xoshiro256(seed) {}
  double range(double a, double b) { return a + (b - a) * uniform(); }
  int irange(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(uniform() * (hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  double noise() { return 2.0 * uniform() - 1.0; }                            // [-1, 1)
  double gauss() { return (uniform() + uniform() + uniform() - 1.5) * 2.0; }  // ~N(0, 1)
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(irange(0, static_cast<int>(v.size()) - 1))];
  }
};

uint64_t track_seed(uint64_t seed, int genre, int index) {
  uint64_t x = seed ^ 0x6A09E667F3BCC909ull;
  uint64_t h = splitmix64(x);
  x = h ^ (static_cast<uint64_t>(genre) * 0xD1B54A32D192ED03ull);
  h = splitmix64(x);
  x = h ^ (static_cast<uint64_t>(index) * 0x8CB92BA72F3D8DD7ull);
  return splitmix64(x);
}

double midi_hz(double m) { return 440.0 * std::pow(2.0, (m - 69.0) / 12.0); }

const std::vector<float>& sine_table() {
  static const std::vector<float> t = [] {
    std::vector<float> v(kTable + 1);
    for (int i = 0; i <= kTable; ++i) v[i] = static_cast<float>(std::sin(2.0 * kPi * i / kTable));
    return v;
  }();
  return t;
}

// sin(2 pi x) from the table, linearly interpolated (x in cycles, any sign).
inline double sin_cycles(double x) {
  const float* sn = sine_table().data();
  x -= std::floor(x);
  const double p = x * kTable;
  const int k = static_cast<int>(p);
  return sn[k] + (p - k) * (sn[k + 1] - sn[k]);
}

// ---------------------------------------------------------------- music theory
using Notes = std::vector<int>;
namespace Q {
const Notes maj{0, 4, 7}, min{0, 3, 7}, dom7{0, 4, 7, 10}, maj7{0, 4, 7, 11}, min7{0, 3, 7, 10},
    pow5{0, 7, 12}, dom9{0, 4, 10, 14}, min9{0, 3, 10, 14}, m7b5{0, 3, 6, 10}, sus4{0, 5, 7};
}
struct Chord {
  int root;  // semitones above the key
  Notes q;
};
using Prog = std::vector<Chord>;
const Notes kMajor{0, 2, 4, 5, 7, 9, 11}, kMinor{0, 2, 3, 5, 7, 8, 10},
    kBlues{0, 3, 5, 6, 7, 10}, kPentMaj{0, 2, 4, 7, 9}, kDorian{0, 2, 3, 5, 7, 9, 10},
    kMixo{0, 2, 4, 5, 7, 9, 10};

// Chord tones voiced into [center - 6, center + 6).
Notes voice(int key_midi, const Chord& c, int center) {
  Notes out;
  for (int iv : c.q) {
    int m = key_midi + c.root + iv;
    while (m < center - 6) m += 12;
    while (m >= center + 6) m -= 12;
    out.push_back(m);
  }
  std::sort(out.begin(), out.end());
  return out;
}
int octave_into(int m, int center) {  // the same pitch class within [center - 6, center + 6)
  while (m < center - 6) m += 12;
  while (m >= center + 6) m -= 12;
  return m;
}
int nearest_in_scale(int m, int key_midi, const Notes& scale) {
  for (int d = 0; d < 12; ++d)
    for (int s : {m - d, m + d}) {
      const int pc = ((s - key_midi) % 12 + 12) % 12;
      if (std::find(scale.begin(), scale.end(), pc) != scale.end()) return s;
    }
  return m;
}

// Moves `m` (snapped into the scale) by `degrees` scale steps.
int scale_step(int m, int key_midi, const Notes& scale, int degrees) {
  m = nearest_in_scale(m, key_midi, scale);
  const int dir = degrees > 0 ? 1 : -1;
  for (int d = 0; d != degrees; d += dir) {
    do m += dir;
    while (std::find(scale.begin(), scale.end(), ((m - key_midi) % 12 + 12) % 12) == scale.end());
  }
  return m;
}

// ---------------------------------------------------------------- sounds
struct ToneSpec {
  int bright = 0, dark = -1;  // harmonic spectra (indices); dark < 0: no crossfade
  double attack = 0.005, decay = 0.3, sustain = 0.7, release = 0.08;
  double bright_tau = 0.3;    // seconds for the bright -> dark crossfade
  double vib_depth = 0.0;     // relative frequency deviation
  double vib_rate = 5.5;
  double detune_cents = 0.0;  // > 0: a second, detuned oscillator (ensemble)
};

struct Kit {
  std::vector<float> kick, snare, hat, ohat, ride, crash, rim, brush, clap;
};

struct Pattern {  // one bar, one char per grid step: 'x' full, 'o' soft, '.' nothing
  std::string kick, snare, hat, ohat, ride, crash, rim, brush, clap;
};

using Buf = std::vector<float>;

void one_pole_lp(Buf& b, double cutoff_hz) {
  const float a = static_cast<float>(1.0 - std::exp(-2.0 * kPi * cutoff_hz / kSR));
  float y = 0;
  for (float& v : b) v = (y += a * (v - y));
}
void one_pole_hp(Buf& b, double cutoff_hz) {
  const float a = static_cast<float>(1.0 - std::exp(-2.0 * kPi * cutoff_hz / kSR));
  float y = 0;
  for (float& v : b) {
    y += a * (v - y);
    v -= y;
  }
}

class Track {
 public:
  Track(int genre, uint64_t seed, std::size_t n) : rng(seed), genre_(genre), n_(n) {
    for (Buf* b : {&drums, &bass, &harm, &guit, &lead}) b->assign(n, 0.0f);
  }

  Rng rng;
  Buf drums, bass, harm, guit, lead;
  Kit kit;

  // Timing.
  double bpm = 120, t0 = 0, humanize = 0.004, swing16 = 0;
  int steps = 16;  // per bar: 16 (straight 16ths) or 12 (triplet eighths)
  double beat() const { return 60.0 / bpm; }
  double bar_dur() const { return 4.0 * beat(); }
  int bars() const { return static_cast<int>((n_ / kSR - t0) / bar_dur()) + 2; }
  double step_time(int bar, double step) const {
    const double dt = bar_dur() / steps;
    double t = t0 + bar * bar_dur() + step * dt;
    if (steps == 16 && static_cast<int>(step) % 2 == 1) t += swing16 * dt * 0.5;
    return t;
  }
  double jit() { return humanize * rng.gauss(); }

  // Harmony.
  int key = 48;  // key root (MIDI) in the octave 48..59
  Prog prog;
  int bars_per_chord = 1, chords_per_bar = 1;
  const Chord& chord_at(int bar, int step = 0) const {
    std::size_t idx;
    if (chords_per_bar > 1)
      idx = static_cast<std::size_t>(bar * chords_per_bar + step * chords_per_bar / steps);
    else
      idx = static_cast<std::size_t>(bar / bars_per_chord);
    return prog[idx % prog.size()];
  }

  // Harmonic spectra (amplitude of harmonic k = 1..64) and their wavetables per band limit.
  int add_spec(const std::vector<double>& amps) {
    specs_.push_back(amps);
    return static_cast<int>(specs_.size()) - 1;
  }
  template <class F>
  int spec(F f) {
    std::vector<double> a(64);
    for (int k = 1; k <= 64; ++k) a[k - 1] = f(k);
    return add_spec(a);
  }

  void tone(Buf& b, double t, double dur, double midi, double amp, const ToneSpec& ts) {
    const double f0 = midi_hz(midi);
    if (t < 0) {
      dur += t;
      t = 0;
      if (dur <= 0) return;
    }
    const std::size_t s0 = static_cast<std::size_t>(t * kSR);
    if (s0 >= n_) return;
    const int nh = band_limit(f0);
    const float* tb = table(ts.bright, nh);
    const float* td = ts.dark >= 0 ? table(ts.dark, nh) : nullptr;
    const std::size_t len = std::min<std::size_t>(
        n_ - s0, static_cast<std::size_t>((dur + 7.0 * ts.release) * kSR) + 1);
    // Envelope, bright/dark crossfade and vibrato are evaluated at block edges (closed form)
    // and interpolated linearly inside a block: the per-sample loop is a table lookup.
    constexpr std::size_t kBlock = 32;
    const double A = std::max(1.0, ts.attack * kSR), D = dur * kSR;
    const double inv_d = 1.0 / (ts.decay * kSR), inv_r = 1.0 / (ts.release * kSR);
    const double inv_m = td ? 1.0 / (ts.bright_tau * kSR) : 0.0;
    auto env = [&](double i) {
      double e = i < A ? i / A : ts.sustain + (1.0 - ts.sustain) * std::exp(-(i - A) * inv_d);
      if (i > D) e *= std::exp(-(i - D) * inv_r);
      return e;
    };
    const int nosc = ts.detune_cents > 0 ? 2 : 1;
    const float* sn = sine_table().data();
    constexpr int kFracBits = 32 - 11;  // 32-bit phase: 11 bits of table index (2048)
    static_assert((1 << 11) == kTable);
    constexpr float kFracScale = 1.0f / static_cast<float>(1u << kFracBits);
    for (int o = 0; o < nosc; ++o) {
      const double det = o == 0 ? 1.0 : std::pow(2.0, ts.detune_cents / 1200.0);
      const double inc = f0 * det / kSR * 4294967296.0;
      const double lfo_inc = ts.vib_rate * (1.0 + 0.1 * o) / kSR;
      uint32_t ph = static_cast<uint32_t>(rng.next() >> 32);
      double lfo = rng.uniform();
      const double g = amp / nosc;
      double e0 = 0.0, m0 = 1.0;
      float* out = b.data() + s0;
      for (std::size_t i0 = 0; i0 < len; i0 += kBlock) {
        const std::size_t i1 = std::min(len, i0 + kBlock);
        const double e1 = env(static_cast<double>(i1));
        const double m1 = td ? std::exp(-static_cast<double>(i1) * inv_m) : 1.0;
        double step = inc;
        if (ts.vib_depth > 0) {
          step *= 1.0 + ts.vib_depth * sn[static_cast<int>(lfo * kTable)];
          lfo += lfo_inc * static_cast<double>(i1 - i0);
          lfo -= std::floor(lfo);
        }
        const uint32_t st = static_cast<uint32_t>(step);
        const float inv_n = 1.0f / static_cast<float>(i1 - i0);
        float e = static_cast<float>(e0 * g);
        const float de = static_cast<float>((e1 - e0) * g) * inv_n;
        if (td) {
          float m = static_cast<float>(m0);
          const float dm = static_cast<float>(m1 - m0) * inv_n;
          for (std::size_t i = i0; i < i1; ++i, ph += st) {
            const uint32_t k = ph >> kFracBits;
            const float fr = static_cast<float>(ph & ((1u << kFracBits) - 1)) * kFracScale;
            const float v = tb[k] + fr * (tb[k + 1] - tb[k]);
            const float w = td[k] + fr * (td[k + 1] - td[k]);
            out[i] += e * (w + m * (v - w));
            e += de;
            m += dm;
          }
        } else {
          for (std::size_t i = i0; i < i1; ++i, ph += st) {
            const uint32_t k = ph >> kFracBits;
            const float fr = static_cast<float>(ph & ((1u << kFracBits) - 1)) * kFracScale;
            out[i] += e * (tb[k] + fr * (tb[k + 1] - tb[k]));
            e += de;
          }
        }
        e0 = e1;
        m0 = m1;
        if (static_cast<double>(i1) > D && e1 < 1e-3 * ts.sustain + 1e-5) break;
      }
    }
  }

  // Karplus-Strong plucked string; `bright` in (0, 1] shapes the excitation, t60 the ring.
  void pluck(Buf& b, double t, double dur, double midi, double amp, double t60, double bright) {
    if (t < 0) return;
    dur = std::max(dur, 0.01);
    const std::size_t s0 = static_cast<std::size_t>(t * kSR);
    if (s0 >= n_) return;
    const double f0 = midi_hz(midi);
    const int N = std::max(2, static_cast<int>(std::lround(kSR / f0 - 0.5)));
    std::vector<float> d(N);
    double y = 0, mean = 0;
    for (int i = 0; i < N; ++i) {
      y += bright * (rng.noise() - y);
      d[i] = static_cast<float>(y);
      mean += y;
    }
    mean /= N;
    for (float& v : d) v -= static_cast<float>(mean);
    const double g_ring = std::pow(10.0, -3.0 / (t60 * f0));
    const double g_damp = std::pow(10.0, -3.0 / (0.05 * f0));
    const std::size_t len =
        std::min<std::size_t>(n_ - s0, static_cast<std::size_t>((dur + 0.06) * kSR));
    const std::size_t D = static_cast<std::size_t>(dur * kSR);
    float prev = d[N - 1];
    int p = 0;
    for (std::size_t i = 0; i < len; ++i) {
      const float cur = d[p];
      b[s0 + i] += static_cast<float>(amp) * cur;
      const double g = i < D ? g_ring : g_damp;
      d[p] = static_cast<float>(g * 0.5 * (cur + prev));
      prev = cur;
      if (++p == N) p = 0;
    }
  }

  void strum(Buf& b, double t, double dur, const Notes& notes, double amp, double t60,
             double bright, double spread, bool down = true) {
    const std::size_t n = notes.size();
    for (std::size_t i = 0; i < n; ++i) {
      const double off = spread * static_cast<double>(down ? i : n - 1 - i);
      pluck(b, t + off, dur - off, notes[i], amp * rng.range(0.8, 1.0), t60, bright);
    }
  }

  void hit(const Buf& smp, double t, double gain) {
    if (smp.empty() || gain <= 0) return;
    if (t < 0) t = 0;
    const std::size_t s0 = static_cast<std::size_t>(t * kSR);
    if (s0 >= n_) return;
    const std::size_t len = std::min(smp.size(), n_ - s0);
    const float g = static_cast<float>(gain);
    for (std::size_t i = 0; i < len; ++i) drums[s0 + i] += g * smp[i];
  }

  void play(const Pattern& p, int bar, double vel = 1.0) {
    auto lane = [&](const std::string& s, const Buf& smp, double gain) {
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') continue;
        const double v = (s[i] == 'x' ? 1.0 : 0.4) * vel * rng.range(0.85, 1.0);
        hit(smp, step_time(bar, static_cast<double>(i)) + jit() * 0.5, gain * v);
      }
    };
    lane(p.kick, kit.kick, 1.0);
    lane(p.snare, kit.snare, 0.8);
    lane(p.hat, kit.hat, 0.35);
    lane(p.ohat, kit.ohat, 0.35);
    lane(p.ride, kit.ride, 0.35);
    lane(p.crash, kit.crash, 0.45);
    lane(p.rim, kit.rim, 0.5);
    lane(p.brush, kit.brush, 0.5);
    lane(p.clap, kit.clap, 0.7);
  }

  void fill(int bar, double from_step) {  // snare/tom run to the end of the bar
    for (double s = from_step; s < steps; s += 1.0)
      hit(kit.snare, step_time(bar, s) + jit(), 0.55 + 0.3 * (s - from_step) / (steps - from_step));
  }

  // ---- drum sound design (per track)
  Buf make_kick(double f_hi, double f_lo, double sweep, double decay, double click) {
    Buf v(static_cast<std::size_t>(decay * 6 * kSR));
    double ph = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double t = i / kSR;
      const double f = f_lo + (f_hi - f_lo) * std::exp(-t / sweep);
      ph += f / kSR;
      v[i] = static_cast<float>(sin_cycles(ph) * std::exp(-t / decay) +
                                click * rng.noise() * std::exp(-t / 0.003));
    }
    return v;
  }
  Buf make_noise(double decay, double hp, double lp, double len_s, double attack = 0.0005) {
    Buf v(static_cast<std::size_t>(len_s * kSR));
    for (float& x : v) x = static_cast<float>(rng.noise());
    if (hp > 0) {
      one_pole_hp(v, hp);
      one_pole_hp(v, hp);
    }
    if (lp > 0) one_pole_lp(v, lp);
    const double k = std::exp(-1.0 / (decay * kSR));
    double e = 1.0;
    for (std::size_t i = 0; i < v.size(); ++i, e *= k)
      v[i] *= static_cast<float>(std::min(1.0, i / kSR / attack) * e);
    normalize(v, 1.0);
    return v;
  }
  Buf make_snare(double f, double tone_decay, double noise_decay, double hp, double tone_mix) {
    Buf v = make_noise(noise_decay, hp, 9000, noise_decay * 6);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double t = i / kSR;
      v[i] = static_cast<float>((1 - tone_mix) * v[i] +
                                tone_mix * std::exp(-t / tone_decay) *
                                    (sin_cycles(f * t) + 0.5 * sin_cycles(1.47 * f * t)));
    }
    normalize(v, 1.0);
    return v;
  }
  Buf make_metal(double base, double decay, double noise_mix, double len_s) {
    static const double ratios[] = {1.0, 1.342, 1.773, 2.163, 2.751, 3.112, 3.849};
    Buf v = make_noise(decay, 5000, 0, len_s);
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double t = i / kSR;
      double m = 0;
      for (double r : ratios) m += sin_cycles(base * r * t + r);
      v[i] = static_cast<float>(noise_mix * v[i] + (1 - noise_mix) * 0.25 * m * std::exp(-t / decay));
    }
    one_pole_hp(v, 2500);
    normalize(v, 1.0);
    return v;
  }
  void standard_kit(double hardness) {  // 0 = soft/jazzy, 1 = metal
    kit.kick = make_kick(rng.range(100, 160) + 60 * hardness, rng.range(45, 60),
                         rng.range(0.02, 0.05), rng.range(0.08, 0.2), 0.2 + 0.6 * hardness);
    kit.snare = make_snare(rng.range(170, 240), rng.range(0.03, 0.08), rng.range(0.08, 0.2),
                           rng.range(800, 2500), rng.range(0.2, 0.5) * (1 - 0.5 * hardness));
    kit.hat = make_noise(rng.range(0.02, 0.05), rng.range(5000, 7500), 0, 0.25);
    kit.ohat = make_noise(rng.range(0.15, 0.3), rng.range(5000, 7000), 0, 1.2);
    kit.ride = make_metal(rng.range(420, 620), rng.range(0.5, 1.0), rng.range(0.3, 0.6), 2.5);
    kit.crash = make_noise(rng.range(0.6, 1.4), rng.range(3000, 5000), 0, 5.0, 0.004);
    kit.rim = make_metal(rng.range(700, 1100), 0.03, 0.2, 0.2);
    kit.brush = make_noise(rng.range(0.06, 0.15), rng.range(1500, 3000), 6000, 0.8, 0.01);
    kit.clap = make_noise(rng.range(0.08, 0.15), rng.range(900, 1500), 5000, 0.8, 0.002);
  }

  static void normalize(Buf& b, double peak) {
    float m = 0;
    for (float v : b) m = std::max(m, std::abs(v));
    if (m > 0) {
      const float g = static_cast<float>(peak / m);
      for (float& v : b) v *= g;
    }
  }

  std::size_t size() const { return n_; }
  int genre() const { return genre_; }

 private:
  static int band_limit(double f0) {
    static const int levels[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64};
    const int want = static_cast<int>(9500.0 / f0);
    int nh = 1;
    for (int l : levels)
      if (l <= want) nh = l;
    return nh;
  }
  const float* table(int spec, int nh) {
    auto& t = tables_[{spec, nh}];
    if (t.empty()) {
      const float* sn = sine_table().data();
      std::vector<double> acc(kTable, 0.0);
      for (int k = 1; k <= nh; ++k) {
        const double a = specs_[spec][k - 1];
        if (a == 0) continue;
        for (int i = 0; i < kTable; ++i) acc[i] += a * sn[(k * i) & (kTable - 1)];
      }
      double m = 0;
      for (double v : acc) m = std::max(m, std::abs(v));
      t.resize(kTable + 1);
      for (int i = 0; i < kTable; ++i) t[i] = static_cast<float>(m > 0 ? acc[i] / m : 0.0);
      t[kTable] = t[0];
    }
    return t.data();
  }

  int genre_;
  std::size_t n_;
  std::vector<std::vector<double>> specs_;
  std::map<std::pair<int, int>, std::vector<float>> tables_;
};

// ---------------------------------------------------------------- shared spectra
int saw_spec(Track& tr, double tilt) {
  return tr.spec([=](int k) { return (k % 2 ? 1.0 : -1.0) / std::pow(k, tilt); });
}
int square_spec(Track& tr, double tilt) {
  return tr.spec([=](int k) { return k % 2 ? 1.0 / std::pow(k, tilt) : 0.0; });
}
int organ_spec(Track& tr) {
  std::array<double, 8> draw{};
  for (double& d : draw) d = tr.rng.range(0.0, 1.0);
  draw[0] = 1.0;
  static const int harm[] = {1, 2, 3, 4, 6, 8, 10, 12};
  return tr.spec([=](int k) {
    for (int i = 0; i < 8; ++i)
      if (harm[i] == k) return draw[i];
    return 0.0;
  });
}
ToneSpec piano_tone(Track& tr) {
  ToneSpec ts;
  const double tilt = tr.rng.range(0.7, 1.2);
  ts.bright = tr.spec([=](int k) { return 1.0 / std::pow(k, tilt) * (k % 7 == 0 ? 0.2 : 1.0); });
  ts.dark = tr.spec([](int k) { return 1.0 / std::pow(k, 3.0); });
  ts.attack = 0.003;
  ts.decay = tr.rng.range(0.4, 0.9);
  ts.sustain = 0.0;
  ts.release = 0.12;
  ts.bright_tau = tr.rng.range(0.08, 0.2);
  return ts;
}
ToneSpec epiano_tone(Track& tr) {
  ToneSpec ts;
  const double bell = tr.rng.range(0.1, 0.4);
  ts.bright = tr.spec([=](int k) { return k == 1 ? 1.0 : k == 2 ? 0.3 : k == 7 ? bell : 0.0; });
  ts.dark = tr.spec([](int k) { return k == 1 ? 1.0 : k == 2 ? 0.15 : 0.0; });
  ts.attack = 0.004;
  ts.decay = tr.rng.range(0.6, 1.2);
  ts.sustain = 0.15;
  ts.release = 0.15;
  ts.bright_tau = 0.1;
  ts.vib_depth = 0.002;
  ts.vib_rate = 5;
  return ts;
}
ToneSpec strings_tone(Track& tr, double attack) {
  ToneSpec ts;
  const double tilt = tr.rng.range(1.1, 1.6);
  const double formant = tr.rng.range(3, 6);
  ts.bright = tr.spec([=](int k) {
    return (1.0 + 0.8 * std::exp(-std::pow((k - formant) / 2.0, 2))) / std::pow(k, tilt);
  });
  ts.attack = attack;
  ts.decay = 1.0;
  ts.sustain = 0.9;
  ts.release = tr.rng.range(0.25, 0.5);
  ts.vib_depth = tr.rng.range(0.002, 0.005);
  ts.vib_rate = tr.rng.range(4.8, 6.2);
  ts.detune_cents = tr.rng.range(4, 9);
  return ts;
}
ToneSpec bass_tone(Track& tr, double tilt, double decay) {
  ToneSpec ts;
  ts.bright = saw_spec(tr, tilt);
  ts.dark = tr.spec([](int k) { return k == 1 ? 1.0 : k == 2 ? 0.35 : k == 3 ? 0.1 : 0.0; });
  ts.attack = 0.004;
  ts.decay = decay;
  ts.sustain = 0.35;
  ts.release = 0.05;
  ts.bright_tau = tr.rng.range(0.05, 0.15);
  return ts;
}
ToneSpec lead_tone(Track& tr, int spec, double vib) {
  ToneSpec ts;
  ts.bright = spec;
  ts.attack = tr.rng.range(0.01, 0.05);
  ts.decay = 0.4;
  ts.sustain = 0.75;
  ts.release = 0.08;
  ts.vib_depth = vib;
  ts.vib_rate = tr.rng.range(4.5, 6.5);
  return ts;
}

// A melody line: a random walk over `scale`, snapped toward chord tones on strong steps.
void melody(Track& tr, Buf& b, const ToneSpec& ts, const Notes& scale, int center,
            const std::vector<double>& durs_in_steps, double amp, double rest_p,
            int phrase_bars = 2, bool call_response = false, bool pluck = false,
            double pluck_t60 = 1.0, double pluck_bright = 0.8) {
  int note = nearest_in_scale(center, tr.key, scale);
  for (int bar = 0; bar < tr.bars(); ++bar) {
    if (call_response && (bar / phrase_bars) % 2 == 1) continue;
    double step = 0;
    while (step < tr.steps) {
      const double d = tr.rng.pick(durs_in_steps);
      if (!tr.rng.chance(rest_p)) {
        int move = tr.rng.irange(-2, 2);
        if (tr.rng.chance(0.15)) move *= 2;
        note = scale_step(note, tr.key, scale, move);
        if (note > center + 9) note -= 12;
        if (note < center - 9) note += 12;
        if (static_cast<int>(step) % (tr.steps / 2) == 0 && tr.rng.chance(0.6)) {
          const Notes ct = voice(tr.key, tr.chord_at(bar, static_cast<int>(step)), note);
          note = ct[static_cast<std::size_t>(tr.rng.irange(0, static_cast<int>(ct.size()) - 1))];
        }
        const double t = tr.step_time(bar, step) + tr.jit();
        const double dur = d * tr.bar_dur() / tr.steps * 0.92;
        const double a = amp * tr.rng.range(0.75, 1.0);
        if (pluck)
          tr.pluck(b, t, dur, note, a, pluck_t60, pluck_bright);
        else
          tr.tone(b, t, dur, note, a, ts);
      }
      step += d;
    }
  }
}

// Hard-clip distortion with a cabinet-like low-pass; the stem comes out at peak ~1.
void distort(Buf& b, double drive, double cab_hz) {
  Track::normalize(b, 1.0);
  one_pole_hp(b, 90);
  for (float& v : b) v = std::clamp(v * static_cast<float>(drive), -1.0f, 1.0f);
  one_pole_lp(b, cab_hz);
  one_pole_lp(b, cab_hz * 1.5);
  Track::normalize(b, 1.0);
}

void reverb(Buf& b, double wet, double room) {
  if (wet <= 0) return;
  static const int comb_len[] = {558, 594, 638, 678, 713, 755};
  static const int ap_len[] = {278, 220, 170};
  constexpr int kCombs = 6;
  Buf out(b.size(), 0.0f);
  const float fb = static_cast<float>(room), damp = 0.3f;
  // The six combs run side by side (independent feedback chains: instruction-level parallel).
  std::array<std::vector<float>, kCombs> d;
  std::array<float, kCombs> lp{};
  std::array<std::size_t, kCombs> p{};
  for (int c = 0; c < kCombs; ++c) d[c].assign(static_cast<std::size_t>(comb_len[c]), 0.0f);
  for (std::size_t i = 0; i < b.size(); ++i) {
    const float x = b[i] * 0.015f;
    float acc = 0;
    for (int c = 0; c < kCombs; ++c) {
      const float y = d[c][p[c]];
      lp[c] = y + damp * (lp[c] - y);
      d[c][p[c]] = x + fb * lp[c];
      acc += y;
      if (++p[c] == d[c].size()) p[c] = 0;
    }
    out[i] = acc;
  }
  for (int L : ap_len) {
    std::vector<float> d(static_cast<std::size_t>(L), 0.0f);
    std::size_t p = 0;
    for (float& x : out) {
      const float y = d[p];
      d[p] = x + 0.5f * y;
      x = y - 0.5f * d[p];
      if (++p == d.size()) p = 0;
    }
  }
  for (std::size_t i = 0; i < b.size(); ++i) b[i] += static_cast<float>(wet) * out[i] * 4.0f;
}

Prog P(std::initializer_list<Chord> c) { return Prog(c); }

// ---------------------------------------------------------------- the genres
// Mix levels per stem, set by each genre and varied per track.
struct Mix {
  double drums = 1, bass = 0.6, harm = 0.5, guit = 0.5, lead = 0.4;
  double noise = 0.003, reverb = 0.1, room = 0.8, master_lp = 9000;
};

const std::vector<Prog>& pop_progs() {
  static const std::vector<Prog> p = {
      P({{0, Q::maj}, {7, Q::maj}, {9, Q::min}, {5, Q::maj}}),
      P({{9, Q::min}, {5, Q::maj}, {0, Q::maj}, {7, Q::maj}}),
      P({{0, Q::maj}, {9, Q::min}, {5, Q::maj}, {7, Q::maj}}),
      P({{5, Q::maj}, {0, Q::maj}, {7, Q::maj}, {9, Q::min}}),
      P({{0, Q::maj}, {5, Q::maj}, {9, Q::min}, {7, Q::sus4}})};
  return p;
}
const std::vector<Prog>& disco_progs() {
  static const std::vector<Prog> p = {
      P({{0, Q::min7}, {5, Q::min7}}),
      P({{5, Q::maj7}, {4, Q::min7}, {2, Q::min7}, {0, Q::maj7}}),
      P({{2, Q::min7}, {7, Q::dom7}, {0, Q::maj7}, {9, Q::min7}}),
      P({{0, Q::min9}, {10, Q::dom7}, {8, Q::maj7}, {7, Q::dom7}}),
      P({{9, Q::min7}, {2, Q::min7}, {7, Q::dom7}, {0, Q::maj7}})};
  return p;
}

void four_on_floor(Track& tr, bool open_hats) {
  Pattern p;
  p.kick = "x...x...x...x...";
  p.clap = tr.rng.chance(0.5) ? "....x.......x..." : "";
  p.snare = p.clap.empty() ? "....x.......x..." : "";
  p.hat = open_hats ? "x.o.x.o.x.o.x.o." : "x.x.x.x.x.x.x.x.";
  if (open_hats) p.ohat = "..x...x...x...x.";
  for (int bar = 0; bar < tr.bars(); ++bar) {
    Pattern q = p;
    if (bar % 8 == 0) q.crash = "x...............";
    tr.play(q, bar);
    if (bar % 8 == 7 && tr.rng.chance(0.6)) tr.fill(bar, 12);
  }
}

void octave_bass(Track& tr, const ToneSpec& ts, double amp, int center) {
  for (int bar = 0; bar < tr.bars(); ++bar)
    for (int s = 0; s < 16; s += 2) {
      const int root = voice(tr.key, tr.chord_at(bar, s), center)[0];
      const int m = root + ((s / 2) % 2 ? 12 : 0);
      tr.tone(tr.bass, tr.step_time(bar, s), tr.beat() * 0.4, m, amp, ts);
    }
}

void root_eighths(Track& tr, Buf& b, const ToneSpec& ts, double amp, int center, double len) {
  for (int bar = 0; bar < tr.bars(); ++bar)
    for (int s = 0; s < tr.steps; s += tr.steps / 8) {
      const int m = octave_into(tr.key + tr.chord_at(bar, s).root, center);
      tr.tone(b, tr.step_time(bar, s) + tr.jit(), tr.beat() * len, m, amp * tr.rng.range(0.8, 1),
              ts);
    }
}

void compose(Track& tr, Mix& mx) {
  Rng& r = tr.rng;
  tr.key = 48 + r.irange(0, 11);
  switch (tr.genre()) {
    case 0: {  // blues: 12-bar shuffle, dominant 7ths, boogie bass, blues-scale licks
      tr.bpm = r.range(70, 110);
      tr.steps = 12;
      tr.humanize = 0.006;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      const bool quick = r.chance(0.5);
      tr.prog = P({{0, Q::dom7}, {quick ? 5 : 0, Q::dom7}, {0, Q::dom7}, {0, Q::dom7},
                   {5, Q::dom7}, {5, Q::dom7}, {0, Q::dom7}, {0, Q::dom7},
                   {7, Q::dom7}, {5, Q::dom7}, {0, Q::dom7}, {7, Q::dom7}});
      tr.standard_kit(0.2);
      Pattern p;
      p.kick = "x.....x.....";
      p.snare = "...x.....x..";
      (r.chance(0.5) ? p.hat : p.ride) = "x.xx.xx.xx.x";
      for (int bar = 0; bar < tr.bars(); ++bar) {
        Pattern q = p;
        if (bar % 12 == 0) q.crash = "x...........";
        tr.play(q, bar, 0.8);
        if (bar % 12 == 11 && r.chance(0.5)) tr.fill(bar, 9);
      }
      const ToneSpec bt = bass_tone(tr, r.range(1.2, 2.0), 0.25);
      static const int boogie[] = {0, 4, 7, 9, 10, 9, 7, 4};
      static const int pos[] = {0, 2, 3, 5, 6, 8, 9, 11};
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int i = 0; i < 8; ++i) {
          const int root = octave_into(tr.key + tr.chord_at(bar).root, 40);
          tr.tone(tr.bass, tr.step_time(bar, pos[i]) + tr.jit(), tr.beat() * (i % 2 ? 0.3 : 0.6),
                  root + boogie[i], 0.8, bt);
        }
      if (r.chance(0.5)) {  // piano comping on the shuffle
        const ToneSpec pt = piano_tone(tr);
        for (int bar = 0; bar < tr.bars(); ++bar)
          for (int s : {2, 5, 8, 11})
            if (r.chance(0.7))
              for (int m : voice(tr.key, tr.chord_at(bar), 62))
                tr.tone(tr.harm, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.3, m, 0.3, pt);
      } else {  // organ pads
        ToneSpec ot;
        ot.bright = organ_spec(tr);
        ot.attack = 0.02;
        ot.sustain = 1;
        ot.release = 0.1;
        ot.vib_depth = 0.003;
        ot.vib_rate = 6.5;
        for (int bar = 0; bar < tr.bars(); ++bar)
          for (int m : voice(tr.key, tr.chord_at(bar), 62))
            tr.tone(tr.harm, tr.step_time(bar, 0), tr.bar_dur() * 0.97, m, 0.25, ot);
      }
      // Rhythm guitar shuffle (root-fifth / root-sixth), lightly overdriven.
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int i = 0; i < 8; ++i) {
          const int root = octave_into(tr.key + tr.chord_at(bar).root, 50);
          const int top = root + ((i / 2) % 2 ? 9 : 7);
          tr.strum(tr.guit, tr.step_time(bar, pos[i]) + tr.jit(), tr.beat() * 0.3, {root, top}, 0.5,
                   1.0, 0.7, 0.008);
        }
      ToneSpec ht = lead_tone(tr, square_spec(tr, r.range(1.0, 1.6)), 0.01);
      const bool harp = r.chance(0.4);
      melody(tr, tr.lead, ht, kBlues, 67, {1, 2, 3, 3, 6}, 0.5, 0.3, 2, true, !harp, 1.5, 0.9);
      mx = {0.8, 0.7, 0.45, r.range(0.3, 0.5), 0.55, 0.003, 0.12, 0.8, r.range(6000, 9000)};
      break;
    }
    case 1: {  // classical: strings or piano, no drums, slow chord changes, big room
      tr.bpm = r.range(60, 100);
      tr.steps = 16;
      tr.humanize = 0.01;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      const bool minor = r.chance(0.4);
      static const std::vector<Prog> maj = {
          P({{0, Q::maj}, {5, Q::maj}, {7, Q::maj}, {0, Q::maj}}),
          P({{0, Q::maj}, {9, Q::min}, {2, Q::min}, {7, Q::dom7}}),
          P({{0, Q::maj}, {7, Q::maj}, {9, Q::min}, {4, Q::min}, {5, Q::maj}, {0, Q::maj},
             {5, Q::maj}, {7, Q::maj}})};
      static const std::vector<Prog> mnr = {
          P({{0, Q::min}, {5, Q::min}, {7, Q::dom7}, {0, Q::min}}),
          P({{0, Q::min}, {8, Q::maj}, {5, Q::min}, {7, Q::maj}}),
          P({{0, Q::min}, {2, Q::m7b5}, {7, Q::dom7}, {0, Q::min}})};
      tr.prog = r.pick(minor ? mnr : maj);
      tr.bars_per_chord = tr.bpm > 80 ? 2 : 1;
      const Notes& scale = minor ? kMinor : kMajor;
      if (r.chance(0.65)) {  // string ensemble: four sustained voices + a singing top line
        const ToneSpec st = strings_tone(tr, r.range(0.15, 0.4));
        const ToneSpec vc = strings_tone(tr, r.range(0.2, 0.4));
        for (int bar = 0; bar < tr.bars(); bar += tr.bars_per_chord) {
          const Chord& c = tr.chord_at(bar);
          const double t = tr.step_time(bar, 0) + tr.jit(), d = tr.bar_dur() * tr.bars_per_chord;
          tr.tone(tr.bass, t, d, octave_into(tr.key + c.root, 44), 0.5, vc);
          for (int m : voice(tr.key, c, 60)) tr.tone(tr.harm, t + r.range(0, 0.05), d, m, 0.3, st);
        }
        const ToneSpec vt = strings_tone(tr, 0.08);
        melody(tr, tr.lead, vt, scale, 74, {4, 4, 8, 8, 12, 16}, 0.5, 0.1);
      } else {  // piano: Alberti bass + melody
        const ToneSpec pt = piano_tone(tr);
        for (int bar = 0; bar < tr.bars(); ++bar) {
          const Notes v = voice(tr.key, tr.chord_at(bar), 55);
          static const int alberti[] = {0, 2, 1, 2};
          for (int s = 0; s < 16; s += 2)
            tr.tone(tr.harm, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.8,
                    v[static_cast<std::size_t>(alberti[(s / 2) % 4]) % v.size()], 0.3, pt);
        }
        melody(tr, tr.lead, pt, scale, 72, {2, 4, 4, 4, 8}, 0.45, 0.1);
      }
      // Slow dynamics over the track (crescendo/decrescendo).
      const double rate = r.range(0.05, 0.15), phase = r.range(0, 1);
      for (Buf* b : {&tr.bass, &tr.harm, &tr.lead})
        for (std::size_t i = 0; i < b->size(); ++i)
          (*b)[i] *= static_cast<float>(0.7 + 0.3 * sin_cycles(rate * i / kSR + phase));
      mx = {0, 0.6, 0.6, 0, 0.55, 0.002, 0.35, 0.86, r.range(5000, 8000)};
      break;
    }
    case 2: {  // country: boom-chick, twangy Karplus-Strong guitars, train beat
      tr.bpm = r.range(100, 140);
      tr.steps = 16;
      tr.humanize = 0.005;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      static const std::vector<Prog> pr = {P({{0, Q::maj}, {5, Q::maj}, {7, Q::maj}, {0, Q::maj}}),
                                           P({{0, Q::maj}, {7, Q::maj}, {5, Q::maj}, {0, Q::maj}}),
                                           P({{0, Q::maj}, {5, Q::maj}, {0, Q::maj}, {7, Q::dom7}}),
                                           P({{0, Q::maj}, {0, Q::maj}, {5, Q::maj}, {7, Q::maj}})};
      tr.prog = r.pick(pr);
      tr.standard_kit(0.1);
      Pattern p;
      p.kick = "x.......x.......";
      if (r.chance(0.5)) {
        p.brush = "ooooxoooooooxooo";  // train beat
      } else {
        p.rim = "....x.......x...";
        p.hat = "x.x.x.x.x.x.x.x.";
      }
      for (int bar = 0; bar < tr.bars(); ++bar) tr.play(p, bar, 0.8);
      const ToneSpec bt = bass_tone(tr, r.range(1.6, 2.4), 0.3);
      for (int bar = 0; bar < tr.bars(); ++bar) {
        const int root = octave_into(tr.key + tr.chord_at(bar).root, 42);
        tr.tone(tr.bass, tr.step_time(bar, 0) + tr.jit(), tr.beat() * 0.8, root, 0.8, bt);
        tr.tone(tr.bass, tr.step_time(bar, 8) + tr.jit(), tr.beat() * 0.8, root + 7 - 12 * (bar % 2), 0.8, bt);
      }
      const double bright = r.range(0.75, 0.98), t60 = r.range(1.5, 3.0);
      for (int bar = 0; bar < tr.bars(); ++bar) {
        const Notes v = voice(tr.key, tr.chord_at(bar), 59);
        Notes six = v;
        for (int m : v) six.push_back(m + 12);
        std::sort(six.begin(), six.end());
        for (int s : {4, 12})
          tr.strum(tr.harm, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.7, six, 0.35, t60, bright, 0.01);
        if (r.chance(0.5)) tr.strum(tr.harm, tr.step_time(bar, 14) + tr.jit(), tr.beat() * 0.4, six, 0.2, t60, bright, 0.008, false);
      }
      if (r.chance(0.6)) {  // chicken-pickin' lead
        melody(tr, tr.lead, ToneSpec{}, kPentMaj, 69, {1, 2, 2, 4}, 0.55, 0.25, 2, true, true, t60, 1.0);
      } else {  // fiddle
        ToneSpec ft = strings_tone(tr, 0.03);
        ft.vib_depth = 0.006;
        ft.detune_cents = 0;
        melody(tr, tr.lead, ft, kMajor, 72, {2, 2, 4, 4, 8}, 0.4, 0.2, 2, true);
      }
      mx = {0.6, 0.6, 0.6, 0, 0.5, 0.003, 0.1, 0.8, r.range(7000, 10000)};
      break;
    }
    case 3: {  // disco: four on the floor, open hats, octave bass, strings + 7th chords
      tr.bpm = r.range(115, 130);
      tr.steps = 16;
      tr.humanize = 0.002;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      tr.prog = r.chance(0.35) ? r.pick(pop_progs()) : r.pick(disco_progs());
      if (r.chance(0.35)) {  // pop material with sevenths added
        for (Chord& c : tr.prog) {
          if (c.q == Q::maj)
            c.q = Q::maj7;
          else if (c.q == Q::min)
            c.q = Q::min7;
        }
      }
      tr.standard_kit(0.3);
      four_on_floor(tr, true);
      octave_bass(tr, bass_tone(tr, r.range(0.9, 1.4), 0.15), 0.8, 40);
      const ToneSpec st = strings_tone(tr, r.range(0.05, 0.15));
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int m : voice(tr.key, tr.chord_at(bar), 64))
          tr.tone(tr.harm, tr.step_time(bar, 0), tr.bar_dur() * 0.95, m, 0.22, st);
      if (r.chance(0.6)) {  // muted funk guitar 16ths
        for (int bar = 0; bar < tr.bars(); ++bar) {
          const Notes v = voice(tr.key, tr.chord_at(bar), 67);
          for (int s = 0; s < 16; ++s)
            if (s % 4 == 2 || r.chance(0.3))
              tr.strum(tr.guit, tr.step_time(bar, s), 0.05, v, 0.3, 0.5, 0.95, 0.004, s % 2 == 0);
        }
      } else {
        const ToneSpec ep = epiano_tone(tr);
        for (int bar = 0; bar < tr.bars(); ++bar)
          for (int s : {2, 6, 10, 14})
            for (int m : voice(tr.key, tr.chord_at(bar), 62))
              tr.tone(tr.guit, tr.step_time(bar, s), tr.beat() * 0.35, m, 0.25, ep);
      }
      melody(tr, tr.lead, lead_tone(tr, saw_spec(tr, r.range(1.2, 1.8)), 0.004), kDorian, 72,
             {2, 2, 4, 4, 8}, 0.35, 0.3, 4, true);
      mx = {0.9, 0.7, 0.45, 0.45, 0.35, 0.002, 0.12, 0.8, r.range(8000, 10500)};
      break;
    }
    case 4: {  // hiphop: boom-bap or trap-ish 808s, dark minor loop, vinyl crackle
      tr.bpm = r.range(80, 100);
      tr.steps = 16;
      tr.humanize = 0.003;
      tr.swing16 = r.range(0.0, 0.5);
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      static const std::vector<Prog> pr = {P({{0, Q::min7}, {8, Q::maj7}}),
                                           P({{0, Q::min7}, {5, Q::min7}}),
                                           P({{0, Q::min}, {10, Q::maj}, {8, Q::maj}, {10, Q::maj}}),
                                           P({{9, Q::min7}, {2, Q::min7}})};
      tr.prog = r.pick(pr);
      tr.bars_per_chord = r.chance(0.5) ? 2 : 1;
      tr.standard_kit(0.2);
      const int root808 = octave_into(tr.key, 34);  // 28..39: 41..62 Hz
      tr.kit.kick = tr.make_kick(midi_hz(root808) * 3, midi_hz(root808), 0.03, r.range(0.3, 0.6), 0.3);
      static const std::vector<std::string> kicks = {"x......x..x.....", "x..x......x.....",
                                                     "x.....x...x..x..", "x.x.......x..x.."};
      Pattern p;
      p.kick = r.pick(kicks);
      (r.chance(0.5) ? p.snare : p.clap) = "....x.......x...";
      p.hat = r.chance(0.5) ? "xoxoxoxoxoxoxoxo" : "x.x.x.x.x.x.x.x.";
      for (int bar = 0; bar < tr.bars(); ++bar) {
        Pattern q = p;
        if (bar % 4 == 3 && r.chance(0.5)) q.kick = r.pick(kicks);
        tr.play(q, bar, 0.9);
        if (bar % 2 == 1 && r.chance(0.3))  // hat roll
          for (int i = 0; i < 6; ++i) tr.hit(tr.kit.hat, tr.step_time(bar, 12) + i * tr.beat() / 6, 0.2);
      }
      const ToneSpec ep = r.chance(0.5) ? epiano_tone(tr) : piano_tone(tr);
      for (int bar = 0; bar < tr.bars(); bar += tr.bars_per_chord)
        for (int m : voice(tr.key, tr.chord_at(bar), 60))
          tr.tone(tr.harm, tr.step_time(bar, 0) + tr.jit(), tr.bar_dur() * tr.bars_per_chord * 0.9, m, 0.3, ep);
      // A repeating two-bar motif (loop-based).
      ToneSpec bell = epiano_tone(tr);
      std::vector<std::pair<int, int>> motif;
      for (int s = 0; s < 32; s += 2)
        if (r.chance(0.35)) motif.push_back({s, nearest_in_scale(72 + r.irange(-5, 5), tr.key, kMinor)});
      for (int bar = 0; bar + 1 < tr.bars(); bar += 2)
        for (auto [s, m] : motif)
          tr.tone(tr.lead, tr.step_time(bar + s / 16, s % 16), tr.beat() * 0.4, m, 0.3, bell);
      Buf& hh = tr.lead;  // vinyl crackle
      for (std::size_t i = 0; i < hh.size(); ++i)
        if (r.uniform() < 0.0008) hh[i] += static_cast<float>(r.noise() * 0.3);
      mx = {1.0, 0.0, 0.45, 0, 0.35, 0.004, 0.05, 0.7, r.range(4500, 7500)};
      break;
    }
    case 5: {  // jazz: swing ride, walking bass, rootless 7th voicings, horn/piano lines
      tr.bpm = r.range(110, 200);
      tr.steps = 12;
      tr.humanize = 0.007;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      static const std::vector<Prog> pr = {
          P({{2, Q::min7}, {7, Q::dom7}, {0, Q::maj7}, {0, Q::maj7}}),
          P({{2, Q::min7}, {7, Q::dom7}, {0, Q::maj7}, {9, Q::dom7}}),
          P({{4, Q::min7}, {9, Q::dom7}, {2, Q::min7}, {7, Q::dom7}}),
          P({{0, Q::maj7}, {9, Q::min7}, {2, Q::min7}, {7, Q::dom9}}),
          P({{0, Q::min7}, {5, Q::min7}, {10, Q::dom7}, {3, Q::maj7}}),
          P({{2, Q::m7b5}, {7, Q::dom7}, {0, Q::min7}, {0, Q::min7}})};
      tr.prog = r.pick(pr);
      tr.chords_per_bar = tr.bpm < 150 && r.chance(0.5) ? 2 : 1;
      tr.standard_kit(0.0);
      Pattern p;
      p.ride = "x..x.xx..x.x";
      p.hat = "...x.....x..";
      p.kick = "o..o..o..o..";
      for (int bar = 0; bar < tr.bars(); ++bar) {
        Pattern q = p;
        q.snare = "............";
        for (int s : {2, 5, 8, 11})
          if (r.chance(0.15)) q.snare[static_cast<std::size_t>(s)] = 'o';
        tr.play(q, bar, 0.6);
      }
      // Walking bass: upright (plucked) quarters, chord tones + chromatic approach.
      const double t60 = r.range(0.6, 1.2);
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int b = 0; b < 4; ++b) {
          const int s = b * 3;
          const Chord& c = tr.chord_at(bar, s);
          const int root = 36 + ((tr.key + c.root) % 12);
          int m;
          if (b == 0 || (tr.chords_per_bar == 2 && b == 2)) m = root;
          else if (b == 3 || (tr.chords_per_bar == 2 && b == 1)) {
            const Chord& nc = tr.chord_at(b == 3 ? bar + 1 : bar, b == 3 ? 0 : 6);
            m = 36 + ((tr.key + nc.root) % 12) + (r.chance(0.5) ? 1 : -1);
          } else {
            m = root + c.q[static_cast<std::size_t>(r.irange(1, static_cast<int>(c.q.size()) - 1))];
          }
          tr.pluck(tr.bass, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.95, m, 0.9, t60, 0.4);
        }
      const ToneSpec pt = piano_tone(tr);
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int s : {0, 5, 6, 8, 11})
          if (r.chance(0.35)) {
            const Chord& c = tr.chord_at(bar, s);
            Notes v = voice(tr.key, c, 62);
            if (v.size() > 3) v.erase(v.begin());  // rootless
            v.push_back(v.back() + 2);             // a ninth-ish colour
            for (int m : v) tr.tone(tr.harm, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.6, m, 0.22, pt);
          }
      if (r.chance(0.6)) {  // sax-like line
        ToneSpec sx = lead_tone(tr, tr.spec([](int k) { return 1.0 / std::pow(k, 1.2) * (k % 2 ? 1.0 : 0.6); }), 0.006);
        melody(tr, tr.lead, sx, kDorian, 67, {2, 3, 3, 1, 5, 6}, 0.45, 0.25, 4, true);
      } else {
        melody(tr, tr.lead, pt, kMixo, 74, {1, 2, 2, 3, 3}, 0.4, 0.2, 2, true);
      }
      mx = {0.55, 0.75, 0.5, 0, 0.5, 0.003, 0.2, 0.82, r.range(6000, 9000)};
      break;
    }
    case 6: {  // metal: 140-200 bpm, detuned palm-muted power chords, double bass, crashes
      tr.bpm = r.range(140, 200);
      tr.steps = 16;
      tr.humanize = 0.003;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      tr.key = 40 + r.irange(0, 5);  // low E..A
      static const std::vector<Prog> pr = {P({{0, Q::pow5}, {8, Q::pow5}, {10, Q::pow5}, {0, Q::pow5}}),
                                           P({{0, Q::pow5}, {1, Q::pow5}, {0, Q::pow5}, {10, Q::pow5}}),
                                           P({{0, Q::pow5}, {5, Q::pow5}, {8, Q::pow5}, {7, Q::pow5}}),
                                           P({{0, Q::pow5}, {3, Q::pow5}, {1, Q::pow5}, {0, Q::pow5}})};
      tr.prog = r.pick(pr);
      tr.chords_per_bar = r.chance(0.5) ? 2 : 1;
      tr.standard_kit(1.0);
      const bool blast = r.chance(0.3);
      Pattern p;
      p.kick = r.chance(0.6) ? "xxxxxxxxxxxxxxxx" : "x.x.x.x.x.x.x.x.";
      p.snare = blast ? "..x...x...x...x." : "....x.......x...";
      (r.chance(0.5) ? p.crash : p.ride) = blast ? "x.x.x.x.x.x.x.x." : "x...x...x...x...";
      p.hat = "x.x.x.x.x.x.x.x.";
      for (int bar = 0; bar < tr.bars(); ++bar) {
        Pattern q = p;
        if (bar % 4 == 0) q.crash = "x.......x.......";
        tr.play(q, bar, 1.0);
        if (bar % 4 == 3 && r.chance(0.5)) tr.fill(bar, 8);
      }
      ToneSpec gt;
      gt.bright = saw_spec(tr, r.range(0.8, 1.1));
      gt.attack = 0.002;
      gt.decay = 0.1;
      gt.sustain = 0.6;
      gt.release = 0.03;
      gt.detune_cents = r.range(5, 12);
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int s = 0; s < 16; ++s) {
          if (s % 2 == 1 && r.chance(0.4)) continue;
          const Chord& c = tr.chord_at(bar, s);
          const bool accent = s % 8 == 0;
          for (int iv : c.q)
            tr.tone(tr.guit, tr.step_time(bar, s) + tr.jit(), accent ? tr.beat() * 1.9 : tr.beat() * 0.2,
                    tr.key + c.root + iv, accent ? 0.5 : 0.35, gt);
        }
      const ToneSpec bt = bass_tone(tr, 1.0, 0.2);
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int s = 0; s < 16; s += 2)
          tr.tone(tr.bass, tr.step_time(bar, s), tr.beat() * 0.45, tr.key - 12 + tr.chord_at(bar, s).root, 0.8, bt);
      distort(tr.guit, r.range(12, 40), r.range(3000, 4500));
      distort(tr.bass, r.range(2, 4), 2500);
      mx = {0.9, 0.45, 0, 0.8, 0, r.range(0.01, 0.03), 0.06, 0.75, r.range(8000, 10500)};
      break;
    }
    case 7: {  // pop: disco's chords and kit at times, piano/synth, sung-like lead
      tr.bpm = r.range(100, 125);
      tr.steps = 16;
      tr.humanize = 0.003;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      tr.prog = r.chance(0.3) ? r.pick(disco_progs()) : r.pick(pop_progs());
      tr.standard_kit(0.3);
      if (r.chance(0.4)) {
        four_on_floor(tr, r.chance(0.4));
      } else {
        Pattern p;
        p.kick = r.chance(0.5) ? "x.....x.x......." : "x.......x.x.....";
        (r.chance(0.5) ? p.snare : p.clap) = "....x.......x...";
        p.hat = "x.x.x.x.x.x.x.x.";
        for (int bar = 0; bar < tr.bars(); ++bar) {
          Pattern q = p;
          if (bar % 8 == 0) q.crash = "x...............";
          tr.play(q, bar, 0.9);
        }
      }
      if (r.chance(0.5)) octave_bass(tr, bass_tone(tr, r.range(1.0, 1.6), 0.2), 0.7, 40);
      else root_eighths(tr, tr.bass, bass_tone(tr, r.range(1.2, 2.0), 0.2), 0.8, 40, 0.45);
      const int kind = r.irange(0, 2);
      if (kind == 0) {  // piano on the beat
        const ToneSpec pt = piano_tone(tr);
        for (int bar = 0; bar < tr.bars(); ++bar)
          for (int s = 0; s < 16; s += 4)
            for (int m : voice(tr.key, tr.chord_at(bar), 62))
              tr.tone(tr.harm, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.9, m, 0.25, pt);
      } else if (kind == 1) {  // synth pad
        const ToneSpec st = strings_tone(tr, r.range(0.1, 0.3));
        for (int bar = 0; bar < tr.bars(); ++bar)
          for (int m : voice(tr.key, tr.chord_at(bar), 64))
            tr.tone(tr.harm, tr.step_time(bar, 0), tr.bar_dur() * 0.95, m, 0.22, st);
      } else {  // acoustic strums
        for (int bar = 0; bar < tr.bars(); ++bar) {
          const Notes v = voice(tr.key, tr.chord_at(bar), 60);
          for (int s : {0, 6, 8, 12, 14})
            tr.strum(tr.harm, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.9, v, 0.3, 1.5, 0.7, 0.012, s % 4 == 0);
        }
      }
      const double formant = r.range(2.5, 4.5);
      ToneSpec vt = lead_tone(tr, tr.spec([=](int k) {
        return std::exp(-std::pow((k - 1) / 1.5, 2)) + 0.7 * std::exp(-std::pow((k - formant) / 1.2, 2)) + 0.05 / k;
      }), 0.008);
      vt.attack = 0.04;
      melody(tr, tr.lead, vt, kMajor, 69, {2, 2, 4, 4, 6, 8}, 0.6, 0.2, 4, false);
      mx = {0.8, 0.65, 0.5, 0, 0.6, 0.002, 0.15, 0.8, r.range(8000, 10500)};
      break;
    }
    case 8: {  // reggae: one drop, offbeat skank + organ bubble, round melodic bass
      tr.bpm = r.range(70, 90);
      tr.steps = 16;
      tr.humanize = 0.004;
      tr.swing16 = r.range(0.0, 0.3);
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      static const std::vector<Prog> pr = {P({{0, Q::maj}, {5, Q::maj}}), P({{0, Q::min}, {5, Q::min}}),
                                           P({{0, Q::maj}, {7, Q::maj}, {9, Q::min}, {5, Q::maj}}),
                                           P({{0, Q::min}, {10, Q::maj}}), P({{0, Q::maj}, {2, Q::min}})};
      tr.prog = r.pick(pr);
      tr.bars_per_chord = r.chance(0.5) ? 2 : 1;
      tr.standard_kit(0.2);
      Pattern p;
      if (r.chance(0.7)) {
        p.kick = "........x.......";
        p.rim = "........x.......";
      } else {  // steppers
        p.kick = "x...x...x...x...";
        p.rim = "........x.......";
      }
      p.hat = r.chance(0.5) ? "x.x.x.x.x.x.x.x." : "x.xxx.xxx.xxx.xx";
      for (int bar = 0; bar < tr.bars(); ++bar) tr.play(p, bar, 0.8);
      // Skank on beats 2 and 4 (guitar chop) and the organ bubble on the offbeat eighths.
      for (int bar = 0; bar < tr.bars(); ++bar) {
        const Notes v = voice(tr.key, tr.chord_at(bar), 66);
        for (int s : {4, 12}) tr.strum(tr.guit, tr.step_time(bar, s) + tr.jit(), 0.08, v, 0.45, 0.4, 0.95, 0.004);
      }
      ToneSpec ot;
      ot.bright = organ_spec(tr);
      ot.attack = 0.005;
      ot.decay = 0.1;
      ot.sustain = 0.6;
      ot.release = 0.03;
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int s : {2, 6, 10, 14})
          for (int m : voice(tr.key, tr.chord_at(bar), 60))
            tr.tone(tr.harm, tr.step_time(bar, s), tr.beat() * 0.22, m, 0.22, ot);
      ToneSpec bt;
      bt.bright = tr.spec([](int k) { return k == 1 ? 1.0 : k == 2 ? 0.25 : k == 3 ? 0.05 : 0.0; });
      bt.attack = 0.01;
      bt.decay = 0.4;
      bt.sustain = 0.6;
      bt.release = 0.06;
      std::vector<std::pair<int, int>> line;  // (step, interval) repeated each bar
      static const int ivs[] = {0, 0, 7, 12, 10, 3, 5};
      for (int s = 0; s < 16; s += 2)
        if (s != 0 && r.chance(0.55)) line.push_back({s, ivs[r.irange(0, 6)]});
      for (int bar = 0; bar < tr.bars(); ++bar) {
        const int root = 36 + ((tr.key + tr.chord_at(bar).root) % 12);
        for (std::size_t i = 0; i < line.size(); ++i) {
          const double len = ((i + 1 < line.size() ? line[i + 1].first : 16) - line[i].first) * tr.bar_dur() / 16 * 0.8;
          tr.tone(tr.bass, tr.step_time(bar, line[i].first) + tr.jit(), len, root + line[i].second, 0.9, bt);
        }
      }
      melody(tr, tr.lead, lead_tone(tr, square_spec(tr, 1.5), 0.004), kPentMaj, 72, {2, 4, 4, 8}, 0.35, 0.35, 4, true);
      mx = {0.75, 0.95, 0.35, 0.4, 0.3, 0.003, 0.15, 0.8, r.range(5500, 8500)};
      break;
    }
    default: {  // rock: backbeat, overdriven power/open chords, picked bass
      tr.bpm = r.range(100, 150);
      tr.steps = 16;
      tr.humanize = 0.005;
      tr.t0 = -r.range(0, 1) * tr.bar_dur();
      static const std::vector<Prog> pr = {P({{0, Q::maj}, {5, Q::maj}, {7, Q::maj}, {5, Q::maj}}),
                                           P({{0, Q::maj}, {10, Q::maj}, {5, Q::maj}, {0, Q::maj}}),
                                           P({{0, Q::maj}, {7, Q::maj}, {9, Q::min}, {5, Q::maj}}),
                                           P({{9, Q::min}, {5, Q::maj}, {0, Q::maj}, {7, Q::maj}})};
      tr.prog = r.pick(pr);
      const bool power = r.chance(0.6);
      if (power)
        for (Chord& c : tr.prog) c.q = Q::pow5;
      tr.standard_kit(0.5);
      Pattern p;
      p.kick = r.chance(0.5) ? "x.......x.x....." : "x.x.....x.......";
      p.snare = "....x.......x...";
      (r.chance(0.6) ? p.hat : p.ride) = "x.x.x.x.x.x.x.x.";
      for (int bar = 0; bar < tr.bars(); ++bar) {
        Pattern q = p;
        if (bar % 4 == 0) q.crash = "x...............";
        tr.play(q, bar, 0.95);
        if (bar % 4 == 3 && r.chance(0.5)) tr.fill(bar, 12);
      }
      ToneSpec gt;
      gt.bright = saw_spec(tr, r.range(0.9, 1.3));
      gt.attack = 0.003;
      gt.decay = 0.3;
      gt.sustain = 0.5;
      gt.release = 0.05;
      gt.detune_cents = r.range(3, 8);
      const int center = power ? 50 : 57;
      for (int bar = 0; bar < tr.bars(); ++bar)
        for (int s = 0; s < 16; s += 2) {
          const int root = octave_into(tr.key + tr.chord_at(bar).root, center);
          const Notes v = power ? Notes{root, root + 7, root + 12} : voice(tr.key, tr.chord_at(bar), center);
          for (int m : v)
            tr.tone(tr.guit, tr.step_time(bar, s) + tr.jit(), tr.beat() * 0.45, m, s % 8 == 0 ? 0.5 : 0.35, gt);
        }
      distort(tr.guit, r.range(3, 10), r.range(3500, 5000));
      root_eighths(tr, tr.bass, bass_tone(tr, r.range(1.0, 1.5), 0.2), 0.8, 40, 0.45);
      if (r.chance(0.5)) {
        ToneSpec vt = lead_tone(tr, saw_spec(tr, 1.8), 0.006);
        melody(tr, tr.lead, vt, kMixo, 67, {2, 4, 4, 6, 8}, 0.5, 0.25, 4, true);
      }
      mx = {0.85, 0.6, 0, 0.65, 0.45, 0.005, 0.1, 0.8, r.range(7000, 10000)};
      break;
    }
  }
}

}  // namespace

std::vector<float> synth_track(int genre_index, int track_index, double seconds, uint64_t seed) {
  const int ng = static_cast<int>(audio::genre_names().size());
  if (genre_index < 0 || genre_index >= ng)
    throw std::invalid_argument("synth_track: genre index out of range");
  const std::size_t n = static_cast<std::size_t>(std::llround(std::max(0.0, seconds) * kSR));
  Track tr(genre_index, track_seed(seed, genre_index, track_index), n);
  if (n == 0) return {};
  Mix mx;
  compose(tr, mx);
  Rng& r = tr.rng;

  // Each stem at a known level, then per-track mix variation (+-3 dB).
  Buf out(n, 0.0f);
  const std::pair<Buf*, double> stems[] = {
      {&tr.drums, mx.drums}, {&tr.bass, mx.bass}, {&tr.harm, mx.harm},
      {&tr.guit, mx.guit},   {&tr.lead, mx.lead}};
  for (const auto& [b, level] : stems) {
    if (level <= 0) continue;
    Track::normalize(*b, level * std::pow(10.0, r.range(-3, 3) / 20.0));
    for (std::size_t i = 0; i < n; ++i) out[i] += (*b)[i];
  }
  reverb(out, mx.reverb * r.range(0.7, 1.3), mx.room);
  // Master: gentle low-pass blended with the dry signal (varies brightness per track).
  Buf lp = out;
  one_pole_lp(lp, mx.master_lp);
  const float blend = static_cast<float>(r.range(0.3, 0.8));
  for (std::size_t i = 0; i < n; ++i) out[i] = blend * lp[i] + (1 - blend) * out[i];
  one_pole_hp(out, 25);  // no DC
  Track::normalize(out, 1.0);
  const double noise = mx.noise * r.range(0.5, 1.5);
  for (float& v : out) v += static_cast<float>(noise * r.noise());
  Track::normalize(out, 0.8);
  return out;
}

int write_dataset(const std::filesystem::path& out_dir, int tracks_per_genre, double seconds,
                  uint64_t seed) {
  const auto& genres = audio::genre_names();
  const int ng = static_cast<int>(genres.size());
  const int jobs = ng * std::max(0, tracks_per_genre);
  for (const auto& g : genres) std::filesystem::create_directories(out_dir / "genres_original" / g);
  // Tracks are independent and each is deterministic, so workers may take them in any order.
  std::atomic<int> next{0}, written{0};
  std::mutex err_mu;
  std::exception_ptr err;
  auto worker = [&] {
    for (int j; (j = next.fetch_add(1)) < jobs;) {
      const int g = j / tracks_per_genre, i = j % tracks_per_genre;
      try {
        const std::string& genre = genres[static_cast<std::size_t>(g)];
        char name[64];
        std::snprintf(name, sizeof name, "%s.%05d.wav", genre.c_str(), i);
        const auto y = synth_track(g, i, seconds, seed);
        audio::write_wav16(out_dir / "genres_original" / genre / name, y, static_cast<int>(kSR));
        ++written;
      } catch (...) {
        std::lock_guard<std::mutex> lock(err_mu);
        if (!err) err = std::current_exception();
        next = jobs;  // stop handing out work
      }
    }
  };
  const int nthreads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1,
                                  std::max(1, std::min(jobs, 16)));
  std::vector<std::thread> pool;
  for (int t = 1; t < nthreads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (err) std::rethrow_exception(err);
  return written.load();
}

}  // namespace gtzan::synth
