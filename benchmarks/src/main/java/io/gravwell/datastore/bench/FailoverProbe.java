package io.gravwell.datastore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One failover round: W writers put in a closed loop; after a while the leader's process is killed with
 * SIGKILL; the writers go on. Reports the longest gap between successful writes (any writer) from 1 s before
 * the kill to the end, and how long after the kill the first write succeeded. The caller restarts the killed member between rounds.
 */
@Command(name = "failover", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Kill -9 the leader under load and measure the longest gap between successful writes.")
public final class FailoverProbe implements Callable<Integer> {

  @Mixin
  TargetOptions target;

  @Option(names = "--leader-pid-command", required = true,
      description = "shell command that prints the leader's process id")
  String leaderPidCommand;

  @Option(names = "--writers", defaultValue = "4", description = "closed-loop writers (default: ${DEFAULT-VALUE})")
  int writers;

  @Option(names = "--before", defaultValue = "4", description = "seconds of writing before the kill (default: ${DEFAULT-VALUE})")
  int beforeSeconds;

  @Option(names = "--after", defaultValue = "10", description = "seconds of writing after the kill (default: ${DEFAULT-VALUE})")
  int afterSeconds;

  @Option(names = "--settle", defaultValue = "1",
      description = "first seconds not looked at for gaps (connections warming up); gaps are looked for from "
          + "1 s before the kill (or the end of the settling, if later) to the end (default: ${DEFAULT-VALUE})")
  int settleSeconds;

  @Option(names = "--value-size", defaultValue = "256", description = "put payload bytes (default: ${DEFAULT-VALUE})")
  int valueSize;

  @Option(names = "--keys", defaultValue = "1000", description = "key-space size (default: ${DEFAULT-VALUE})")
  int keySpace;

  @Option(names = "--retry-after-ms", defaultValue = "1000",
      description = "a writer waits this long for an acknowledgement, then sends its next write (the one it "
          + "gave up on still counts if it is acknowledged later) (default: ${DEFAULT-VALUE})")
  long retryAfterMs;

  @Option(names = "--round", defaultValue = "1", description = "round number, stored with the result")
  int round;

  @Option(names = "--out", description = "append the result here as a JSON line")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FailoverProbe()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (settleSeconds >= beforeSeconds || afterSeconds < 1 || writers < 1) {
      System.err.println("invalid arguments: need settle < before, after >= 1, writers >= 1");
      return 2;
    }
    ConcurrentLinkedQueue<Long> successes = new ConcurrentLinkedQueue<>();
    AtomicLong errors = new AtomicLong();
    ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    try (BenchTarget system = target.open(keySpace)) {
      List<BenchClient> clients = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        clients.add(system.openRoaming(i));
      }
      long start = System.nanoTime();
      AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
      List<Thread> threads = new ArrayList<>();
      for (BenchClient c : clients) {
        Thread t = new Thread(() -> write(c, stopAt::get, successes, errors, firstErrors), "failover-writer");
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      sleepUntil(start + TimeUnit.SECONDS.toNanos(beforeSeconds));
      long pid = leaderPid();
      ProcessHandle leader = ProcessHandle.of(pid)
          .orElseThrow(() -> new IOException("leader pid " + pid + " is not a running process"));
      long killAt = System.nanoTime();
      Instant killedAt = Instant.now();
      leader.destroyForcibly(); // SIGKILL
      long end = killAt + TimeUnit.SECONDS.toNanos(afterSeconds);
      stopAt.set(end);
      sleepUntil(end);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(target.requestTimeoutSeconds + 5L));
      }
      clients.forEach(BenchClient::close);

      long[] times = successes.stream().mapToLong(Long::longValue).sorted().toArray();
      // From a moment before the kill: a stall long before it (a busy machine) is not the failover's doing.
      long from = Math.max(start + TimeUnit.SECONDS.toNanos(settleSeconds), killAt - TimeUnit.SECONDS.toNanos(1));
      LongestGap gap = LongestGap.in(times, from, end);
      long firstAfterKill = -1;
      for (long t : times) {
        if (t > killAt) {
          firstAfterKill = t;
          break;
        }
      }
      String json = String.format(Locale.ROOT,
          "{\"timestamp\":\"%s\",\"target\":\"%s\",\"round\":%d,\"writers\":%d,\"killed_pid\":%d,\"killed_at\":\"%s\","
              + "\"longest_gap_ms\":%.1f,\"gap_from_kill_ms\":%.1f,\"gap_to_kill_ms\":%.1f,"
              + "\"first_write_after_kill_ms\":%.1f,\"writes\":%d,\"errors\":%d,\"before_s\":%d,\"after_s\":%d,"
              + "\"retry_after_ms\":%d}",
          Instant.now(), system.name(), round, writers, pid, killedAt, gap.nanos() / 1e6, (gap.fromNanos() - killAt) / 1e6,
          (gap.toNanos() - killAt) / 1e6, firstAfterKill < 0 ? -1.0 : (firstAfterKill - killAt) / 1e6,
          times.length, errors.get(), beforeSeconds, afterSeconds, retryAfterMs);
      System.out.println(json);
      if (!firstErrors.isEmpty()) {
        System.out.println("first errors: " + String.join(" | ", firstErrors));
      }
      if (out != null) {
        Files.writeString(out, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
      return firstAfterKill < 0 ? 1 : 0;
    }
  }

  private void write(BenchClient client, LongSupplier stopAt, ConcurrentLinkedQueue<Long> successes,
      AtomicLong errors, ConcurrentLinkedQueue<String> firstErrors) {
    byte[] value = new byte[valueSize];
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    try {
      while (System.nanoTime() < stopAt.getAsLong()) {
        rnd.nextBytes(value);
        Reply reply;
        try {
          // An acknowledgement counts when it arrives, even after this writer stopped waiting for it.
          reply = client.put(rnd.nextInt(keySpace), value).whenComplete((r, e) -> {
            if (r != null && r.succeeded()) {
              successes.add(System.nanoTime());
            }
          }).get(retryAfterMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          reply = Reply.failed("NO_ACK_YET", "no acknowledgement within " + retryAfterMs + " ms");
        }
        if (!reply.succeeded()) {
          errors.incrementAndGet();
          if (firstErrors.size() < 3) {
            firstErrors.add(reply.problem() + ": " + reply.detail());
          }
          if (client.needsReconnect()) {
            client.reconnect(stopAt.getAsLong());
          } else {
            Thread.sleep(10); // no busy loop against a member that answers errors at once
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long leaderPid() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", leaderPidCommand).redirectErrorStream(false)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !output.matches("\\d+")) {
      throw new IOException("leader pid command failed or printed no pid: '" + output + "' (" + leaderPidCommand + ")");
    }
    return Long.parseLong(output);
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }
}
