package io.lenetspark.prepare;

import io.lenetspark.failure.Causes;
import io.lenetspark.failure.InvalidInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A web folder serving the IDX files as {@code <base>/<name>} or, as the MNIST mirrors do,
 * {@code <base>/<name>.gz} ({@code lenet.prepare.source = url}).
 */
final class UrlSource implements IdxSource {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Until the response headers arrive; Java's HttpClient has no timeout for reading the body. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

    private final String baseUrl;
    private final HttpClient client;

    UrlSource(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        requireHttpUrl(this.baseUrl);
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    @Override
    public InputStream open(IdxFile file) throws IOException {
        URI plainUri = URI.create(baseUrl + "/" + file.fileName());
        HttpResponse<InputStream> plain = get(plainUri);
        if (plain.statusCode() == HttpURLConnection.HTTP_OK) {
            return plain.body();
        }
        plain.body().close();
        URI compressedUri = URI.create(plainUri + Gzip.SUFFIX);
        HttpResponse<InputStream> compressed = get(compressedUri);
        if (compressed.statusCode() == HttpURLConnection.HTTP_OK) {
            return Gzip.decompress(compressed.body(), compressedUri.toString());
        }
        compressed.body().close();
        throw new InvalidInputException("Could not download " + file.fileName() + ": " + plainUri + " answered HTTP "
                + plain.statusCode() + " and " + compressedUri + " HTTP " + compressed.statusCode()
                + ". Set lenet.prepare.source-url to a base URL serving the four MNIST IDX files (plain or .gz).");
    }

    @Override
    public String description() {
        return "URL " + baseUrl + " (lenet.prepare.source-url)";
    }

    @Override
    public void close() {
        // Java 17's HttpClient holds nothing that needs closing.
    }

    private HttpResponse<InputStream> get(URI uri) throws IOException {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while downloading " + uri);
        } catch (IOException e) {
            throw new InvalidInputException("Could not download " + uri + ": " + reason(e)
                    + ". Check lenet.prepare.source-url and the network, or choose another lenet.prepare.source.", e);
        }
    }

    /** HttpClient's connection errors carry no message; their innermost cause tells refused from unresolved. */
    private static String reason(IOException e) {
        Throwable root = Causes.innermost(e);
        return root == e ? e.toString() : e + " (caused by " + root + ")";
    }

    private static void requireHttpUrl(String url) {
        String scheme;
        try {
            scheme = new URI(url).getScheme();
        } catch (URISyntaxException e) {
            scheme = null;
        }
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new InvalidInputException("lenet.prepare.source-url \"" + url + "\" is not an http(s) URL. "
                    + "Set it to the base URL serving the four MNIST IDX files, e.g. https://host/mnist.");
        }
    }
}
