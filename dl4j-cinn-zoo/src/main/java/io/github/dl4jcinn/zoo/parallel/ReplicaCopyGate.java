package io.github.dl4jcinn.zoo.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Works around a race in DL4J's {@code ParallelWrapper} (1.0.0-M2.1). {@code fit} starts the worker threads and feeds
 * the first round at once; worker 0 trains the caller's graph itself, while every other worker first builds its
 * replica on its own thread and then copies the graph's parameters and Adam state. If worker 0 has applied its first
 * update by then, that replica starts the round from other parameters and the averaged result is wrong (measured
 * with {@code MnistCinn.quick()}, whose replicas take a while to build: parameters off by up to 0.014 after 6 rounds,
 * differing from run to run; with small graphs the copy usually wins). This listener holds every worker of the
 * first round at its first gradient, i.e. before any update, until all of them are there, which they can only be
 * after their copies. Use one gate per {@code fit}, and feed the wrapper through {@link #counting}, which tells the
 * gate how many workers the first round has.
 */
final class ReplicaCopyGate extends BaseTrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaCopyGate.class);
    /** A worker that died before its first gradient would otherwise hold the others (and the wrapper) forever. */
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final int workers;
    private final AtomicInteger dispatched = new AtomicInteger();
    private final Set<Model> arrived = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean open;

    ReplicaCopyGate(int workers) {
        this.workers = workers;
    }

    /** {@code data}, counting the minibatches handed to the wrapper. */
    MultiDataSetIterator counting(MultiDataSetIterator data) {
        return new Counting(data, dispatched);
    }

    @Override
    public synchronized void onGradientCalculation(Model model) {
        if (open) {
            return;
        }
        arrived.add(model);
        // The wrapper reads a whole round before feeding any worker, so the count covers the first round by now.
        if (arrived.size() >= Math.min(workers, dispatched.get())) {
            open = true;
            notifyAll();
            return;
        }
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        try {
            while (!open) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("Only {} of the first round's workers reached their first gradient within 2 minutes; "
                            + "continuing without waiting for the others", arrived.size());
                    open = true;
                    notifyAll();
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Delegates everything, counting {@code next()} calls. */
    private static final class Counting implements MultiDataSetIterator {
        private static final long serialVersionUID = 1L;
        private final MultiDataSetIterator data;
        private final AtomicInteger count;

        Counting(MultiDataSetIterator data, AtomicInteger count) {
            this.data = data;
            this.count = count;
        }

        @Override public boolean hasNext() { return data.hasNext(); }
        @Override public MultiDataSet next() { return counted(data.next()); }
        @Override public MultiDataSet next(int num) { return counted(data.next(num)); }
        @Override public void setPreProcessor(MultiDataSetPreProcessor p) { data.setPreProcessor(p); }
        @Override public MultiDataSetPreProcessor getPreProcessor() { return data.getPreProcessor(); }
        @Override public boolean resetSupported() { return data.resetSupported(); }
        @Override public boolean asyncSupported() { return data.asyncSupported(); }
        @Override public void reset() { data.reset(); }

        private MultiDataSet counted(MultiDataSet batch) {
            count.incrementAndGet();
            return batch;
        }
    }
}
