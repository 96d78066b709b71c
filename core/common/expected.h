// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <utility>
#include <variant>

namespace shapescope {

// An error as a value: what went wrong, phrased for the user ("logits.npy: header is truncated").
// A cancelled call is an error of its own kind, so that callers tell "stopped because asked to"
// from "failed" without reading the message.
struct Error
{
    enum class Kind : quint8
    {
        Failure,
        Cancelled,
    };
    static constexpr int kindCount = 2;

    QString message;
    Kind kind = Kind::Failure;

    static Error cancelled() { return {QStringLiteral("cancelled"), Kind::Cancelled}; }
    bool isCancelled() const { return kind == Kind::Cancelled; }
};

// std::expected is C++23; this is the subset ShapeScope needs so errors never cross layers as
// exceptions.
template <typename T> class Expected
{
public:
    Expected(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Expected(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const QString& error() const { return failure().message; }
    const Error& failure() const { return std::get<1>(m_state); }
    bool isCancelled() const { return !ok() && failure().isCancelled(); }

private:
    std::variant<T, Error> m_state;
};

// Success or an error, for operations without a value.
class Status
{
public:
    Status() = default;
    Status(Error error) : m_ok(false), m_error(std::move(error)) {}

    static Status success() { return {}; }
    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const QString& error() const { return m_error.message; }
    const Error& failure() const { return m_error; }
    bool isCancelled() const { return !m_ok && m_error.isCancelled(); }

private:
    bool m_ok = true;
    Error m_error;
};

} // namespace shapescope
