package io.gravwell.datastore.chaos.cluster;

import io.gravwell.datastore.chaos.docker.ChaosContainer;
import java.net.URI;

/** One reference webserver in a container, reached over its REST API on a fixed address. */
public final class WebserverContainer {
  public static final int WEB_PORT = 8080;

  private final String name;
  private final String uuid;
  private final ChaosContainer container;

  WebserverContainer(String name, String uuid, ChaosContainer container) {
    this.name = name;
    this.uuid = uuid;
    this.container = container;
  }

  public String name() {
    return name;
  }

  public String uuid() {
    return uuid;
  }

  public ChaosContainer container() {
    return container;
  }

  public URI base() {
    return URI.create("http://" + container.address() + ":" + WEB_PORT);
  }

  @Override
  public String toString() {
    return name + "@" + container.address();
  }
}
