package io.anomalyflow.client;

/** Command-line entry point of the client. The full app arrives with its own issue; for now it prints its usage. */
public final class ClientMain {
    private ClientMain() {
    }

    public static void main(String[] args) {
        System.out.println("usage: java -jar modules/client/target/client.jar [--help]");
        System.out.println("The client is not built yet: see the open issues.");
    }
}
