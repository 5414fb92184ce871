package io.anomalyflow.flow.sse;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Server-Sent Event as {@link SseSubscriber} writes it (WHATWG HTML, "Server-sent events"):
 * an optional {@code id:} line, an optional {@code event:} line, one {@code data:} line per line
 * of {@code data}, then a blank line.
 *
 * <p>A line break inside {@code id} or {@code event} would let a value start a field of its own
 * (a forged {@code data:} or a second event), so they are refused with
 * {@link IllegalArgumentException}; so is NUL in {@code id}, which browsers ignore. {@code data}
 * may contain any line breaks ({@code \r\n}, {@code \n}, {@code \r}): each line becomes its own
 * {@code data:} line, and the browser joins them with {@code \n} again.
 *
 * @param id    the event id ({@code Last-Event-ID} on reconnect), or {@code null}
 * @param event the event type, or {@code null} for the default {@code message}
 * @param data  the payload, never {@code null}
 */
public record SseEvent(String id, String event, String data) {
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

    public SseEvent {
        Objects.requireNonNull(data, "data");
        if (id != null && (hasLineBreak(id) || id.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("SSE id must not contain CR, LF or NUL: " + id.replace("\r", "\\r").replace("\n", "\\n"));
        }
        if (event != null && hasLineBreak(event)) {
            throw new IllegalArgumentException("SSE event must not contain CR or LF: " + event.replace("\r", "\\r").replace("\n", "\\n"));
        }
    }

    /** An event with data only. */
    public static SseEvent of(String data) {
        return new SseEvent(null, null, data);
    }

    /** An event with id, type and data. */
    public static SseEvent of(String id, String event, String data) {
        return new SseEvent(id, event, data);
    }

    /** The wire form, ending with the blank line that dispatches the event. */
    public String encode() {
        var sb = new StringBuilder(data.length() + 32);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        if (event != null) {
            sb.append("event: ").append(event).append('\n');
        }
        if (!hasLineBreak(data)) { // the usual case (JSON has its line breaks escaped): no regex, no copies
            sb.append("data: ").append(data).append('\n');
        } else {
            // limit -1 keeps trailing empty lines: "a\n" is data "a" plus an empty line, as sent
            for (var line : LINE_BREAK.split(data, -1)) {
                sb.append("data: ").append(line).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    private static boolean hasLineBreak(String s) {
        return s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    }
}
