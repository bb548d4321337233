// fakeclock.cpp: an LD_PRELOAD library that shifts the wall clock, for timing dnssec-verify (which has no clock
// option) at a fixed time inside the signatures' validity.
//
//   ZW_FAKECLOCK_AT=EPOCH LD_PRELOAD=build/release/bench/libfakeclock.so dnssec-verify -o test. ZONE
//
// The process's wall clock starts at EPOCH (at its first clock read) and then advances normally; the monotonic
// clocks are untouched. Why not faketime: libfaketime 0.9.10 (Debian 12) deadlocks at start-up in every program
// linked with jemalloc, dnssec-verify among them (libfaketime issue #130): jemalloc reads the clock while
// initialising, libfaketime then initialises itself, its dlsym of an absent symbol calls malloc, and malloc waits for
// jemalloc's own initialisation lock. This library calls neither dlsym nor malloc: the clock is read with the raw
// system call, and the shift comes from getenv once.
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

namespace {

constexpr long long kUnset = -1LL << 62;
std::atomic<long long> g_shift{kUnset};  // seconds added to CLOCK_REALTIME*

int raw_clock_gettime(clockid_t id, timespec* ts) {
  return static_cast<int>(syscall(SYS_clock_gettime, id, ts));
}

long long shift() {
  long long s = g_shift.load(std::memory_order_relaxed);
  if (s != kUnset) return s;
  long long value = 0;
  if (const char* at = std::getenv("ZW_FAKECLOCK_AT")) {
    timespec now{};
    raw_clock_gettime(CLOCK_REALTIME, &now);
    value = std::atoll(at) - static_cast<long long>(now.tv_sec);
  }
  long long expected = kUnset;
  // The first thread to get here fixes the shift; the others take its value.
  if (!g_shift.compare_exchange_strong(expected, value)) value = expected;
  return value;
}

bool is_wall_clock(clockid_t id) {
  return id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int clock_gettime(clockid_t id, timespec* ts) {
  const int rc = raw_clock_gettime(id, ts);
  if (rc == 0 && is_wall_clock(id)) ts->tv_sec += static_cast<time_t>(shift());
  return rc;
}

__attribute__((visibility("default"))) int gettimeofday(timeval* tv, void* /*tz*/) {
  timespec ts{};
  const int rc = clock_gettime(CLOCK_REALTIME, &ts);
  if (rc == 0) {  // glibc declares tv nonnull
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = static_cast<suseconds_t>(ts.tv_nsec / 1000);
  }
  return rc;
}

__attribute__((visibility("default"))) time_t time(time_t* out) {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  if (out != nullptr) *out = ts.tv_sec;
  return ts.tv_sec;
}

}  // extern "C"
