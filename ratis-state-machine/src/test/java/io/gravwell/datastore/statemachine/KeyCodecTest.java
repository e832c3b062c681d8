package io.gravwell.datastore.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

class KeyCodecTest {

  static int utf8Compare(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 300)
  void encodedOrderIsComponentWiseOrder(
      @ForAll @StringLength(max = 4) @CharRange(from = '\u0000', to = '\u00ff') String d1,
      @ForAll @StringLength(max = 4) @CharRange(from = '\u0000', to = '\u00ff') String i1,
      @ForAll @StringLength(max = 4) @CharRange(from = '\u0000', to = '\u00ff') String d2,
      @ForAll @StringLength(max = 4) @CharRange(from = '\u0000', to = '\u00ff') String i2) {
    int expected = utf8Compare(d1, d2) != 0 ? utf8Compare(d1, d2) : utf8Compare(i1, i2);
    int actual = Arrays.compareUnsigned(KeyCodec.components(d1, i1), KeyCodec.components(d2, i2));
    assertThat(Integer.signum(actual)).isEqualTo(Integer.signum(expected));
    assertThat(io.gravwell.datastore.xodus.XodusScan.startsWith(KeyCodec.components(d2, i2), KeyCodec.components(d1)))
        .isEqualTo(d1.equals(d2));
  }

  @Property(tries = 200)
  void componentsRoundTrip(
      @ForAll @CharRange(from = '\u0000', to = '\ud7ff') String a,
      @ForAll @CharRange(from = '\u0000', to = '\ud7ff') String b) {
    assertThat(KeyCodec.decodeComponents(KeyCodec.components(a, b))).isEqualTo(List.of(a, b));
  }

  @Property(tries = 200)
  void numbersSortNumerically(@ForAll long a, @ForAll long b) {
    assertThat(Integer.signum(Arrays.compareUnsigned(KeyCodec.number(a), KeyCodec.number(b))))
        .isEqualTo(Integer.signum(Long.compare(a, b)));
    assertThat(KeyCodec.readNumber(KeyCodec.number(a))).isEqualTo(a);
  }
}
