package io.anomalyflow.gateway;

/** Command-line entry point of the gateway. The full app arrives with its own issue; for now it prints its usage. */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        System.out.println("usage: java -jar modules/gateway/target/gateway.jar [--help]");
        System.out.println("The gateway is not built yet: see the open issues.");
    }
}
