#include "app/headless/console_progress.h"

#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "app/headless/arguments.h"

namespace autoqvis::cli {

ProgressStyle parseProgressStyle(const std::string& text) {
  if (text == "auto") return ProgressStyle::Auto;
  if (text == "bar") return ProgressStyle::Bar;
  if (text == "lines") return ProgressStyle::Lines;
  if (text == "jsonl") return ProgressStyle::Jsonl;
  if (text == "none") return ProgressStyle::None;
  throw UsageError("--progress must be auto, bar, lines, jsonl or none, got '" + text + "'");
}

ConsoleProgress::ConsoleProgress(ProgressStyle style) : style_(style) {
  if (style_ == ProgressStyle::Auto) style_ = isatty(STDERR_FILENO) ? ProgressStyle::Bar : ProgressStyle::Lines;
}

ConsoleProgress::~ConsoleProgress() { finish(); }

ProgressCallback ConsoleProgress::callback() {
  return [this](const Progress& progress) { show(progress); };
}

void ConsoleProgress::finish() {
  if (bar_open_) std::fputc('\n', stderr);
  bar_open_ = false;
}

void ConsoleProgress::event(const std::string& json_object) {
  if (style_ != ProgressStyle::Jsonl) return;
  std::fputs(json_object.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void ConsoleProgress::show(const Progress& p) {
  switch (style_) {
    case ProgressStyle::None:
    case ProgressStyle::Auto:
      return;
    case ProgressStyle::Jsonl: {
      nlohmann::json line = {{"event", "progress"}, {"job", p.job},   {"stage", p.stage},
                             {"done", p.done},      {"total", p.total}, {"elapsed_s", p.elapsed_s},
                             {"rate", p.rate},      {"eta_s", p.eta_s}, {"message", p.message}};
      event(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      return;
    }
    case ProgressStyle::Lines: {
      // Lines mode (logs, CI): one line per stage start, per 10 % and at the end.
      const int decile = p.total > 0 ? static_cast<int>(10 * p.done / p.total) : 0;
      const int previous = p.total > 0 ? static_cast<int>(10 * (p.done - 1) / p.total) : -1;
      if (p.stage != last_stage_ || decile != previous || p.done == p.total) {
        std::fprintf(stderr, "%s: %s %lld/%lld\n", p.job.c_str(), p.stage.c_str(), static_cast<long long>(p.done),
                     static_cast<long long>(p.total));
      }
      last_stage_ = p.stage;
      return;
    }
    case ProgressStyle::Bar: {
      if (p.stage != last_stage_) finish();
      last_stage_ = p.stage;
      constexpr int kWidth = 30;
      const double fraction = p.total > 0 ? static_cast<double>(p.done) / p.total : 0.0;
      const int filled = static_cast<int>(fraction * kWidth);
      std::string bar(filled, '#');
      bar.resize(kWidth, '.');
      char eta[32] = "";
      if (p.eta_s >= 0) std::snprintf(eta, sizeof(eta), " ETA %.0fs", p.eta_s);
      std::fprintf(stderr, "\r%s %-10s [%s] %lld/%lld %.1f/s%s   ", p.job.c_str(), p.stage.c_str(), bar.c_str(),
                   static_cast<long long>(p.done), static_cast<long long>(p.total), p.rate, eta);
      std::fflush(stderr);
      bar_open_ = true;
      return;
    }
  }
}

}  // namespace autoqvis::cli
