package io.parley.protocol.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a property on random inputs within a budget: the CI side of the fuzz tests (Jazzer's
 * {@code @FuzzTest} replays the committed inputs in CI and fuzzes with coverage feedback on demand).
 *
 * <p>The budget comes from system properties: {@code parley.fuzz.tries} (default 10 000) and
 * {@code parley.fuzz.seconds} (default 3, or one hour when {@code parley.fuzz.tries} is given), the
 * first reached ending the run; {@code parley.fuzz.seed} (default random, printed) replays a run;
 * {@code parley.fuzz.maxLength} (default 2048) bounds an input; {@code parley.fuzz.inputTimeout}
 * (seconds, default 10) is how long one input may take before the property counts as hanging.
 *
 * <p>A failing input is shrunk (bounded), written to {@code target/fuzz-findings/<property>/} and
 * reported with its Base64, so it can be committed next to the Jazzer test as a regression input.
 */
public final class Fuzz {
  /** One property: must return normally for every input, and within the input timeout. */
  @FunctionalInterface
  public interface Property {
    void check(byte[] input) throws Throwable;
  }

  /** Limits of one run. */
  public record Budget(long tries, Duration time, long seed, int maxLength, Duration inputTimeout) {
    /** The budget the system properties ask for (CI defaults when none is set). */
    public static Budget fromSystemProperties() {
      String triesProp = System.getProperty("parley.fuzz.tries");
      long tries = triesProp == null ? 10_000 : Long.parseLong(triesProp.trim());
      String secondsProp = System.getProperty("parley.fuzz.seconds");
      double seconds = secondsProp != null ? Double.parseDouble(secondsProp.trim()) : triesProp != null ? 3600 : 3;
      String seedProp = System.getProperty("parley.fuzz.seed");
      long seed = seedProp == null ? new Random().nextLong() : Long.parseLong(seedProp.trim());
      int maxLength = Integer.getInteger("parley.fuzz.maxLength", 2048);
      double inputTimeout = Double.parseDouble(System.getProperty("parley.fuzz.inputTimeout", "10"));
      return new Budget(tries, Duration.ofMillis((long) (seconds * 1000)), seed, maxLength,
          Duration.ofMillis((long) (inputTimeout * 1000)));
    }

    /** The same budget with another time limit (a property whose tries are slow, e.g. a live server). */
    public Budget withTime(Duration t) {
      return new Budget(tries, t, seed, maxLength, inputTimeout);
    }

    public Budget withMaxLength(int n) {
      return new Budget(tries, time, seed, n, inputTimeout);
    }
  }

  /** What a run did. */
  public record Result(String name, long tries, long millis, long seed) {}

  private Fuzz() {}

  public static Result run(String name, Property property) {
    return run(name, property, Budget.fromSystemProperties());
  }

