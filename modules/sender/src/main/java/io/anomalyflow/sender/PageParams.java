package io.anomalyflow.sender;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what the page (or curl) sends into a {@link SenderConfig}: the form / query parameters of
 * {@code POST /runs}, and the workshop's path {@code /sendMeasurements/{dest}/amount/{amount}}.
 * What is not given comes from the page's defaults (its command line); every run gets a fresh run
 * id, whatever the defaults say, so two runs never collide in the gateway's duplicate window.
 * Errors are {@link IllegalArgumentException}s whose message names the parameter and is safe to
 * send back (values are shortened).
 */
final class PageParams {
    private PageParams() {
    }

    /** {@code a=1&b=x%20y} → {a=1, b=x y}; the last of a repeated name wins. */
    static Map<String, String> parseForm(String form) {
        var out = new LinkedHashMap<String, String>();
        for (var pair : form.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            var name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            var value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name.strip(), value.strip());
        }
        return out;
    }

    /** The run the parameters describe: gateway, count, devices, concurrency, batch, rate. */
    static SenderConfig config(SenderConfig defaults, Map<String, String> params) {
        var b = defaults.toBuilder().runId(null);
        params.forEach((name, value) -> {
            switch (name) {
                case "gateway" -> b.gateway(gateway(value));
                case "count" -> b.count(whole(name, value));
                case "devices" -> b.devices(whole(name, value));
                case "concurrency" -> b.concurrency(whole(name, value));
                case "batch" -> b.batch(whole(name, value));
                case "rate" -> b.rate(number(name, value));
                default -> throw new IllegalArgumentException("unknown parameter " + shorten(name)
                        + " (known: gateway, count, devices, concurrency, batch, rate)");
            }
        });
        return b.build(); // its checks name the field: "count: must be within 0 and 1000000000: -1"
    }

    /**
     * The workshop's {@code /sendMeasurements/{dest}/amount/{amount}}, both parts still URL-encoded:
     * {@code dest} is {@code gateway} or {@code default} for the configured gateway, or a URL-encoded
     * {@code http(s)} URL; {@code amount} is the count.
     */
    static SenderConfig fromWorkshopPath(SenderConfig defaults, String rawDest, String rawAmount) {
        var dest = URLDecoder.decode(rawDest, StandardCharsets.UTF_8);
        var b = defaults.toBuilder().runId(null).count(whole("amount", URLDecoder.decode(rawAmount, StandardCharsets.UTF_8)));
        if (!dest.equals("gateway") && !dest.equals("default")) {
            b.gateway(gateway(dest));
        }
        return b.build();
    }

    private static URI gateway(String value) {
        try {
            var uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("gateway: not an http(s) URL with a host: \"" + shorten(value) + "\"");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("gateway: not a URL: \"" + shorten(value) + "\"");
        }
    }

    private static int whole(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a whole number: \"" + shorten(value) + "\"");
        }
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": not a number: \"" + shorten(value) + "\"");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
