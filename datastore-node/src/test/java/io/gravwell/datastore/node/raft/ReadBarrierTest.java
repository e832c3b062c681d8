package io.gravwell.datastore.node.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The barrier's rule, with rounds the test completes by hand: no Raft, no threads. */
class ReadBarrierTest {
  private final List<CompletableFuture<Void>> rounds = new ArrayList<>();
  private final ReadBarrier barrier = new ReadBarrier(() -> {
    CompletableFuture<Void> round = new CompletableFuture<>();
    rounds.add(round);
    return round;
  });

  @Test
  void aLoneReadStartsARoundAtOnceAndPassesWithIt() {
    CompletableFuture<Void> read = barrier.pass();
    assertThat(rounds).hasSize(1);
    assertThat(read).isNotDone();
    rounds.get(0).complete(null);
    assertThat(read).isCompleted();
  }

  @Test
  void aReadArrivingDuringARoundWaitsForTheNextOne() {
    CompletableFuture<Void> first = barrier.pass();
    CompletableFuture<Void> late = barrier.pass();
    assertThat(rounds).as("one round in flight at a time").hasSize(1);

    rounds.get(0).complete(null);
    // The round in flight may have fixed its index before `late`'s preceding writes were acknowledged.
    assertThat(first).isCompleted();
    assertThat(late).isNotDone();
    assertThat(rounds).as("the next round starts as the previous one ends").hasSize(2);

    rounds.get(1).complete(null);
    assertThat(late).isCompleted();
  }

  @Test
  void everyReadThatArrivedDuringARoundSharesTheNextRound() {
    barrier.pass();
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      waiting.add(barrier.pass());
    }
    rounds.get(0).complete(null);
    rounds.get(1).complete(null);
    assertThat(waiting).allMatch(CompletableFuture::isDone);
    assertThat(rounds).as("51 reads, two rounds").hasSize(2);
    assertThat(barrier.pass()).isNotDone();
    assertThat(rounds).as("an idle barrier starts a round for the next read").hasSize(3);
  }

  @Test
  void aFailedRoundFailsOnlyTheReadsItCarried() {
    CompletableFuture<Void> first = barrier.pass();
    CompletableFuture<Void> late = barrier.pass();
    rounds.get(0).completeExceptionally(new IllegalStateException("no leader"));
    assertThat(first).isCompletedExceptionally();
    assertThat(late).isNotDone();
    rounds.get(1).complete(null);
    assertThat(late).isCompleted();
    assertThat(first.handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join())
        .hasMessage("no leader");
  }

  @Test
  void aRoundThatCannotEvenStartFailsItsReadsAndLeavesTheBarrierUsable() {
    boolean[] broken = {true};
    ReadBarrier flaky = new ReadBarrier(() -> {
      if (broken[0]) {
        throw new IllegalStateException("division closed");
      }
      return CompletableFuture.completedFuture(null);
    });
    assertThat(flaky.pass()).isCompletedExceptionally();
    broken[0] = false;
    assertThat(flaky.pass()).isCompleted();
  }

  @Test
  void roundsThatCompleteAtOnceStillReleaseEveryRead() {
    ReadBarrier immediate = new ReadBarrier(() -> CompletableFuture.completedFuture(null));
    for (int i = 0; i < 1000; i++) {
      assertThat(immediate.pass()).isCompleted();
    }
  }
}