  /** Runs {@code property} on random inputs until the budget is spent; throws AssertionError on a finding. */
  public static Result run(String name, Property property, Budget budget) {
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-" + name);
      t.setDaemon(true); // a hanging property must not keep the JVM alive
      return t;
    });
    try {
      Random random = new Random(budget.seed());
      long start = System.nanoTime();
      long deadline = start + budget.time().toNanos();
      long tries = 0;
      while (tries < budget.tries() && System.nanoTime() < deadline) {
        byte[] input = randomInput(random, budget.maxLength());
        tries++;
        Throwable failure = runOne(worker, property, input, budget.inputTimeout());
        if (failure != null) {
          if (failure instanceof Hang) {
            throw report(name, budget, tries, input, failure);
          }
          Shrunk s = shrink(worker, property, input, failure, budget.inputTimeout());
          throw report(name, budget, tries, s.input(), s.failure());
        }
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf("fuzz %s: %d tries in %d ms, no finding (seed %d)%n", name, tries, millis, budget.seed());
      return new Result(name, tries, millis, budget.seed());
    } finally {
      worker.shutdownNow();
    }
  }

  /** Mostly short inputs (the interesting structure is near the start), sometimes long ones. */
  private static byte[] randomInput(Random r, int maxLength) {
    int len = switch (r.nextInt(10)) {
      case 0 -> 0;
      case 1, 2, 3, 4 -> r.nextInt(Math.min(32, maxLength) + 1);
      case 5, 6, 7 -> r.nextInt(Math.min(256, maxLength) + 1);
      default -> r.nextInt(maxLength + 1);
    };
    byte[] b = new byte[len];
    r.nextBytes(b);
    return b;
  }

  /** The property ran longer than the input timeout. */
  private static final class Hang extends Exception {
    Hang(Duration timeout) {
      super("no result within " + timeout.toMillis() + " ms (hang?)", null, false, false);
    }
  }

  private static Throwable runOne(ExecutorService worker, Property p, byte[] input, Duration timeout) {
    Future<Throwable> f = worker.submit(() -> {
      try {
        p.check(input);
        return null;
      } catch (Throwable t) {
        return t;
      }
    });
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      f.cancel(true);
      return new Hang(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private record Shrunk(byte[] input, Throwable failure) {}

  /**
   * Greedy shrinking, bounded (2 000 attempts, 5 s): cut the tail, remove chunks of halving sizes,
   * then lower single bytes; a candidate is kept when it fails the same way (same exception class).
   */
  private static Shrunk shrink(ExecutorService worker, Property p, byte[] input, Throwable failure, Duration timeout) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int[] attempts = {0};
    Class<?> kind = failure.getClass();
    byte[] best = input;
    Throwable bestFailure = failure;
    boolean progress = true;
    while (progress && attempts[0] < 2_000 && System.nanoTime() < deadline) {
      progress = false;
      for (int chunk = Math.max(1, best.length / 2); chunk >= 1 && !progress; chunk /= 2) {
        for (int at = 0; at + chunk <= best.length && attempts[0] < 2_000 && System.nanoTime() < deadline; at += chunk) {
          byte[] candidate = new byte[best.length - chunk];
          System.arraycopy(best, 0, candidate, 0, at);
          System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
          attempts[0]++;
          Throwable t = runOne(worker, p, candidate, timeout);
          if (t != null && t.getClass() == kind) {
            best = candidate;
            bestFailure = t;
            progress = true;
            break;
          }
        }
      }
      for (int i = 0; i < best.length && !progress && attempts[0] < 2_000 && System.nanoTime() < deadline; i++) {
        int v = best[i] & 0xff;
        for (int smaller : new int[] {0, v / 2, v - 1}) {
          if (smaller >= v || smaller < 0) {
            continue;
          }
          byte[] candidate = best.clone();
          candidate[i] = (byte) smaller;
          attempts[0]++;
          Throwable t = runOne(worker, p, candidate, timeout);
          if (t != null && t.getClass() == kind) {
            best = candidate;
            bestFailure = t;
            progress = true;
            break;
          }
        }
      }
    }
    return new Shrunk(best, bestFailure);
  }

  private static AssertionError report(String name, Budget budget, long tries, byte[] input, Throwable failure) {
    String b64 = Base64.getEncoder().encodeToString(input);
    Path saved = save(name, input);
    AssertionError e = new AssertionError(String.format(
        "fuzz %s: finding after %d tries (seed %d, replay with -Dparley.fuzz.seed=%d)%n"
            + "  input (%d bytes, base64): %s%n  saved as %s (copy it into the Jazzer inputs directory to keep it as a regression)%n"
            + "  failure: %s",
        name, tries, budget.seed(), budget.seed(), input.length, b64, saved, failure), failure);
    return e;
  }

  private static Path save(String name, byte[] input) {
    try {
      Path dir = Path.of(System.getProperty("parley.fuzz.findings", "target/fuzz-findings"), name);
      Files.createDirectories(dir);
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
      Path file = dir.resolve("crash-" + hash);
      Files.write(file, input);
      return file.toAbsolutePath();
    } catch (IOException | NoSuchAlgorithmException e) {
      return Path.of("(not saved: " + e + ")");
    }
  }

  /** For messages: a string with control and non-ASCII characters escaped. */
  public static String show(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    int limit = Math.min(s.length(), 400);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\u%04x", (int) c));
      }
    }
    if (s.length() > limit) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
    return sb.append('"').toString();
  }

  public static String show(byte[] b) {
    return Arrays.toString(b.length > 200 ? Arrays.copyOf(b, 200) : b);
  }
}
