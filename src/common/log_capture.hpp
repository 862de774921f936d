#pragma once
// Test support: a sink that keeps every log line in memory, so tests can assert on what was (not) logged.
//
//     alatar::LogCapture capture;
//     alatar::Logger log{"test", alatar::LogLevel::kDebug, capture.sink()};
//     ...
//     EXPECT_FALSE(capture.contains("hunter2"));
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.hpp"

namespace alatar {

class LogCapture {
  public:
    // The sink shares the capture's storage, so it stays valid even if the LogCapture is destroyed first.
    LogSink sink() const {
        return [state = state_](std::string_view line) {
            const std::lock_guard lock{state->mutex};
            state->lines.emplace_back(line);
        };
    }
    std::vector<std::string> lines() const {
        const std::lock_guard lock{state_->mutex};
        return state_->lines;
    }
    std::size_t size() const {
        const std::lock_guard lock{state_->mutex};
        return state_->lines.size();
    }
    // True when any captured line contains `text`.
    bool contains(std::string_view text) const {
        const std::lock_guard lock{state_->mutex};
        for (const auto& line : state_->lines) {
            if (line.find(text) != std::string::npos) return true;
        }
        return false;
    }
    void clear() {
        const std::lock_guard lock{state_->mutex};
        state_->lines.clear();
    }

  private:
    struct State {
        std::mutex mutex;
        std::vector<std::string> lines;
    };
    std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace alatar
