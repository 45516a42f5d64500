// File: sim/inline_callback.h
//
// A callable stored inline in a fixed buffer: what Simulator::Post keeps per
// pending one-shot event, so posting does not allocate. Captures must be
// trivially copyable (pointers, indices, ticks) — a payload with an owner
// belongs in the component, not in the event.
//
// Example:
//   InlineCallback cb([engine, task_id] { engine->Finish(task_id); });
//   cb();
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace dsasim {

class InlineCallback {
 public:
  static constexpr size_t kCapacity = 48;

  InlineCallback() = default;

  template <typename F>
  InlineCallback(F fn) {  // NOLINT(google-explicit-constructor): lambdas
    static_assert(sizeof(F) <= kCapacity,
                  "capture too large for an inline callback; keep the payload "
                  "in the component and capture an index");
    static_assert(std::is_trivially_copyable_v<F>,
                  "inline callbacks copy their captures bytewise");
    static_assert(alignof(F) <= alignof(void*),
                  "over-aligned captures are not supported; capture a "
                  "pointer to the value");
    new (storage_) F(std::move(fn));
    invoke_ = [](void* p) { (*static_cast<F*>(p))(); };
  }

  explicit operator bool() const { return invoke_ != nullptr; }
  void operator()() { invoke_(storage_); }

 private:
  // The function pointer first and no padding: Simulator's pooled events
  // keep it and the first captures in the cache line of the event itself.
  void (*invoke_)(void*) = nullptr;
  alignas(void*) unsigned char storage_[kCapacity];
};

}  // namespace dsasim
