package io.gravwell.datastore.bench.sync;

import io.gravwell.datastore.client.RemoteDatastore;
import io.gravwell.datastore.protocol.v1.Batch;
import io.gravwell.datastore.protocol.v1.Identity;
import io.gravwell.datastore.protocol.v1.Response;
import java.util.function.Consumer;

/** A remote without the push stream: what a webserver sees when only the periodic poll brings changes. */
final class PollOnly implements RemoteDatastore {
  private final RemoteDatastore remote;

  PollOnly(RemoteDatastore remote) {
    this.remote = remote;
  }

  @Override
  public Response ping(Identity lastSynced) {
    return remote.ping(lastSynced);
  }

  @Override
  public Response changesSince(long afterRevision, int limit, long minRevision) {
    return remote.changesSince(afterRevision, limit, minRevision);
  }

  @Override
  public Response list(String domain, String kind, String pageToken, int limit, long minRevision) {
    return remote.list(domain, kind, pageToken, limit, minRevision);
  }

  @Override
  public Response write(Batch batch) {
    return remote.write(batch);
  }

  @Override
  public java.util.concurrent.CompletableFuture<Response> writeAsync(Batch batch) {
    return remote.writeAsync(batch);
  }

  @Override
  public AutoCloseable watch(long afterRevision, Consumer<Identity> onChange) {
    return () -> {};
  }

  @Override
  public int maxEntryBytes() {
    return remote.maxEntryBytes();
  }

  @Override
  public void close() {
    remote.close();
  }
}
