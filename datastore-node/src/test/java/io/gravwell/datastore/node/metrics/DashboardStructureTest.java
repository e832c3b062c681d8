package io.gravwell.datastore.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Grafana is not packaged here, so its dashboards are checked for the structure Grafana needs and for our
 * own rules (every panel has a unit, a description and queries; templated by instance). Whether every
 * query returns data is proven against a real Prometheus by reference-webserver's PrometheusEndToEndTest
 * (which runs nodes and webservers together).
 */
class DashboardStructureTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyDashboardIsTemplatedByInstanceAndEveryPanelHasUnitDescriptionAndQueries() throws Exception {
    assertThat(PrometheusTools.dashboards()).hasSizeGreaterThanOrEqualTo(2);
    Set<String> uids = new HashSet<>();
    for (Path file : PrometheusTools.dashboards()) {
      JsonNode d = JSON.readTree(file.toFile());
      assertThat(uids.add(d.path("uid").asText())).as("unique uid in %s", file).isTrue();
      assertThat(d.path("title").asText()).as(file.toString()).isNotBlank();
      boolean instanceVariable = false;
      for (JsonNode v : d.path("templating").path("list")) {
        instanceVariable |= v.path("name").asText().equals("instance") && v.path("type").asText().equals("query");
      }
      assertThat(instanceVariable).as("%s has an instance variable", file).isTrue();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode p : d.path("panels")) {
        String where = file.getFileName() + " / " + p.path("title").asText();
        assertThat(ids.add(p.path("id").asInt())).as("unique panel id: %s", where).isTrue();
        assertThat(p.path("title").asText()).as(where).isNotBlank();
        assertThat(p.path("type").asText()).as(where).isIn("timeseries", "stat");
        assertThat(p.path("description").asText()).as("description of %s", where).isNotBlank();
        assertThat(p.path("fieldConfig").path("defaults").path("unit").asText()).as("unit of %s", where).isNotBlank();
        assertThat(p.path("gridPos").path("w").asInt()).as(where).isPositive();
        assertThat(p.path("targets").size()).as("queries of %s", where).isPositive();
        for (JsonNode t : p.path("targets")) {
          assertThat(t.path("expr").asText()).as(where).isNotBlank();
          assertThat(t.path("refId").asText()).as(where).isNotBlank();
        }
      }
    }
    assertThat(Files.exists(Path.of("..", "grafana", "provisioning", "dashboards", "datastore.yml"))).isTrue();
    assertThat(Files.exists(Path.of("..", "grafana", "provisioning", "datasources", "prometheus.yml"))).isTrue();
  }
}
