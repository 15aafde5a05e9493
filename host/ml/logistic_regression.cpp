#include "ml/logistic_regression.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>

namespace gtzan::ml {
namespace {

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

double inf_norm(const std::vector<double>& a) {
  double m = 0;
  for (double v : a) m = std::max(m, std::abs(v));
  return m;
}

// log(1 + exp(z)) without overflow.
double log1pexp(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

}  // namespace

LbfgsResult lbfgs_minimize(const std::function<double(const std::vector<double>&, std::vector<double>&)>& fg,
                           std::vector<double> x, int max_iter, double tol, int history) {
  const std::size_t n = x.size();
  std::vector<double> g(n), g_new(n), x_new(n), d(n);
  double f = fg(x, g);
  std::deque<std::vector<double>> S, Y;
  std::deque<double> rho;
  LbfgsResult r;
  int it = 0;
  for (; it < max_iter; ++it) {
    if (inf_norm(g) <= tol) break;
    // Two-loop recursion: d = -H g.
    d = g;
    std::vector<double> alpha(S.size());
    for (std::size_t k = S.size(); k-- > 0;) {
      alpha[k] = rho[k] * dot(S[k], d);
      for (std::size_t i = 0; i < n; ++i) d[i] -= alpha[k] * Y[k][i];
    }
    double gamma = 1.0;
    if (!S.empty()) gamma = dot(S.back(), Y.back()) / dot(Y.back(), Y.back());
    else gamma = 1.0 / std::max(1.0, std::sqrt(dot(g, g)));  // first step of length <= 1
    for (double& v : d) v *= gamma;
    for (std::size_t k = 0; k < S.size(); ++k) {
      const double beta = rho[k] * dot(Y[k], d);
      for (std::size_t i = 0; i < n; ++i) d[i] += (alpha[k] - beta) * S[k][i];
    }
    for (double& v : d) v = -v;
    double gd = dot(g, d);
    if (!(gd < 0)) {  // not a descent direction: restart from steepest descent
      S.clear(), Y.clear(), rho.clear();
      for (std::size_t i = 0; i < n; ++i) d[i] = -g[i] / std::max(1.0, std::sqrt(dot(g, g)));
      gd = dot(g, d);
    }
    // Armijo backtracking.
    double step = 1.0, f_new = 0;
    bool ok = false;
    for (int ls = 0; ls < 60; ++ls) {
      for (std::size_t i = 0; i < n; ++i) x_new[i] = x[i] + step * d[i];
      f_new = fg(x_new, g_new);
      if (std::isfinite(f_new) && f_new <= f + 1e-4 * step * gd) {
        ok = true;
        break;
      }
      step *= 0.5;
    }
    if (!ok) break;  // no decrease possible at double precision
    std::vector<double> s(n), yv(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = x_new[i] - x[i], yv[i] = g_new[i] - g[i];
    const double sy = dot(s, yv);
    if (sy > 1e-300) {
      S.push_back(std::move(s)), Y.push_back(std::move(yv)), rho.push_back(1.0 / sy);
      if (static_cast<int>(S.size()) > history) S.pop_front(), Y.pop_front(), rho.pop_front();
    }
    const double f_old = f;
    x.swap(x_new), g.swap(g_new), f = f_new;
    if (std::abs(f_old - f) <= 1e-16 * std::max(1.0, std::abs(f)) && inf_norm(g) <= 1e3 * tol) {
      ++it;
      break;
    }
  }
  r.grad_inf = inf_norm(g);
  r.converged = r.grad_inf <= tol;
  r.x = std::move(x);
  r.f = f;
  r.iterations = it;
  return r;
}

LogisticRegression::LogisticRegression(LogisticRegressionParams p) : p_(p) {}

void LogisticRegression::fit(const Rows& X, const std::vector<int>& y, int K) {
  const std::size_t d = check_fit_inputs(X, y, K);
  if (!(p_.C > 0)) throw std::invalid_argument("logreg: C must be > 0");
  K_ = K;
  n_features_ = d;
  std::vector<int> pos(static_cast<std::size_t>(K), -1);
  classes_.clear();
  for (int c : y) pos[static_cast<std::size_t>(c)] = 0;
  for (int c = 0; c < K; ++c)
    if (pos[static_cast<std::size_t>(c)] == 0) pos[static_cast<std::size_t>(c)] = static_cast<int>(classes_.size()), classes_.push_back(c);
  const std::size_t m = classes_.size();
  const std::size_t n = X.size();
  const double inv_n = 1.0 / static_cast<double>(n);
  const double reg = 1.0 / (p_.C * static_cast<double>(n));
  coef_.clear();
  intercept_.clear();
  n_iter_ = 0;
  converged_ = true;
  if (m == 1) return;  // a single class: probability 1, nothing to fit

  // Binary: one row of weights (for the second class), parameters [w (d), b].
  // Multinomial: m rows, parameters [W (m x d) row-major, b (m)].
  const std::size_t rows = m == 2 ? 1 : m;
  const std::size_t np = rows * (d + 1);
  std::vector<int> yi(n);
  for (std::size_t i = 0; i < n; ++i) yi[i] = pos[static_cast<std::size_t>(y[i])];

  auto fg = [&](const std::vector<double>& th, std::vector<double>& g) -> double {
    std::fill(g.begin(), g.end(), 0.0);
    const double* W = th.data();
    const double* b = th.data() + rows * d;
    double loss = 0;
    std::vector<double> z(rows);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& x = X[i];
      for (std::size_t r = 0; r < rows; ++r) {
        double s = b[r];
        for (std::size_t j = 0; j < d; ++j) s += W[r * d + j] * x[j];
        z[r] = s;
      }
      if (rows == 1) {
        const double t = yi[i] == 1 ? 1.0 : 0.0;
        loss += log1pexp(z[0]) - t * z[0];
        const double p = 1.0 / (1.0 + std::exp(-z[0]));
        const double e = (p - t) * inv_n;
        for (std::size_t j = 0; j < d; ++j) g[j] += e * x[j];
        g[d] += e;
      } else {
        const double zmax = *std::max_element(z.begin(), z.end());
        double se = 0;
        for (double v : z) se += std::exp(v - zmax);
        const double lse = zmax + std::log(se);
        loss += lse - z[static_cast<std::size_t>(yi[i])];
        for (std::size_t r = 0; r < rows; ++r) {
          const double e = (std::exp(z[r] - lse) - (static_cast<int>(r) == yi[i] ? 1.0 : 0.0)) * inv_n;
          for (std::size_t j = 0; j < d; ++j) g[r * d + j] += e * x[j];
          g[rows * d + r] += e;
        }
      }
    }
    double w2 = 0;
    for (std::size_t k = 0; k < rows * d; ++k) {
      w2 += th[k] * th[k];
      g[k] += reg * th[k];
    }
    return loss * inv_n + 0.5 * reg * w2;
  };

  const LbfgsResult res = lbfgs_minimize(fg, std::vector<double>(np, 0.0), p_.max_iter, p_.tol, p_.history);
  n_iter_ = res.iterations;
  converged_ = res.converged;
  coef_.assign(rows, std::vector<double>(d));
  intercept_.assign(rows, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t j = 0; j < d; ++j) coef_[r][j] = res.x[r * d + j];
    intercept_[r] = res.x[rows * d + r];
  }
}

Rows LogisticRegression::predict_proba(const Rows& X) const {
  check_predict_inputs(X, K_ > 0 ? n_features_ : 0);
  Rows out(X.size(), std::vector<double>(static_cast<std::size_t>(K_), 0.0));
  const std::size_t m = classes_.size();
  for (std::size_t i = 0; i < X.size(); ++i) {
    auto& o = out[i];
    if (m == 1) {
      o[static_cast<std::size_t>(classes_[0])] = 1.0;
    } else if (m == 2) {
      double z = intercept_[0];
      for (std::size_t j = 0; j < n_features_; ++j) z += coef_[0][j] * X[i][j];
      const double p = 1.0 / (1.0 + std::exp(-z));
      o[static_cast<std::size_t>(classes_[0])] = 1.0 - p;
      o[static_cast<std::size_t>(classes_[1])] = p;
    } else {
      std::vector<double> z(m);
      for (std::size_t r = 0; r < m; ++r) {
        z[r] = intercept_[r];
        for (std::size_t j = 0; j < n_features_; ++j) z[r] += coef_[r][j] * X[i][j];
      }
      const double zmax = *std::max_element(z.begin(), z.end());
      double s = 0;
      for (double& v : z) s += (v = std::exp(v - zmax));
      for (std::size_t r = 0; r < m; ++r) o[static_cast<std::size_t>(classes_[r])] = z[r] / s;
    }
  }
  return out;
}

}  // namespace gtzan::ml
