package io.anomalyflow.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs of a baseline's command line; a missing one is an error naming it. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
    }

    String text(String name) {
        var v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name) {
        return Integer.parseInt(text(name));
    }

    String text(String name, String orElse) {
        return values.getOrDefault(name, orElse);
    }

    int integer(String name, int orElse) {
        return values.containsKey(name) ? integer(name) : orElse;
    }
}
