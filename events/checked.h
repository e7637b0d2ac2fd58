#pragma once
// A value or the one-line reason it was rejected: what the option parsers
// of the commands and of the sweep room return, so a command can print the
// line and exit 2.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace heapsim {

template <typename T>
class Checked {
  public:
    Checked(T value) : v_(std::move(value)) {}  // NOLINT: implicit on purpose
    static Checked failure(std::string message) { return Checked(Error{std::move(message)}); }

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    const T& value() const { return std::get<0>(v_); }
    T& value() { return std::get<0>(v_); }
    const T& operator*() const { return value(); }
    const T* operator->() const { return &value(); }
    const std::string& error() const { return std::get<1>(v_).message; }

  private:
    struct Error {
        std::string message;
    };
    explicit Checked(Error e) : v_(std::move(e)) {}
    std::variant<T, Error> v_;
};

}  // namespace heapsim
