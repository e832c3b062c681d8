package io.gravwell.datastore.chaos.nemesis;

import java.util.List;
import java.util.stream.Collectors;

/** Several nemeses at once: started in order, healed in reverse order. */
public final class Combined implements Nemesis {
  private final List<Nemesis> parts;

  public Combined(Nemesis... parts) {
    this.parts = List.of(parts);
  }

  @Override
  public String name() {
    return parts.stream().map(Nemesis::name).collect(Collectors.joining("+"));
  }

  @Override
  public void start(Faults faults) {
    parts.forEach(p -> p.start(faults));
  }

  @Override
  public void heal(Faults faults) {
    for (int i = parts.size() - 1; i >= 0; i--) {
      parts.get(i).heal(faults);
    }
  }

  @Override
  public boolean keepsData() {
    return parts.stream().allMatch(Nemesis::keepsData);
  }

  @Override
  public String unsupportedReason(Faults faults) {
    return parts.stream().map(p -> p.unsupportedReason(faults)).filter(r -> r != null).findFirst().orElse(null);
  }
}
