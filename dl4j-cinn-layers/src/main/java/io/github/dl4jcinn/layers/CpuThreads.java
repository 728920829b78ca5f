package io.github.dl4jcinn.layers;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thread count of the ND4J CPU backend, chosen deliberately. Left alone, ND4J M2.1 starts
 * {@code max(4, cores / 2)} OpenMP threads when {@code OMP_NUM_THREADS} is unset ({@code NativeOpsHolder.getCores}):
 * 4 threads on a 2-core machine, which oversubscribes it, and OpenBLAS keeps a pool of its own on top. dl4j-cinn's
 * choice is one thread per available processor for both ND4J's ops and BLAS; the override, in this order:
 * <ol>
 *   <li>the system property {@value #PROPERTY} ({@code java -Dcinn.threads=1 ...});</li>
 *   <li>the environment variable {@code OMP_NUM_THREADS} (which ND4J itself also reads at start-up).</li>
 * </ol>
 * Set {@code OMP_WAIT_POLICY=PASSIVE} in the environment as well (it cannot be changed from inside the JVM): with
 * libgomp's default spinning, idle OpenMP threads compete with BLAS threads for the cores.
 */
public final class CpuThreads {

    public static final String PROPERTY = "cinn.threads";
    private static final Logger LOG = LoggerFactory.getLogger(CpuThreads.class);

    private CpuThreads() {}

    /** The thread count dl4j-cinn uses: {@value #PROPERTY}, else {@code OMP_NUM_THREADS}, else the processors. */
    public static int chosen() {
        Integer p = positive(System.getProperty(PROPERTY), "system property " + PROPERTY);
        if (p != null) {
            return p;
        }
        Integer e = positive(System.getenv("OMP_NUM_THREADS"), "OMP_NUM_THREADS");
        return e != null ? e : Runtime.getRuntime().availableProcessors();
    }

    /** Applies {@link #chosen()}; returns the thread count in effect. */
    public static int applyChosen() {
        return apply(chosen());
    }

    /**
     * Sets ND4J's op threads and the BLAS threads to {@code n}; returns the count in effect. ND4J's thread pool is
     * sized when the backend starts, so the count can be lowered at run time but not raised above that size
     * ({@code OMP_NUM_THREADS} at start-up, else ND4J's default): set the variable to raise it.
     */
    public static int apply(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        }
        // the pool size (maxThreads) is fixed at start-up; the threads an op uses are the "master" threads
        Nd4j.getEnvironment().setMaxThreads(n);
        Nd4j.getEnvironment().setMaxMasterThreads(n);
        int effective = Nd4j.getEnvironment().maxMasterThreads();
        Nd4j.factory().blas().setMaxThreads(effective);
        if (effective < n) {
            LOG.warn("{} threads requested, ND4J's pool has {}: start the JVM with OMP_NUM_THREADS={} to use more",
                    n, effective, n);
        }
        LOG.debug("ND4J op threads and BLAS threads set to {} (OMP_WAIT_POLICY={})", effective,
                System.getenv("OMP_WAIT_POLICY"));
        return effective;
    }

    private static Integer positive(String value, String source) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        LOG.warn("Ignoring {}={}: not a positive integer", source, value);
        return null;
    }
}
