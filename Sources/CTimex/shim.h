// The kernel's clock discipline state (adjtimex(2)), which Swift's Glibc module leaves out.
// Part of glibc: nothing to link.
#include <sys/timex.h>
#include <time.h>

/// Reads the clock state without changing it (modes 0). Returns adjtimex's clock state
/// (TIME_OK, TIME_ERROR, ...) or -1 with errno set.
static inline int sawah_clock_state(int *status, long *maxerror_us, long *esterror_us) {
    struct timex t = {0};
    int state = adjtimex(&t);
    *status = t.status;
    *maxerror_us = t.maxerror;
    *esterror_us = t.esterror;
    return state;
}

static const int SAWAH_STA_UNSYNC = STA_UNSYNC;
static const int SAWAH_TIME_ERROR = TIME_ERROR;

/// Sets the wall clock and the kernel's synchronised state, as an NTP client does when it
/// steps the clock (`STA_UNSYNC` cleared, small maximum error) or as a board without a
/// real-time clock boots (`STA_UNSYNC` set). Needs CAP_SYS_TIME. Returns 0, or -1 with errno.
static inline int sawah_clock_set(long long seconds, long nanoseconds, int synchronised) {
    struct timespec now = { .tv_sec = (time_t)seconds, .tv_nsec = nanoseconds };
    if (clock_settime(CLOCK_REALTIME, &now) != 0) return -1;
    struct timex t = {0};
    t.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
    t.status = synchronised ? 0 : STA_UNSYNC;
    t.maxerror = synchronised ? 1000 : 16000000;
    t.esterror = synchronised ? 0 : 16000000;
    return adjtimex(&t) < 0 ? -1 : 0;
}
