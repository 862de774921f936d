#pragma once
// Internal: an eventfd that other threads signal to interrupt a connection-owning thread's poll(), and a
// poll over that fd plus a connection's socket.
#include <chrono>

namespace alatar::mq {

class AmqpConnection;

class Wakeup {
  public:
    Wakeup();  // throws alatar::Error(kInternal) if no eventfd can be made
    ~Wakeup();
    Wakeup(const Wakeup&) = delete;
    Wakeup& operator=(const Wakeup&) = delete;
    Wakeup(Wakeup&&) = delete;
    Wakeup& operator=(Wakeup&&) = delete;

    // Thread-safe, non-blocking.
    void notify() const noexcept;
    // Sleeps up to `timeout` unless notified.
    void wait(std::chrono::milliseconds timeout) const noexcept;
    // Waits up to `timeout` until the connection has input or notify() is called; true when there is input
    // to read with wait_event(). Owning thread only.
    bool wait_for_input(const AmqpConnection& connection, std::chrono::milliseconds timeout) const;

  private:
    void drain() const noexcept;
    int fd_;
};

}  // namespace alatar::mq
