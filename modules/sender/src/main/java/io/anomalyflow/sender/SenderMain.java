package io.anomalyflow.sender;

/** Command-line entry point of the sender. The full app arrives with its own issue; for now it prints its usage. */
public final class SenderMain {
    private SenderMain() {
    }

    public static void main(String[] args) {
        System.out.println("usage: java -jar modules/sender/target/sender.jar [--help]");
        System.out.println("The sender is not built yet: see the open issues.");
    }
}
