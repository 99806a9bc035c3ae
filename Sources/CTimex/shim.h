// The kernel's clock discipline state (adjtimex(2)), which Swift's Glibc module leaves out.
// Part of glibc: nothing to link.
#include <sys/timex.h>

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
