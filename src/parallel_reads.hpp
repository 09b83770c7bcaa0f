// Whether a schema read runs beside others (inspect_all()): the cores are busy
// then, and a backend does not open connections of its own to read faster.
#pragma once

namespace strata::detail {

// True on a thread that inspect_all() runs one of several reads on.
[[nodiscard]] bool reading_beside_others() noexcept;

// Marks the current thread as reading beside others while it lives.
class ReadingBesideOthers {
public:
    ReadingBesideOthers() noexcept;
    ~ReadingBesideOthers();
    ReadingBesideOthers(const ReadingBesideOthers&) = delete;
    ReadingBesideOthers& operator=(const ReadingBesideOthers&) = delete;
};

}  // namespace strata::detail
