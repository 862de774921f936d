#include "shopify_sim/faults.hpp"

namespace alatar::shopify_sim {

boost::json::object FaultConfig::to_json() const {
    return {{"latency_ms", latency_ms},
            {"error_rate_500", error_rate_500},
            {"error_rate_502", error_rate_502},
            {"error_rate_503", error_rate_503},
            {"timeout_rate", timeout_rate},
            {"timeout_ms", timeout_ms},
            {"malformed_json_rate", malformed_json_rate},
            {"throttle_pressure", throttle_pressure}};
}

std::optional<std::string> apply_fault_patch(FaultConfig& config, const boost::json::object& patch) {
    FaultConfig next = config;
    for (const auto& member : patch) {
        const std::string_view key = member.key();
        const boost::json::value& value = member.value();
        double number = 0;
        if (value.is_double()) {
            number = value.get_double();
        } else if (value.is_int64()) {
            number = static_cast<double>(value.get_int64());
        } else if (value.is_uint64()) {
            number = static_cast<double>(value.get_uint64());
        } else if (key == "revoke_token") {
            continue;  // handled by the server
        } else {
            return std::string(key) + " must be a number";
        }
        const auto rate = [&](double& field) -> std::optional<std::string> {
            if (number < 0 || number > 1) return std::string(key) + " must be between 0 and 1";
            field = number;
            return std::nullopt;
        };
        const auto millis = [&](int& field) -> std::optional<std::string> {
            if (number < 0 || number > 600000) return std::string(key) + " must be between 0 and 600000";
            field = static_cast<int>(number);
            return std::nullopt;
        };
        std::optional<std::string> error;
        if (key == "latency_ms") {
            error = millis(next.latency_ms);
        } else if (key == "timeout_ms") {
            error = millis(next.timeout_ms);
        } else if (key == "error_rate_500") {
            error = rate(next.error_rate_500);
        } else if (key == "error_rate_502") {
            error = rate(next.error_rate_502);
        } else if (key == "error_rate_503") {
            error = rate(next.error_rate_503);
        } else if (key == "timeout_rate") {
            error = rate(next.timeout_rate);
        } else if (key == "malformed_json_rate") {
            error = rate(next.malformed_json_rate);
        } else if (key == "throttle_pressure") {
            error = rate(next.throttle_pressure);
        } else {
            error = "unknown fault " + std::string(key);
        }
        if (error) return error;
    }
    config = next;
    return std::nullopt;
}

FaultConfig FaultInjector::config() const {
    const std::lock_guard lock(mutex_);
    return config_;
}

void FaultInjector::set(const FaultConfig& config) {
    const std::lock_guard lock(mutex_);
    config_ = config;
}

FaultKind FaultInjector::roll() {
    const std::lock_guard lock(mutex_);
    const double x = rng_.uniform01();
    double edge = 0;
    const std::pair<double, FaultKind> kinds[] = {{config_.error_rate_500, FaultKind::kError500},
                                                  {config_.error_rate_502, FaultKind::kError502},
                                                  {config_.error_rate_503, FaultKind::kError503},
                                                  {config_.timeout_rate, FaultKind::kTimeout},
                                                  {config_.malformed_json_rate, FaultKind::kMalformedJson}};
    for (const auto& [rate, kind] : kinds) {
        edge += rate;
        if (x < edge) return kind;
    }
    return FaultKind::kNone;
}

}  // namespace alatar::shopify_sim
