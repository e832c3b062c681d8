package io.gravwell.datastore.chaos.docker;

/** Daemon threads for clients, samplers and proxies: a run that fails never keeps the JVM alive. */
public final class Daemons {
  private Daemons() {}

  public static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits up to {@code each} for every thread in turn; an interrupt ends the wait and is kept. */
  public static void joinAll(Iterable<Thread> threads, java.time.Duration each) {
    for (Thread t : threads) {
      try {
        t.join(each.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
