package io.anomalyflow.testsupport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link NatsServer} is started with beyond the defaults, written into a configuration file
 * ({@code -c}) so that it can be changed and reloaded while the server runs
 * ({@link NatsServer#reconfigure}): TLS, users with passwords or a token, JetStream's own storage
 * limit, and where the store lives. Immutable; each {@code with…} returns a copy.
 *
 * <p>nats-server refuses a token together with users, so the two are exclusive here too.
 *
 * @param tls          certificate and key the server presents (clients then need {@code tls://}), or {@code null}
 * @param users        user/password pairs the server accepts; empty for none
 * @param token        the token the server accepts, or {@code null}
 * @param maxFileStore JetStream's {@code max_file_store} in bytes, or 0 for the server's default
 * @param storeDir     the store directory (a mounted tmpfs, say), or {@code null} for a fresh temporary one
 *                     that {@link NatsServer#close()} deletes; a given one is left in place
 * @param extraArgs    more command-line arguments
 */
public record NatsServerConfig(TestCerts tls, List<User> users, String token, long maxFileStore, Path storeDir,
                               List<String> extraArgs) {

    /** One user the server accepts. */
    public record User(String name, String password) {
        /** Checks both are set and quotable. */
        public User {
            quotable("user", name);
            quotable("password", password);
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "User[" + name + ", password ***]";
        }
    }

    /** Checks the combination is one nats-server accepts. */
    public NatsServerConfig {
        users = List.copyOf(users);
        extraArgs = List.copyOf(extraArgs);
        if (token != null) {
            quotable("token", token);
            if (!users.isEmpty()) {
                throw new IllegalArgumentException("nats-server accepts a token or users, not both");
            }
        }
        if (maxFileStore < 0) {
            throw new IllegalArgumentException("maxFileStore must not be negative: " + maxFileStore);
        }
    }

    /** No TLS, no authentication, default limits, a temporary store. */
    public static NatsServerConfig defaults() {
        return new NatsServerConfig(null, List.of(), null, 0, null, List.of());
    }

    /** With TLS using {@code certs}' PEM files. */
    public NatsServerConfig withTls(TestCerts certs) {
        return new NatsServerConfig(Objects.requireNonNull(certs, "certs"), users, token, maxFileStore, storeDir, extraArgs);
    }

    /** With one more user. */
    public NatsServerConfig withUser(String name, String password) {
        var more = new ArrayList<>(users);
        more.add(new User(name, password));
        return new NatsServerConfig(tls, more, token, maxFileStore, storeDir, extraArgs);
    }

    /** With the users replaced by {@code users} (for a reload that removes one). */
    public NatsServerConfig withUsers(List<User> users) {
        return new NatsServerConfig(tls, users, token, maxFileStore, storeDir, extraArgs);
    }

    /** With token authentication. */
    public NatsServerConfig withToken(String token) {
        return new NatsServerConfig(tls, users, Objects.requireNonNull(token, "token"), maxFileStore, storeDir, extraArgs);
    }

    /** With JetStream's file storage limited to {@code bytes}. */
    public NatsServerConfig withMaxFileStore(long bytes) {
        return new NatsServerConfig(tls, users, token, bytes, storeDir, extraArgs);
    }

    /** With the store in {@code dir}, which the server does not delete. */
    public NatsServerConfig withStoreDir(Path dir) {
        return new NatsServerConfig(tls, users, token, maxFileStore, Objects.requireNonNull(dir, "dir"), extraArgs);
    }

    /** With more command-line arguments. */
    public NatsServerConfig withExtraArgs(List<String> args) {
        return new NatsServerConfig(tls, users, token, maxFileStore, storeDir, args);
    }

    /** Whether a configuration file is needed (anything beyond a store and arguments). */
    boolean needsFile() {
        return tls != null || !users.isEmpty() || token != null || maxFileStore > 0;
    }

    /** The configuration file's text, with the JetStream store in {@code store}. */
    String render(Path store) {
        var sb = new StringBuilder();
        sb.append("jetstream {\n  store_dir: ").append(quote(store.toString())).append('\n');
        if (maxFileStore > 0) {
            sb.append("  max_file_store: ").append(maxFileStore).append('\n');
        }
        sb.append("}\n");
        if (tls != null) {
            sb.append("tls {\n  cert_file: ").append(quote(tls.certPem().toString()))
                    .append("\n  key_file: ").append(quote(tls.keyPem().toString())).append("\n  timeout: 5\n}\n");
        }
        if (token != null) {
            sb.append("authorization {\n  token: ").append(quote(token)).append("\n}\n");
        } else if (!users.isEmpty()) {
            sb.append("authorization {\n  users: [\n");
            for (var u : users) {
                sb.append("    {user: ").append(quote(u.name())).append(", password: ").append(quote(u.password())).append("}\n");
            }
            sb.append("  ]\n}\n");
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }

    private static void quotable(String what, String value) {
        if (value == null || value.isEmpty() || value.contains("\"") || value.contains("\\") || value.contains("\n")) {
            throw new IllegalArgumentException(what + " must be non-empty, without quotes, backslashes or newlines");
        }
    }
}
