package io.github.dl4jcinn.zoo.report;

import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Memory use of the process as ND4J users need to see it: the JVM heap (peak from the JVM's own pool statistics)
 * and the memory outside it, where ND4J keeps its arrays. JavaCPP reports {@link Pointer#totalBytes()} (only what
 * JavaCPP itself allocated and tracks; ND4J's CPU buffers and workspaces are mostly allocated natively and do not
 * show there) and {@link Pointer#physicalBytes()} (resident set size of the whole process, heap included). The
 * peak resident set size comes from the kernel ({@code VmHWM} in {@code /proc/self/status}) where available, else
 * from the largest {@link Pointer#physicalBytes()} seen by {@link #sample()}, which should then be called now and
 * then (the trainer does it at every progress line).
 */
public final class MemoryStats {

    private long peakOffHeap;
    private long peakPhysical;

    /** Records the current off-heap and physical memory; returns this. */
    public synchronized MemoryStats sample() {
        peakOffHeap = Math.max(peakOffHeap, Pointer.totalBytes());
        peakPhysical = Math.max(peakPhysical, Pointer.physicalBytes());
        return this;
    }

    /** Peak heap use since JVM start: sum of the peak usage of every heap memory pool (an upper bound). */
    public static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Largest {@link Pointer#totalBytes()} seen by {@link #sample()}. */
    public synchronized long peakOffHeapBytes() {
        return peakOffHeap;
    }

    /** Peak resident set size of the process: the kernel's VmHWM on Linux, else the largest sampled RSS. */
    public synchronized long peakPhysicalBytes() {
        return Math.max(peakPhysical, kernelPeakRss());
    }

    /** VmHWM from /proc/self/status in bytes, or 0 where that does not exist. */
    static long kernelPeakRss() {
        java.nio.file.Path status = java.nio.file.Paths.get("/proc/self/status");
        if (!java.nio.file.Files.isReadable(status)) {
            return 0;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // kB
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    public static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
