/* bench/clock_loop.c: this core's clock, for bench/profile.sh.
 *
 * Runs a chain of dependent 64-bit adds: each needs the result of the one
 * before, so an x86-64 core retires exactly one per cycle whatever its
 * width, and adds per second of this process's CPU time is the clock in
 * Hz. Prints "ghz=G" (the best of 5 rounds: a round that was descheduled
 * or shared its core only looks slower). Hardware counters are not
 * available on the development VM, so this is how bench/profile.sh turns
 * instructions per CPU second into instructions per cycle.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#define ADD4 "add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\t"
#define ADD32 ADD4 ADD4 ADD4 ADD4 ADD4 ADD4 ADD4 ADD4

int main(void) {
#if defined(__x86_64__)
    const long iterations = 10 * 1000 * 1000; /* 3.2e8 adds: ~0.1 s at 3 GHz */
    double best = 0;
    for (int round = 0; round < 5; ++round) {
        unsigned long x = 0;
        const double start = cpu_seconds();
        for (long i = 0; i < iterations; ++i) __asm__ volatile(ADD32 ADD32 ADD32 ADD32 : "+r"(x));
        const double hz = (double)x / (cpu_seconds() - start);
        if (hz > best) best = hz;
    }
    printf("ghz=%.3f\n", best / 1e9);
    return 0;
#else
    fprintf(stderr, "clock_loop: x86-64 only\n");
    return 2;
#endif
}
