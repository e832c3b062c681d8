package io.gravwell.datastore.node.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Fetches and reads Prometheus text output: just enough to find series by name and label values. */
public final class MetricsText {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String text;

  public MetricsText(String text) {
    this.text = text;
  }

  public static HttpResponse<String> get(int port, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static MetricsText scrape(int port) {
    return new MetricsText(get(port, "/metrics").body());
  }

  public String text() {
    return text;
  }

  /** Values of every sample of {@code name} whose labels contain each of {@code labels} ("k=\"v\""). */
  public List<Double> values(String name, String... labels) {
    List<Double> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
        continue;
      }
      boolean all = true;
      for (String l : labels) {
        all &= line.contains(l);
      }
      if (all) {
        out.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return out;
  }

  public OptionalDouble value(String name, String... labels) {
    List<Double> v = values(name, labels);
    return v.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(v.get(0));
  }

  public double sum(String name, String... labels) {
    return values(name, labels).stream().mapToDouble(Double::doubleValue).sum();
  }
}
