package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's CPU time and resident memory from {@code /proc} (Linux). */
record ProcessSampler(long pid) {
  /** Clock ticks per second of /proc/PID/stat; 100 on every Linux we run on. */
  private static final long TICKS = 100;

  /** User + system CPU time of the process, in microseconds; -1 when unreadable. */
  long cpuMicros() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks * 1_000_000 / TICKS;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resident set size in kB; -1 when unreadable. */
  long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
