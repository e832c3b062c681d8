package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.HostAndPort;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One member of the Raft group as written in a {@code Datastore-Peer} line:
 * {@code ID,RAFT_HOST:PORT,CLIENT_HOST:PORT}. The addresses are what other nodes and clients dial, so
 * they may differ from the listen addresses (NAT, containers).
 */
public record PeerSpec(String id, HostAndPort raft, HostAndPort client) {
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public PeerSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(raft, "raft");
        Objects.requireNonNull(client, "client");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the node id may only contain letters, digits, '-' and '_' (1-64)");
        }
    }

    public static PeerSpec parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected ID,RAFT_HOST:PORT,CLIENT_HOST:PORT");
        }
        String id = parts[0].strip();
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the node id may only contain letters, digits, '-' and '_' (1-64)");
        }
        return new PeerSpec(id, address("Raft", parts[1]), address("client", parts[2]));
    }

    private static HostAndPort address(String which, String text) {
        try {
            return HostAndPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(which + " address: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return id + "," + raft + "," + client;
    }
}
