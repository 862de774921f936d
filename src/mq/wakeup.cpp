#include "mq/wakeup.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>

#include "common/error.hpp"
#include "mq/amqp_connection.hpp"

namespace alatar::mq {

Wakeup::Wakeup() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (fd_ < 0) throw Error(ErrorCode::kInternal, "eventfd failed");
}

Wakeup::~Wakeup() { ::close(fd_); }

void Wakeup::notify() const noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(fd_, &one, sizeof one);
}

void Wakeup::drain() const noexcept {
    std::uint64_t value = 0;
    [[maybe_unused]] const auto n = ::read(fd_, &value, sizeof value);
}

void Wakeup::wait(std::chrono::milliseconds timeout) const noexcept {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) > 0) drain();
}

bool Wakeup::wait_for_input(const AmqpConnection& connection, std::chrono::milliseconds timeout) const {
    // rabbitmq-c may already hold received bytes or frames: then the socket need not become readable again.
    if (connection.has_buffered_input()) return true;
    std::array<pollfd, 2> fds{pollfd{connection.socket_fd(), POLLIN, 0}, pollfd{fd_, POLLIN, 0}};
    const int rc = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
    if (rc < 0 && errno != EINTR) throw Error(ErrorCode::kInternal, "poll failed");
    if (rc > 0 && (fds[1].revents & POLLIN) != 0) drain();
    // POLLHUP/POLLERR count as input: wait_event() then reports the lost connection.
    return rc > 0 && fds[0].revents != 0;
}

}  // namespace alatar::mq
