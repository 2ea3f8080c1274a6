// Test helper: the message of the autoqvis::Error an action throws, so tests can check that errors
// name the file, key, video, annotation and frame.
#pragma once

#include <QString>
#include <functional>

#include "core/util/error.h"

namespace autoqvis::testing {

/// The Error's full message; empty when `action` throws none.
inline QString errorOf(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return QString::fromStdString(e.what());
  }
  return {};
}

}  // namespace autoqvis::testing
