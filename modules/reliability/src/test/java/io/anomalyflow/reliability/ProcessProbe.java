package io.anomalyflow.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A JVM process seen from outside, for leak and memory checks: its file descriptors and threads in
 * {@code /proc}, and what {@code jcmd} of this JDK says about its heap and all its threads, virtual
 * ones included. Each call looks afresh.
 *
 * @param pid the process
 */
record ProcessProbe(long pid) {

    /** Open file descriptors of the JVM ({@code /proc/<pid>/fd}). */
    int openFiles() throws IOException {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) fds.count();
        }
    }

    /** Operating-system threads of the JVM ({@code Threads:} of {@code /proc/<pid>/status}). */
    int osThreads() throws IOException {
        return (int) procStatus("Threads:");
    }

    /** Resident memory of the JVM in KiB ({@code VmRSS:} of {@code /proc/<pid>/status}). */
    long residentKiB() throws IOException {
        return procStatus("VmRSS:");
    }

    /**
     * Heap in use right after a full collection, in KiB ({@code jcmd <pid> GC.run}, then
     * {@code GC.heap_info}): what the app really holds on to, without the garbage of the moment.
     */
    long heapAfterGcKiB() throws IOException, InterruptedException {
        jcmd("GC.run");
        var info = jcmd("GC.heap_info");
        var used = Pattern.compile("used (\\d+)K").matcher(info);
        if (!used.find()) {
            throw new IOException("no 'used …K' in jcmd GC.heap_info:\n" + info);
        }
        return Long.parseLong(used.group(1));
    }

    /**
     * Every thread of the JVM, virtual ones included ({@code jcmd <pid> Thread.dump_to_file
     * -format=json}): a leaked virtual thread shows here and nowhere in {@code /proc}.
     */
    int allThreads() throws IOException, InterruptedException {
        var dump = Files.createTempFile("threads-", ".json");
        try {
            Files.delete(dump); // jcmd refuses to overwrite
            jcmd("Thread.dump_to_file", "-format=json", dump.toString());
            var json = Files.readString(dump);
            int count = 0;
            for (int i = json.indexOf("\"tid\""); i >= 0; i = json.indexOf("\"tid\"", i + 1)) {
                count++;
            }
            return count;
        } finally {
            Files.deleteIfExists(dump);
        }
    }

    /** Runs {@code jcmd <pid> <command…>} of this JDK and returns its output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        var args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        args.addAll(List.of(command));
        var p = new ProcessBuilder(args).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private long procStatus(String field) throws IOException {
        for (var line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
            }
        }
        throw new IOException("no " + field + " in /proc/" + pid + "/status");
    }
}
