import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** `java scripts/HttpProbe.java URL`: exit 0 when GET URL answers 2xx within 2 s (no curl needed). */
public class HttpProbe {
    public static void main(String[] args) throws Exception {
        var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(2)).build();
        int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        System.exit(status / 100 == 2 ? 0 : 1);
    }
}
