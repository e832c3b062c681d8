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
}
