package io.gravwell.datastore.node.config;

import io.gravwell.datastore.config.Config;

/** Config texts shared by the config tests. */
final class NodeConfigTestFiles {
    static final String SECRET = "s3cr3t-Value-42";

    /** The smallest valid file: required keys only. Line numbers below are relied upon by tests. */
    static final String MINIMAL = """
            [Global]
            Datastore-Node-Id=n1
            Datastore-Peer=n1,10.0.0.1:9406,10.0.0.1:9405
            Datastore-Peer=n2,10.0.0.2:9406,10.0.0.2:9405
            Datastore-Peer=n3,10.0.0.3:9406,10.0.0.3:9405
            Control-Auth=%s
            Certificate-File=/opt/gravwell/etc/cert.pem
            Key-File=/opt/gravwell/etc/key.pem
            """.formatted(SECRET);

    private NodeConfigTestFiles() {}

    static String minimalPlus(String extraLines) {
        return MINIMAL + extraLines + "\n";
    }
}
